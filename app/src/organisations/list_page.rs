use super::{list_organisations, OrganisationCard, OrganisationFilter};
use crate::components::{CodeSelect, PageHead};
use crate::i18n::use_messages;
use crate::listing::{FilterForm, ListResults};
use leptos::prelude::*;

#[component]
pub fn OrganisationListPage() -> impl IntoView {
    let t = use_messages();
    let params = crate::components::request_query();
    let filter = crate::components::url_memo(move || OrganisationFilter::from_query(&params[..]));
    let results = Resource::new(
        move || filter.get(),
        |filter| async move { list_organisations(filter?).await },
    );
    view! {
        <PageHead title=|m| m.organisations_title description=|m| m.organisations_description />
        <h1>{t.organisations_title}</h1>
        <p class="lead">{t.organisations_description}</p>
        {move || {
            filter.get().ok().map(|filter| view! {
                <FilterForm action="/organisations" chosen=filter.query_pairs()>
                    <CodeSelect name="kind" label=t.kind selected=filter.kind />
                    <CodeSelect name="location" label=t.location selected=filter.location />
                </FilterForm>
            })
        }}
        <ListResults
            results
            path="/organisations"
            query=Signal::derive(move || filter.get().unwrap_or_default().query_pairs())
            test_id="organisation-list"
            card=|organisation| view! { <OrganisationCard organisation /> }.into_any()
        />
    }
}
