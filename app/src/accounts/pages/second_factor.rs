//! `/account/second-factor` (turning the second factor on and off, recovery codes) and
//! `/sign-in/second-factor` (the code asked after the password).

use super::guard::{require, AccessDenied};
use crate::accounts::form::{Field, FieldLabels, PostForm, RedirectNotice};
use crate::accounts::texts::{use_account_texts, AccountTexts};
use crate::auth::{Action, Target};
use crate::components::PageTitle;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub fn second_factor_labels(t: &AccountTexts) -> FieldLabels {
    FieldLabels(vec![("code", t.code), ("password", t.current_password)])
}

/// Recovery codes just made, shown once on the page that answers the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownRecoveryCodes(pub Vec<String>);

/// What the set-up page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecondFactorState {
    On,
    SettingUp { key: String, qr_svg: String },
}

fn shown_codes() -> Option<Vec<String>> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<ShownRecoveryCodes>().cloned())
            .map(|codes| codes.0)
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let t = use_account_texts();
    provide_context(second_factor_labels(t));
    if let Err(error) = require(Action::ManageOwnAccount, &Target::none()) {
        return view! { <AccessDenied error /> }.into_any();
    }
    let codes = shown_codes();
    // Shown again after a refused code: keep the key the person has just scanned.
    let fresh = use_context::<crate::accounts::form::FormOutcome>().is_none();
    let state = Resource::new_blocking(move || fresh, load);
    view! {
        <PageTitle text=t.second_factor />
        <section class="account narrow">
            <h1>{t.second_factor}</h1>
            <RedirectNotice />
            <p>{t.second_factor_lead}</p>
            {codes.map(|codes| view! {
                <section class="notice" aria-labelledby="recovery-heading" data-testid="recovery-codes">
                    <h2 id="recovery-heading">{t.recovery_codes}</h2>
                    <p>{t.recovery_codes_lead}</p>
                    <ul class="codes">{codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}</ul>
                </section>
            })}
            <Suspense>
                {move || Suspend::new(async move {
                    match state.await {
                        Ok(SecondFactorState::On) => view! {
                            <p data-testid="second-factor-on">{t.second_factor_on}</p>
                            <PostForm action="/account/second-factor/recovery-codes".to_owned() label=t.new_recovery_codes enhance=false>
                                <Field name="code" label=t.code hint=t.code_hint autocomplete="one-time-code" maxlength=20 />
                                <button type="submit" class="secondary">{t.new_recovery_codes}</button>
                            </PostForm>
                            <PostForm action="/account/second-factor/disable".to_owned() label=t.turn_off>
                                <Field name="code" label=t.code hint=t.code_hint autocomplete="one-time-code" maxlength=20 />
                                <button type="submit" class="danger">{t.turn_off}</button>
                            </PostForm>
                        }.into_any(),
                        Ok(SecondFactorState::SettingUp { key, qr_svg }) => view! {
                            <p>{t.second_factor_setup}</p>
                            <div class="qr" role="img" aria-label=t.second_factor inner_html=qr_svg></div>
                            <p>{t.second_factor_key} ": " <code data-testid="second-factor-key">{key}</code></p>
                            <PostForm action="/account/second-factor".to_owned() label=t.turn_on enhance=false>
                                <Field name="password" label=t.current_password kind="password" autocomplete="current-password" maxlength=128 />
                                <Field name="code" label=t.code autocomplete="one-time-code" maxlength=10 />
                                <button type="submit">{t.turn_on}</button>
                            </PostForm>
                        }.into_any(),
                        Err(error) => view! { <AccessDenied error /> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a href="/account">{t.account}</a></p>
        </section>
    }
    .into_any()
}

async fn load(fresh: bool) -> Result<SecondFactorState, AppError> {
    #[cfg(feature = "ssr")]
    {
        let viewer = require(Action::ManageOwnAccount, &Target::none())?;
        let state = crate::state::app_state()?;
        let account = viewer.caller.signed_in().ok_or(AppError::Unauthorized)?;
        let email = sqlx::query_scalar!("SELECT email FROM users WHERE id = $1", account.user.0)
            .fetch_one(&state.pool)
            .await?
            .unwrap_or_default();
        Ok(
            match crate::accounts::server::second_factor::enrolment(
                &state,
                account.user,
                &email,
                fresh,
            )
            .await?
            {
                None => SecondFactorState::On,
                Some(enrolment) => SecondFactorState::SettingUp {
                    key: enrolment.secret_base32,
                    qr_svg: enrolment.qr_svg,
                },
            },
        )
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = fresh;
        Err(AppError::Internal)
    }
}

#[component]
pub fn SecondFactorSignInPage() -> impl IntoView {
    let t = use_account_texts();
    provide_context(second_factor_labels(t));
    view! {
        <PageTitle text=t.second_factor_sign_in />
        <section class="account-form narrow">
            <h1>{t.second_factor_sign_in}</h1>
            <p>{t.second_factor_sign_in_lead}</p>
            <PostForm action="/sign-in/second-factor".to_owned() label=t.second_factor_sign_in>
                <Field name="code" label=t.code hint=t.code_hint autocomplete="one-time-code" maxlength=20 />
                <button type="submit">{t.verify_code}</button>
            </PostForm>
        </section>
    }
}
