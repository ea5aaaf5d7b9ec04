use super::{list_projects, ProjectCard, ProjectFilter};
use crate::components::{CodeSelect, PageHead};
use crate::i18n::use_messages;
use crate::listing::{organisation_hidden, FilterForm, ListResults};
use leptos::prelude::*;

#[component]
pub fn ProjectListPage() -> impl IntoView {
    let t = use_messages();
    let params = crate::components::request_query();
    let filter = crate::components::url_memo(move || ProjectFilter::from_query(&params[..]));
    let results = Resource::new(
        move || filter.get(),
        |filter| async move { list_projects(filter?).await },
    );
    view! {
        <PageHead title=|m| m.projects_title description=|m| m.projects_description />
        <h1>{t.projects_title}</h1>
        <p class="lead">{t.projects_description}</p>
        {move || {
            filter.get().ok().map(|filter| view! {
                <FilterForm action="/projects" chosen=filter.query_pairs() hidden=organisation_hidden(filter.organisation)>
                    <CodeSelect name="sector" label=t.sector selected=filter.sector />
                    <CodeSelect name="stage" label=t.stage selected=filter.stage />
                </FilterForm>
            })
        }}
        <ListResults
            results
            path="/projects"
            query=Signal::derive(move || filter.get().unwrap_or_default().query_pairs())
            test_id="project-list"
            card=|project| view! { <ProjectCard project /> }.into_any()
        />
    }
}
