//! The permission check in front of a page: the same table as every server function and
//! API route ([`crate::auth::check`]).

use crate::accounts::texts::use_account_texts;
use crate::accounts::viewer::{use_viewer, Viewer};
use crate::auth::{check, Action, Caller, Target};
use crate::error::{set_page_status, AppError};
use crate::errors::ErrorPage;
use leptos::prelude::*;

/// The signed-in viewer when they may take `action` on `target`; else
/// [`AppError::Unauthorized`] (nobody signed in) or [`AppError::Forbidden`].
pub fn require(action: Action, target: &Target) -> Result<Viewer, AppError> {
    let viewer = use_viewer();
    let caller = viewer
        .as_ref()
        .map_or(Caller::Anonymous, |viewer| viewer.caller.clone());
    check(&caller, action, target)?;
    viewer.ok_or(AppError::Unauthorized)
}

/// What a page shows instead of itself: for nobody signed in, 401 and a link to sign in
/// that comes back here; otherwise the error's page (403, 503…).
#[component]
pub fn AccessDenied(error: AppError) -> impl IntoView {
    if error != AppError::Unauthorized {
        return view! { <ErrorPage error /> }.into_any();
    }
    set_page_status(401);
    let t = use_account_texts();
    let here = current_path();
    let href = format!("/sign-in?next={}", crate::url::encode_query_value(&here));
    view! {
        <crate::components::PageTitle text=t.sign_in />
        <section class="error-page">
            <h1>{t.sign_in}</h1>
            <p class="error-notice" role="alert" data-testid="error-notice">
                {t.notice_sign_in_first}
            </p>
            <p><a href=href class="button">{t.sign_in}</a></p>
        </section>
    }
    .into_any()
}

/// The path and query of the page being rendered.
pub fn current_path() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.uri.path_and_query().map(|p| p.as_str().to_owned()))
            .unwrap_or_else(|| "/".to_owned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        "/".to_owned()
    }
}
