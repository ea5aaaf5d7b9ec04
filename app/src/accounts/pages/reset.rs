//! `/reset` (ask for a link) and `/reset/{token}` (choose a new password).

use crate::accounts::form::{Field, FieldLabels, PostForm, RedirectNotice};
use crate::accounts::texts::{use_account_texts, AccountTexts};
use crate::components::PageTitle;
use crate::error::AppError;
use crate::errors::ErrorPage;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

pub fn reset_labels(t: &AccountTexts) -> FieldLabels {
    FieldLabels(vec![("email", t.email)])
}

pub fn reset_password_labels(t: &AccountTexts) -> FieldLabels {
    FieldLabels(vec![("password", t.new_password)])
}

#[component]
pub fn ResetRequestPage() -> impl IntoView {
    let t = use_account_texts();
    provide_context(reset_labels(t));
    view! {
        <PageTitle text=t.reset_title />
        <section class="account-form narrow">
            <h1>{t.reset_title}</h1>
            <RedirectNotice />
            <p class="lead">{t.reset_lead}</p>
            <PostForm action="/reset".to_owned() label=t.reset_title>
                <Field name="email" label=t.email kind="email" autocomplete="email" maxlength=254 />
                <button type="submit">{t.reset_send}</button>
            </PostForm>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let t = use_account_texts();
    provide_context(reset_password_labels(t));
    let token = use_params_map().with_untracked(|params| params.get("token").unwrap_or_default());
    let works = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        link_works,
    );
    view! {
        <PageTitle text=t.reset_choose_title />
        <Suspense>
            {move || Suspend::new({
                let token = token.clone();
                async move {
                    match works.await {
                        Ok(true) => view! {
                            <section class="account-form narrow">
                                <h1>{t.reset_choose_title}</h1>
                                <PostForm action=format!("/reset/{token}") label=t.reset_choose_title>
                                    <Field name="password" label=t.new_password kind="password" hint=t.password_hint autocomplete="new-password" maxlength=128 />
                                    <button type="submit">{t.reset_choose}</button>
                                </PostForm>
                            </section>
                        }.into_any(),
                        Ok(false) => view! { <LinkInvalid /> }.into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                }
            })}
        </Suspense>
    }
}

/// A mailed link that no longer works: 410 Gone, with a way to ask again.
#[component]
pub fn LinkInvalid() -> impl IntoView {
    let t = use_account_texts();
    crate::error::set_page_status(410);
    view! {
        <section class="error-page" data-testid="link-invalid">
            <h1>{t.link_invalid_title}</h1>
            <p class="error-notice" role="alert">{t.link_invalid_text}</p>
            <p><a href="/reset">{t.reset_title}</a></p>
        </section>
    }
}

async fn link_works(token: String) -> Result<bool, AppError> {
    #[cfg(feature = "ssr")]
    {
        let state = crate::state::app_state()?;
        crate::accounts::server::recovery::reset_link_works(&state, &token).await
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = token;
        Err(AppError::Internal)
    }
}
