use super::{get_project, ProjectDetail};
use crate::components::{Fact, Facts, RecordHead, RecordPage, StatusBanner};
use crate::i18n::{use_locale, use_messages, Locale, Messages};
use leptos::prelude::*;
use serde_json::{json, Value};

#[component]
pub fn ProjectDetailPage() -> impl IntoView {
    view! { <RecordPage load=get_project render=|project| view! { <ProjectView project /> } /> }
}

#[component]
fn ProjectView(project: ProjectDetail) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let title = project.summary.name.clone();
    let description: String = project.highlights.chars().take(150).collect();
    let data = structured_data(&project, locale);
    let owner_href = format!("/organisations/{}", project.summary.owner.id);
    let owner = project.summary.owner.name.clone();
    let government_traction = project.summary.government_traction;
    let (status, reason) = (project.status, project.status_reason.clone());
    let (project_id, owner_id) = (project.summary.id, project.summary.owner.id);
    let files = project.attachments.clone();
    let sections = [
        (
            "highlights",
            project.highlights.clone(),
            (|m: &Messages| m.highlights) as fn(&Messages) -> &'static str,
        ),
        ("team", project.team.clone(), |m| m.team),
        ("ip", project.intellectual_property.clone(), |m| {
            m.intellectual_property
        }),
        ("traction", project.traction.clone(), |m| m.traction),
    ];
    let contact = project.contact.clone();
    let p = StoredValue::new(project);
    let fact = move |read: fn(&ProjectDetail, Locale) -> Option<String>| {
        Signal::derive(move || p.with_value(|p| read(p, locale)))
    };
    let label = move |pick: fn(&Messages) -> &'static str| Signal::stored(pick(t));
    view! {
        <RecordHead title=title.clone() description data />
        <article class="record" data-testid="project-detail">
            <StatusBanner status reason />
            <h1>{title}</h1>
            <p class="record-owner">
                <a href=owner_href>{owner}</a>
            </p>
            <crate::traction::TractionLine traction=government_traction of_owner=true />
            <Facts>
                <Fact label=label(|m| m.sector) value=fact(|p, l| Some(p.summary.sector.label(l).to_owned())) />
                <Fact label=label(|m| m.stage) value=fact(|p, l| Some(p.summary.stage.label(l).to_owned())) />
                <Fact
                    label=label(|m| m.financing_sought)
                    value=fact(|p, l| p.summary.financing_sought.map(|a| a.display(l)))
                />
                <Fact
                    label=label(|m| m.financing_form)
                    value=fact(|p, l| Some(p.summary.financing_form.label(l).to_owned()))
                />
                <Fact label=label(|m| m.published_on) value=fact(|p, _| p.published_on.map(|d| d.to_string())) />
            </Facts>
            {sections
                .into_iter()
                .filter(|(_, text, _)| !text.trim().is_empty())
                .map(|(id, text, heading)| {
                    let (heading_id, labelled_by) = (format!("{id}-heading"), format!("{id}-heading"));
                    view! {
                        <section aria-labelledby=labelled_by>
                            <h2 id=heading_id>{move || heading(t)}</h2>
                            <p class="prose">{text}</p>
                        </section>
                    }
                })
                .collect_view()}
            <section aria-labelledby="contact-heading">
                <h2 id="contact-heading">{t.public_contact}</h2>
                {match contact {
                    Some(contact) => view! { <p data-testid="project-contact">{contact}</p> }.into_any(),
                    None => view! { <p>{t.contact_withheld}</p> }.into_any(),
                }}
            </section>
            <crate::submissions::pages::RecordFiles files=files />
            <crate::accounts::form::RedirectNotice />
            <crate::submissions::pages::OwnerActions kind=crate::submissions::forms::RecordKind::Project id=project_id.0 owner=owner_id status />
        </article>
    }
}

/// The project as a schema.org `Project` (<https://schema.org/Project>): its owner as
/// parent organisation and its sector; never its contact.
fn structured_data(project: &ProjectDetail, locale: Locale) -> Value {
    json!({
        "@type": "Project",
        "name": project.summary.name,
        "description": project.highlights,
        "knowsAbout": project.summary.sector.label(locale),
        "parentOrganization": {"@type": "Organization", "name": project.summary.owner.name},
    })
}
