//! The account forms' POST handlers and `/account/data`. Each page's GET is the Leptos
//! page at the same address (`app::accounts`); these answer its form (see [`reply`]).

mod account;
mod reply;
mod sign_in;
mod sign_up;

pub use reply::{render_page, Posted};

use crate::limits::Limiter;
use app::state::AppState;
use axum::routing::{get, post};
use axum::{Extension, Router};
use std::sync::Arc;

/// The routes, to merge with the pages' (the same paths answer GET with the page).
pub fn router(limiter: Arc<Limiter>) -> Router<AppState> {
    Router::new()
        .route("/sign-in", post(sign_in::sign_in))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/sign-up", post(sign_up::sign_up))
        .route("/confirm/{token}", post(sign_up::confirm))
        .route("/reset", post(sign_in::request_reset))
        .route("/reset/{token}", post(sign_in::reset_password))
        .route("/account/profile", post(account::update_profile))
        .route("/account/confirmation", post(account::resend_confirmation))
        .route(
            "/account/sign-out-everywhere",
            post(account::sign_out_everywhere),
        )
        .route("/account/sessions/{id}/end", post(account::end_session))
        .route("/account/delete", post(account::delete_account))
        .route("/account/data", get(account::personal_data))
        .layer(Extension(limiter))
}
