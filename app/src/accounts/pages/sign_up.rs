//! `/sign-up`: a new account.

use crate::accounts::form::{use_form_outcome, Field, FieldLabels, PostForm};
use crate::accounts::texts::{use_account_texts, AccountTexts};
use crate::accounts::PRIVACY_VERSION;
use crate::components::PageTitle;
use leptos::prelude::*;

pub fn sign_up_labels(t: &AccountTexts) -> FieldLabels {
    FieldLabels(vec![
        ("email", t.email),
        ("password", t.password),
        ("display_name", t.display_name),
        ("real_name", t.real_name),
        ("consent", t.privacy_title),
    ])
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let t = use_account_texts();
    provide_context(sign_up_labels(t));
    let outcome = use_form_outcome();
    let consent_error = outcome.error("consent").map(|problem| problem.message(t));
    let consented = outcome.value("consent").is_some();
    view! {
        <PageTitle text=t.sign_up />
        <section class="account-form narrow">
            <h1>{t.sign_up}</h1>
            <p class="lead">{t.sign_up_lead}</p>
            <PostForm action="/sign-up".to_owned() label=t.sign_up>
                <Field name="email" label=t.email kind="email" hint=t.email_hint autocomplete="email" maxlength=254 />
                <Field name="password" label=t.password kind="password" hint=t.password_hint autocomplete="new-password" maxlength=128 />
                <Field name="display_name" label=t.display_name hint=t.display_name_hint autocomplete="nickname" maxlength=60 />
                <Field name="real_name" label=t.real_name hint=t.real_name_hint autocomplete="name" maxlength=60 />
                <div class="field checkbox" class:invalid=consent_error.is_some()>
                    <p class="field-error" id="field-consent-error" data-error-for="consent" hidden=consent_error.is_none()>
                        {consent_error.clone()}
                    </p>
                    <input
                        type="checkbox"
                        id="field-consent"
                        name="consent"
                        value=PRIVACY_VERSION
                        required
                        checked=consented
                        aria-describedby="field-consent-error"
                    />
                    <label for="field-consent">
                        {t.consent_before}
                        <a href="/privacy" target="_blank">{t.consent_link}</a>
                        {format!("（{} {PRIVACY_VERSION}）", t.privacy_version)}
                        {t.consent_after}
                    </label>
                </div>
                <button type="submit">{t.sign_up}</button>
            </PostForm>
            <p>
                {t.have_account} " " <a href="/sign-in">{t.sign_in}</a>
            </p>
        </section>
    }
}
