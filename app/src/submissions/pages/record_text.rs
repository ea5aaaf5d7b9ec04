//! A submitted record's text as reviewers and the notice read it: its facts as a list and
//! its long texts as paragraphs, for each kind of record.

use crate::domain::{
    Certification, FinancingForm, Industry, InsuranceStatus, Location, ProjectStage, Sector,
};
use crate::i18n::{use_locale, Locale};
use crate::submissions::forms::RecordForm;
use crate::submissions::texts::{use_workflow_texts, WorkflowTexts};
use leptos::prelude::*;

/// The record's facts (label, value), in the form's order; empty values left out.
pub fn record_facts(
    record: &RecordForm,
    t: &WorkflowTexts,
    locale: Locale,
) -> Vec<(&'static str, String)> {
    fn label<T>(
        code: &str,
        parse: fn(&str) -> Option<T>,
        name: fn(&T, Locale) -> &'static str,
        locale: Locale,
    ) -> String {
        parse(code)
            .map(|v| name(&v, locale).to_owned())
            .unwrap_or_default()
    }
    let facts = match record {
        RecordForm::Product(p) => vec![
            (
                t.procurement_code,
                format!("{} {}", p.procurement_code, p.procurement_name)
                    .trim()
                    .to_owned(),
            ),
            (
                t.industry,
                label(&p.industry, Industry::from_code, |v, l| v.label(l), locale),
            ),
            (
                t.price_min,
                format!(
                    "{} {}",
                    p.price_min,
                    if p.price_min.is_empty() {
                        ""
                    } else {
                        &p.price_unit
                    }
                )
                .trim()
                .to_owned(),
            ),
            (t.price_max, p.price_max.clone()),
            (
                t.certifications,
                p.certifications
                    .iter()
                    .filter_map(|c| Certification::from_code(c))
                    .map(|c| c.label(locale))
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            (t.patents, p.patents.replace('\n', "；")),
            (t.valid_until, p.valid_until.clone()),
            (
                t.registration_certificate,
                if p.is_medical {
                    p.registration_certificate.clone()
                } else {
                    String::new()
                },
            ),
            (
                t.insurance_status,
                if p.is_medical {
                    label(
                        &p.insurance_status,
                        InsuranceStatus::from_code,
                        |v, l| v.label(l),
                        locale,
                    )
                } else {
                    String::new()
                },
            ),
        ],
        RecordForm::Scenario(s) => vec![
            (
                t.sector,
                label(&s.sector, Sector::from_code, |v, l| v.label(l), locale),
            ),
            (
                t.location,
                label(&s.location, Location::from_code, |v, l| v.label(l), locale),
            ),
            (t.budget_min, s.budget_min.clone()),
            (t.budget_max, s.budget_max.clone()),
            (t.open_until, s.open_until.clone()),
            (t.contact_phone, s.contact_phone.clone()),
            (t.contact_email, s.contact_email.clone()),
        ],
        RecordForm::Project(p) => vec![
            (
                t.sector,
                label(&p.sector, Sector::from_code, |v, l| v.label(l), locale),
            ),
            (
                t.stage,
                label(&p.stage, ProjectStage::from_code, |v, l| v.label(l), locale),
            ),
            (t.financing_sought, p.financing_sought.clone()),
            (
                t.financing_form,
                label(
                    &p.financing_form,
                    FinancingForm::from_code,
                    |v, l| v.label(l),
                    locale,
                ),
            ),
            (
                t.contact_consent,
                if p.contact_consent {
                    "✓".to_owned()
                } else {
                    "✗".to_owned()
                },
            ),
            (t.contact_phone, p.contact_phone.clone()),
            (t.contact_email, p.contact_email.clone()),
        ],
    };
    facts
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .collect()
}

/// The record's long texts (heading, text), empty ones left out.
pub fn record_texts(record: &RecordForm, t: &WorkflowTexts) -> Vec<(&'static str, String)> {
    let texts = match record {
        RecordForm::Product(p) => vec![
            (t.description, p.description.clone()),
            (t.specifications, p.specifications.clone()),
        ],
        RecordForm::Scenario(s) => vec![
            (t.need, s.need.clone()),
            (t.expected_outcome, s.expected_outcome.clone()),
        ],
        RecordForm::Project(p) => vec![
            (t.highlights, p.highlights.clone()),
            (t.team, p.team.clone()),
            (t.intellectual_property, p.intellectual_property.clone()),
            (t.traction, p.traction.clone()),
        ],
    };
    texts
        .into_iter()
        .filter(|(_, text)| !text.is_empty())
        .collect()
}

/// The record's facts (as `<dt>`/`<dd>` pairs, to go inside a `<dl>`).
#[component]
pub fn RecordFacts(record: RecordForm) -> impl IntoView {
    let t = use_workflow_texts();
    record_facts(&record, t, use_locale())
        .into_iter()
        .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
        .collect_view()
}

/// The record's long texts, each under a heading.
#[component]
pub fn RecordTexts(record: RecordForm) -> impl IntoView {
    let t = use_workflow_texts();
    record_texts(&record, t)
        .into_iter()
        .map(|(heading, text)| view! { <h2>{heading}</h2><p class="prose">{text}</p> })
        .collect_view()
}
