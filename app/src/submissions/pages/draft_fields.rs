//! The fields of each kind of draft's form: a product, a scenario, a project. Names are
//! the forms' (`submissions::forms`); each field shows its error when the form was refused.

use crate::accounts::form::{vocabulary_options, Field, SelectField, TextAreaField};
use crate::domain::{
    Certification, FinancingForm, Industry, InsuranceStatus, Location, ProjectStage, Sector,
};
use crate::i18n::use_locale;
use crate::submissions::forms::{ProductForm, ProjectForm, RecordForm, ScenarioForm};
use crate::submissions::texts::use_workflow_texts;
use leptos::prelude::*;

/// The fields of `form`'s kind, filled in with it.
#[component]
pub fn RecordFields(form: RecordForm) -> impl IntoView {
    match form {
        RecordForm::Product(form) => view! { <ProductFields form /> }.into_any(),
        RecordForm::Scenario(form) => view! { <ScenarioFields form /> }.into_any(),
        RecordForm::Project(form) => view! { <ProjectFields form /> }.into_any(),
    }
}

/// A checkbox posting `yes`.
#[component]
fn Checkbox(name: &'static str, label: &'static str, checked: bool) -> impl IntoView {
    let id = format!("field-{name}");
    view! {
        <div class="field checkbox">
            <input type="checkbox" id=id.clone() name=name value="yes" checked=checked />
            <label for=id>{label}</label>
        </div>
    }
}

#[component]
fn ProductFields(form: ProductForm) -> impl IntoView {
    let t = use_workflow_texts();
    let locale = use_locale();
    let certified = form.certifications.clone();
    view! {
        <Field name="name" label=t.name maxlength=200 required=false value=form.name />
        <Field name="procurement_code" label=t.procurement_code hint=t.procurement_code_hint maxlength=11 required=false value=form.procurement_code />
        <Field name="procurement_name" label=t.procurement_name maxlength=100 required=false value=form.procurement_name />
        <SelectField name="industry" label=t.industry options={vocabulary_options::<Industry>()} value=form.industry />
        <TextAreaField name="description" label=t.description maxlength=5000 value=form.description />
        <TextAreaField name="specifications" label=t.specifications maxlength=5000 value=form.specifications />
        <Field name="price_min" label=t.price_min hint=t.price_hint required=false value=form.price_min />
        <Field name="price_max" label=t.price_max required=false value=form.price_max />
        <Field name="price_unit" label=t.price_unit maxlength=10 required=false value=form.price_unit />
        <fieldset id="field-certifications">
            <legend>{t.certifications}</legend>
            {Certification::ALL.iter().map(|c| {
                let input_id = format!("certification-{}", c.code());
                let checked = certified.iter().any(|code| code == c.code());
                view! {
                    <div class="checkbox">
                        <input type="checkbox" id=input_id.clone() name="certifications" value=c.code() checked=checked />
                        <label for=input_id>{c.label(locale)}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <TextAreaField name="patents" label=t.patents hint=t.patents_hint maxlength=3000 value=form.patents />
        <Checkbox name="is_medical" label=t.is_medical checked=form.is_medical />
        <Field name="registration_certificate" label=t.registration_certificate maxlength=100 required=false value=form.registration_certificate />
        <SelectField name="insurance_status" label=t.insurance_status options={vocabulary_options::<InsuranceStatus>()} value=form.insurance_status />
        <Field name="valid_until" label=t.valid_until kind="date" required=false value=form.valid_until />
    }
}

#[component]
fn ScenarioFields(form: ScenarioForm) -> impl IntoView {
    let t = use_workflow_texts();
    view! {
        <Field name="title" label=t.scenario_title maxlength=200 required=false value=form.title />
        <SelectField name="sector" label=t.sector options={vocabulary_options::<Sector>()} value=form.sector />
        <TextAreaField name="need" label=t.need maxlength=5000 value=form.need />
        <TextAreaField name="expected_outcome" label=t.expected_outcome maxlength=5000 value=form.expected_outcome />
        <Field name="budget_min" label=t.budget_min hint=t.budget_hint required=false value=form.budget_min />
        <Field name="budget_max" label=t.budget_max required=false value=form.budget_max />
        <SelectField name="location" label=t.location options={vocabulary_options::<Location>()} value=form.location />
        <Field name="open_until" label=t.open_until kind="date" required=false value=form.open_until />
        <fieldset>
            <legend>{t.public_contact}</legend>
            <Field name="contact_phone" label=t.contact_phone kind="tel" hint=t.contact_hint required=false value=form.contact_phone />
            <Field name="contact_email" label=t.contact_email kind="email" hint=t.contact_hint required=false value=form.contact_email />
        </fieldset>
    }
}

#[component]
fn ProjectFields(form: ProjectForm) -> impl IntoView {
    let t = use_workflow_texts();
    view! {
        <Field name="name" label=t.project_name maxlength=200 required=false value=form.name />
        <SelectField name="sector" label=t.sector options={vocabulary_options::<Sector>()} value=form.sector />
        <SelectField name="stage" label=t.stage options={vocabulary_options::<ProjectStage>()} value=form.stage />
        <Field name="financing_sought" label=t.financing_sought hint=t.budget_hint required=false value=form.financing_sought />
        <SelectField name="financing_form" label=t.financing_form options={vocabulary_options::<FinancingForm>()} value=form.financing_form />
        <TextAreaField name="highlights" label=t.highlights maxlength=5000 value=form.highlights />
        <TextAreaField name="team" label=t.team maxlength=5000 value=form.team />
        <TextAreaField name="intellectual_property" label=t.intellectual_property maxlength=5000 value=form.intellectual_property />
        <TextAreaField name="traction" label=t.traction hint=t.traction_hint maxlength=5000 value=form.traction />
        <fieldset>
            <legend>{t.public_contact}</legend>
            <Checkbox name="contact_consent" label=t.contact_consent checked=form.contact_consent />
            <Field name="contact_phone" label=t.contact_phone kind="tel" hint=t.project_contact_hint required=false value=form.contact_phone />
            <Field name="contact_email" label=t.contact_email kind="email" hint=t.project_contact_hint required=false value=form.contact_email />
        </fieldset>
    }
}
