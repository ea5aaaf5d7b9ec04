//! `/organisations/new`: registering an organisation (any confirmed account).

use crate::accounts::form::{
    use_form_outcome, vocabulary_options, Field, FieldLabels, PostForm, Problem, SelectField,
    TextAreaField,
};
use crate::accounts::texts::{use_account_texts, AccountTexts};
use crate::accounts::{require, AccessDenied};
use crate::auth::{Action, Target};
use crate::components::PageTitle;
use crate::domain::{Location, OrganisationKind};
use leptos::prelude::*;

pub fn new_organisation_labels(t: &AccountTexts) -> FieldLabels {
    FieldLabels(vec![
        ("kind", t.organisation_kind),
        ("name", t.organisation_name),
        ("credit_code", t.credit_code),
        ("override_reason", t.override_reason),
        ("location", t.location),
        ("public_phone", t.public_phone),
        ("public_email", t.public_email),
        ("website", t.website),
        ("description", t.description),
    ])
}

#[component]
pub fn NewOrganisationPage() -> impl IntoView {
    let t = use_account_texts();
    provide_context(new_organisation_labels(t));
    if let Err(error) = require(Action::CreateOrganisation, &Target::none()) {
        return view! { <AccessDenied error /> }.into_any();
    }
    let kinds = vocabulary_options::<OrganisationKind>();
    let locations = vocabulary_options::<Location>();
    let outcome = use_form_outcome();
    // A code registered already: offer to ask to join that organisation instead.
    let taken = (outcome.error("credit_code") == Some(Problem::CreditCodeTaken)).then(|| {
        let code = outcome.value("credit_code").unwrap_or_default();
        view! {
            <p class="notice" data-testid="ask-to-join-instead">
                <a href=format!("/organisations/join?credit_code={}", crate::url::encode_query_value(code.trim()))>
                    {t.ask_to_join}
                </a>
            </p>
        }
    });
    view! {
        <PageTitle text=t.new_organisation />
        <section class="account-form narrow">
            <h1>{t.new_organisation}</h1>
            <p class="lead">{t.new_organisation_lead}</p>
            {taken}
            <PostForm action="/organisations/new".to_owned() label=t.new_organisation>
                <SelectField name="kind" label=t.organisation_kind options=kinds />
                <Field name="name" label=t.organisation_name maxlength=200 autocomplete="organization" />
                <Field name="credit_code" label=t.credit_code hint=t.credit_code_hint maxlength=40 />
                <Field name="override_reason" label=t.override_reason hint=t.override_reason_hint required=false maxlength=500 />
                <SelectField name="location" label=t.location options=locations />
                <Field name="public_phone" label=t.public_phone kind="tel" hint=t.public_contact_hint required=false maxlength=30 />
                <Field name="public_email" label=t.public_email kind="email" required=false maxlength=254 />
                <Field name="website" label=t.website kind="url" required=false maxlength=300 />
                <TextAreaField name="description" label=t.description />
                <button type="submit">{t.register}</button>
            </PostForm>
            <p><a href="/organisations/join">{t.ask_to_join}</a></p>
        </section>
    }
    .into_any()
}
