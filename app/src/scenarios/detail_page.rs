use super::{get_scenario, ScenarioDetail};
use crate::components::{Fact, Facts, RecordHead, RecordPage, StatusBanner};
use crate::domain::Money;
use crate::i18n::{use_locale, use_messages, Locale, Messages};
use leptos::prelude::*;
use serde_json::{json, Value};

#[component]
pub fn ScenarioDetailPage() -> impl IntoView {
    view! { <RecordPage load=get_scenario render=|scenario| view! { <ScenarioView scenario /> } /> }
}

#[component]
fn ScenarioView(scenario: ScenarioDetail) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let title = scenario.summary.title.clone();
    let description: String = scenario.need.chars().take(150).collect();
    let data = structured_data(&scenario, locale);
    let publisher_href = format!("/organisations/{}", scenario.summary.publisher.id);
    let publisher = scenario.summary.publisher.name.clone();
    let (status, notice_until, reason) = (
        scenario.status,
        scenario.notice_until,
        scenario.status_reason.clone(),
    );
    let (need, outcome) = (scenario.need.clone(), scenario.expected_outcome.clone());
    let notice_link = scenario
        .notice_submission
        .map(|id| format!("/notices/{id}"));
    let (scenario_id, owner) = (scenario.summary.id, scenario.summary.publisher.id);
    let files = scenario.attachments.clone();
    let s = StoredValue::new(scenario);
    let fact = move |read: fn(&ScenarioDetail, Locale) -> Option<String>| {
        Signal::derive(move || s.with_value(|s| read(s, locale)))
    };
    let label = move |pick: fn(&Messages) -> &'static str| Signal::stored(pick(t));
    view! {
        <RecordHead title=title.clone() description data />
        <article class="record" data-testid="scenario-detail">
            <StatusBanner status notice_until reason notice_link />
            <h1>{title}</h1>
            <p class="record-owner">
                <a href=publisher_href>{publisher}</a>
            </p>
            <Facts>
                <Fact label=label(|m| m.sector) value=fact(|s, l| Some(s.summary.sector.label(l).to_owned())) />
                <Fact label=label(|m| m.location) value=fact(|s, l| Some(s.summary.location.label(l).to_owned())) />
                <Fact
                    label=label(|m| m.budget)
                    value=fact(|s, l| Money::display_range(s.summary.budget_min, s.summary.budget_max, l))
                />
                <Fact
                    label=label(|m| m.open_until)
                    value=fact(|s, _| s.summary.open_until.map(|d| d.to_string()))
                />
                <Fact label=label(|m| m.call) value=fact(|s, _| s.call.clone()) />
                <Fact label=label(|m| m.published_on) value=fact(|s, _| s.published_on.map(|d| d.to_string())) />
                <Fact label=label(|m| m.answers_count) value=fact(|s, _| Some(s.answers.to_string())) />
                <Fact
                    label=label(|m| m.public_contact)
                    value=fact(|s, _| {
                        let parts: Vec<&str> = [s.contact_phone.as_deref(), s.contact_email.as_deref()]
                            .into_iter()
                            .flatten()
                            .collect();
                        (!parts.is_empty()).then(|| parts.join(" · "))
                    })
                />
            </Facts>
            <section aria-labelledby="need-heading">
                <h2 id="need-heading">{t.need}</h2>
                <p class="prose">{need}</p>
            </section>
            <section aria-labelledby="outcome-heading">
                <h2 id="outcome-heading">{t.expected_outcome}</h2>
                <p class="prose">{outcome}</p>
            </section>
            <crate::submissions::pages::RecordFiles files=files />
            <crate::accounts::form::RedirectNotice />
            <crate::submissions::pages::OwnerActions kind=crate::submissions::forms::RecordKind::Scenario id=scenario_id.0 owner status />
        </article>
    }
}

/// The scenario as a schema.org `Demand` (<https://schema.org/Demand>: an organisation's
/// public announcement that it seeks goods or services): its sector, place, budget range
/// in yuan and the day it stops taking answers. An expired or withdrawn scenario seeks
/// nothing any more: its availability says `Discontinued`.
fn structured_data(scenario: &ScenarioDetail, locale: Locale) -> Value {
    let summary = &scenario.summary;
    let mut data = json!({
        "@type": "Demand",
        "name": summary.title,
        "description": scenario.need,
        "category": summary.sector.label(locale),
    });
    if let Some(place) = summary.location.place(locale) {
        data["areaServed"] = json!(place);
    }
    if !scenario.status.is_listed() {
        data["availability"] = json!("https://schema.org/Discontinued");
    }
    if let Some(day) = summary.open_until {
        data["availabilityEnds"] = json!(day.to_string());
    }
    let (low, high) = (summary.budget_min, summary.budget_max);
    if low.is_some() || high.is_some() {
        let mut price = json!({"@type": "PriceSpecification", "priceCurrency": "CNY"});
        if let Some(low) = low {
            price["minPrice"] = json!(low.yuan_text());
        }
        if let Some(high) = high {
            price["maxPrice"] = json!(high.yuan_text());
        }
        data["priceSpecification"] = price;
    }
    data
}
