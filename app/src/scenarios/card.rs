use super::ScenarioSummary;
use crate::domain::Money;
use crate::i18n::{use_locale, use_messages};
use leptos::prelude::*;

/// A scenario in a list: title, publisher, sector, place, budget and deadline.
#[component]
pub fn ScenarioCard(scenario: ScenarioSummary) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let href = format!("/scenarios/{}", scenario.id);
    let publisher_href = format!("/organisations/{}", scenario.publisher.id);
    let ScenarioSummary {
        title,
        publisher,
        sector,
        location,
        budget_min,
        budget_max,
        open_until,
        open,
        ..
    } = scenario;
    view! {
        <li class="card" data-testid="scenario-card">
            <h3 class="card-title">
                <a href=href>{title}</a>
            </h3>
            <p class="card-meta">
                <a href=publisher_href>{publisher.name}</a>
                {move || format!(" · {} · {}", sector.label(locale), location.label(locale))}
                {move || {
                    Money::display_range(budget_min, budget_max, locale)
                        .map(|budget| format!(" · {}：{budget}", t.budget))
                }}
            </p>
            <p class="badges">
                {open_until.map(|day| view! {
                    <span class="badge" class:badge-positive=open>
                        {move || {
                            if open {
                                format!("{} {day}", t.open_until)
                            } else {
                                t.closed.to_owned()
                            }
                        }}
                    </span>
                })}
            </p>
        </li>
    }
}
