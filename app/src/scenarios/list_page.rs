use super::{list_scenarios, ScenarioCard, ScenarioFilter};
use crate::components::{CodeSelect, PageHead};
use crate::i18n::use_messages;
use crate::listing::{organisation_hidden, FilterForm, ListResults};
use leptos::prelude::*;

#[component]
pub fn ScenarioListPage() -> impl IntoView {
    let t = use_messages();
    let params = crate::components::request_query();
    let filter = crate::components::url_memo(move || ScenarioFilter::from_query(&params[..]));
    let results = Resource::new(
        move || filter.get(),
        |filter| async move { list_scenarios(filter?).await },
    );
    view! {
        <PageHead title=|m| m.scenarios_title description=|m| m.scenarios_description />
        <h1>{t.scenarios_title}</h1>
        <p class="lead">{t.scenarios_description}</p>
        {move || {
            filter.get().ok().map(|filter| view! {
                <FilterForm action="/scenarios" chosen=filter.query_pairs() hidden=organisation_hidden(filter.organisation)>
                    <CodeSelect name="sector" label=t.sector selected=filter.sector />
                    <CodeSelect name="location" label=t.location selected=filter.location />
                </FilterForm>
            })
        }}
        <ListResults
            results
            path="/scenarios"
            query=Signal::derive(move || filter.get().unwrap_or_default().query_pairs())
            test_id="scenario-list"
            card=|scenario| view! { <ScenarioCard scenario /> }.into_any()
        />
    }
}
