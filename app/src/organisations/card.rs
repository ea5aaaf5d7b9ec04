use super::OrganisationSummary;
use crate::i18n::use_locale;
use leptos::prelude::*;

#[component]
pub fn OrganisationCard(organisation: OrganisationSummary) -> impl IntoView {
    let locale = use_locale();
    let href = format!("/organisations/{}", organisation.id);
    let (kind, location) = (organisation.kind, organisation.location);
    view! {
        <li class="card" data-testid="organisation-card">
            <h3 class="card-title">
                <a href=href>{organisation.name}</a>
            </h3>
            <p class="card-meta">
                {move || format!("{} · {}", kind.label(locale), location.label(locale))}
            </p>
            <crate::traction::TractionLine traction=organisation.government_traction />
        </li>
    }
}
