//! `/confirm/{token}`: the link of the confirmation mail. Opening it shows a button;
//! pressing it (a POST) confirms, so a mail scanner that follows links confirms nothing.

use super::reset::LinkInvalid;
use crate::accounts::form::PostForm;
use crate::accounts::texts::use_account_texts;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::errors::ErrorPage;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ConfirmPage() -> impl IntoView {
    let t = use_account_texts();
    let token = use_params_map().with_untracked(|params| params.get("token").unwrap_or_default());
    let works = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        link_works,
    );
    view! {
        <PageTitle text=t.confirm_title />
        <Suspense>
            {move || Suspend::new({
                let token = token.clone();
                async move {
                    match works.await {
                        Ok(true) => view! {
                            <section class="account-form narrow">
                                <h1>{t.confirm_title}</h1>
                                <p>{t.confirm_text}</p>
                                <PostForm action=format!("/confirm/{token}") label=t.confirm_title>
                                    <button type="submit">{t.confirm_button}</button>
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

async fn link_works(token: String) -> Result<bool, AppError> {
    #[cfg(feature = "ssr")]
    {
        use crate::accounts::server::tokens::{is_valid, Purpose};
        let state = crate::state::app_state()?;
        Ok(is_valid(
            &state.pool,
            &token,
            Purpose::ConfirmEmail,
            state.clock.now(),
        )
        .await?)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = token;
        Err(AppError::Internal)
    }
}
