use super::ProjectSummary;
use crate::i18n::use_locale;
use leptos::prelude::*;

/// A project in a list: name, owner, sector, stage and the financing sought.
#[component]
pub fn ProjectCard(project: ProjectSummary) -> impl IntoView {
    let locale = use_locale();
    let href = format!("/projects/{}", project.id);
    let owner_href = format!("/organisations/{}", project.owner.id);
    let ProjectSummary {
        name,
        owner,
        sector,
        stage,
        financing_sought,
        financing_form,
        government_traction,
        ..
    } = project;
    view! {
        <li class="card" data-testid="project-card">
            <h3 class="card-title">
                <a href=href>{name}</a>
            </h3>
            <p class="card-meta">
                <a href=owner_href>{owner.name}</a>
                {move || format!(" · {}", sector.label(locale))}
            </p>
            <p class="badges">
                <span class="badge">{move || stage.label(locale)}</span>
                {move || {
                    financing_sought.map(|amount| {
                        format!("{} · {}", amount.display(locale), financing_form.label(locale))
                    })
                }}
            </p>
            <crate::traction::TractionLine traction=government_traction of_owner=true />
        </li>
    }
}
