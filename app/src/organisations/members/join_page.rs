//! `/organisations/join?credit_code=…`: asking to join an organisation, or claiming one
//! that has no admin.

use crate::accounts::form::{Field, FieldLabels, PostForm, TextAreaField};
use crate::accounts::texts::{use_account_texts, AccountTexts};
use crate::accounts::{require, AccessDenied};
use crate::auth::{Action, Target};
use crate::components::PageTitle;
use leptos::prelude::*;

pub fn join_labels(t: &AccountTexts) -> FieldLabels {
    FieldLabels(vec![
        ("credit_code", t.credit_code),
        ("message", t.join_message),
    ])
}

#[component]
pub fn JoinOrganisationPage() -> impl IntoView {
    let t = use_account_texts();
    provide_context(join_labels(t));
    if let Err(error) = require(Action::AskToJoin, &Target::none()) {
        return view! { <AccessDenied error /> }.into_any();
    }
    let code = crate::components::request_query()
        .into_iter()
        .find(|(name, _)| name == "credit_code")
        .map(|(_, value)| value);
    view! {
        <PageTitle text=t.ask_to_join />
        <section class="account-form narrow">
            <h1>{t.ask_to_join}</h1>
            <p class="lead">{t.ask_to_join_lead}</p>
            <PostForm action="/organisations/join".to_owned() label=t.ask_to_join multipart=true>
                <Field name="credit_code" label=t.credit_code hint=t.credit_code_hint value=code.unwrap_or_default() maxlength=40 />
                <TextAreaField name="message" label=t.join_message hint=t.join_message_hint />
                <Field name="evidence" label=t.evidence kind="file" hint=t.evidence_hint required=false />
                <button type="submit">{t.send_request}</button>
            </PostForm>
        </section>
    }
    .into_any()
}
