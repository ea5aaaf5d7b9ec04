use super::{get_organisation, OrganisationDetail};
use crate::components::{Fact, Facts, RecordHead, RecordPage};
use crate::i18n::{use_locale, use_messages, Locale, Messages};
use crate::listing::Page;
use crate::products::ProductCard;
use crate::projects::ProjectCard;
use crate::scenarios::ScenarioCard;
use leptos::prelude::*;
use serde_json::{json, Value};

#[component]
pub fn OrganisationDetailPage() -> impl IntoView {
    view! {
        <RecordPage load=get_organisation render=|organisation| view! { <OrganisationView organisation /> } />
    }
}

#[component]
fn OrganisationView(organisation: OrganisationDetail) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let title = organisation.summary.name.clone();
    let description: String = organisation.description.chars().take(150).collect();
    let data = structured_data(&organisation, locale);
    let text = organisation.description.clone();
    let (products, scenarios, projects) = (
        organisation.products.clone(),
        organisation.scenarios.clone(),
        organisation.projects.clone(),
    );
    let organisation_id = organisation.summary.id;
    let traction = organisation.summary.government_traction;
    let o = StoredValue::new(organisation);
    let fact = move |read: fn(&OrganisationDetail, Locale) -> Option<String>| {
        Signal::derive(move || o.with_value(|o| read(o, locale)))
    };
    let label = move |pick: fn(&Messages) -> &'static str| Signal::stored(pick(t));
    view! {
        <RecordHead title=title.clone() description data />
        <article class="record" data-testid="organisation-detail">
            <h1>{title}</h1>
            <crate::traction::TractionLine traction />
            {(traction.awarded > 0).then(|| view! {
                <p><a href=format!("/first-purchases?supplier={organisation_id}") data-testid="supplier-first-purchases">
                    {match locale { Locale::ZhCn => "查看其首购记录", Locale::En => "See its first purchases" }}
                </a></p>
            })}
            <Facts>
                <Fact label=label(|m| m.kind) value=fact(|o, l| Some(o.summary.kind.label(l).to_owned())) />
                <Fact label=label(|m| m.location) value=fact(|o, l| Some(o.summary.location.label(l).to_owned())) />
                <Fact label=label(|m| m.credit_code) value=fact(|o, _| Some(o.credit_code.clone())) />
                <Fact label=label(|m| m.website) value=fact(|o, _| o.website.clone()) />
                <Fact
                    label=label(|m| m.public_contact)
                    value=fact(|o, _| {
                        let parts: Vec<&str> = [o.public_phone.as_deref(), o.public_email.as_deref()]
                            .into_iter()
                            .flatten()
                            .collect();
                        (!parts.is_empty()).then(|| parts.join(" · "))
                    })
                />
            </Facts>
            {(!text.trim().is_empty()).then(|| view! { <p class="prose">{text}</p> })}
            <PublishedRecords
                organisation=organisation_id
                id="products"
                heading=|m| m.org_products
                page=products
                card=|product| view! { <ProductCard product /> }.into_any()
            />
            <PublishedRecords
                organisation=organisation_id
                id="scenarios"
                heading=|m| m.org_scenarios
                page=scenarios
                card=|scenario| view! { <ScenarioCard scenario /> }.into_any()
            />
            <PublishedRecords
                organisation=organisation_id
                id="projects"
                heading=|m| m.org_projects
                page=projects
                card=|project| view! { <ProjectCard project /> }.into_any()
            />
        </article>
    }
}

/// One kind of record the organisation has published, with how many there are.
#[component]
fn PublishedRecords<T: 'static>(
    organisation: crate::domain::OrganisationId,
    /// Also the list's path: `/{id}?organisation=…` lists them all.
    id: &'static str,
    heading: fn(&Messages) -> &'static str,
    page: Page<T>,
    card: fn(T) -> AnyView,
) -> impl IntoView {
    let t = use_messages();
    let (heading_id, labelled_by) = (format!("{id}-heading"), format!("{id}-heading"));
    let total = page.total;
    let more = total > page.items.len() as i64;
    let all_href = format!("/{id}?organisation={organisation}");
    view! {
        <section aria-labelledby=labelled_by data-testid=format!("organisation-{id}")>
            <h2 id=heading_id>{move || format!("{}（{total}）", heading(t))}</h2>
            {if page.items.is_empty() {
                view! { <p>{t.none_published}</p> }.into_any()
            } else {
                view! { <ol class="cards">{page.items.into_iter().map(card).collect_view()}</ol> }.into_any()
            }}
            {more.then(|| view! {
                <p>
                    <a href=all_href>{move || format!("{} →", t.view_all)}</a>
                </p>
            })}
        </section>
    }
}

/// The organisation as a schema.org `Organization` (`GovernmentOrganization` for an
/// agency): its unified social credit code as `taxID` (the code is the taxpayer
/// identification number, GB 32100-2015), its office's public contact and its district.
fn structured_data(organisation: &OrganisationDetail, locale: Locale) -> Value {
    let summary = &organisation.summary;
    let kind = match summary.kind {
        crate::domain::OrganisationKind::GovernmentAgency => "GovernmentOrganization",
        _ => "Organization",
    };
    let mut data = json!({
        "@type": kind,
        "name": summary.name,
        "description": organisation.description,
        "taxID": organisation.credit_code,
        "address": {"@type": "PostalAddress", "addressCountry": "CN"},
    });
    // Changzhou is in Jiangsu province; outside it the code names no place.
    if let Some(place) = summary.location.place(locale) {
        data["address"]["addressLocality"] = json!(place);
        data["address"]["addressRegion"] = json!(match locale {
            Locale::ZhCn => "江苏省",
            Locale::En => "Jiangsu",
        });
    }
    if let Some(website) = &organisation.website {
        data["sameAs"] = json!(website);
    }
    if let Some(phone) = &organisation.public_phone {
        data["telephone"] = json!(phone);
    }
    if let Some(email) = &organisation.public_email {
        data["email"] = json!(email);
    }
    data
}
