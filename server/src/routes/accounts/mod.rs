//! The account forms' POST handlers and `/account/data`. Each page's GET is the Leptos
//! page at the same address (`app::accounts`); these answer its form (see [`reply`]).

mod account;
pub mod reply;
mod sign_in;
mod sign_up;

pub use reply::{render_page, Posted};

use super::listed::Listed;
use crate::limits::Limiter;
use app::state::AppState;
use axum::routing::{get, post};
use axum::Extension;
use http::Method;
use std::sync::Arc;

/// The routes, to merge with the pages' (the same paths answer GET with the page).
pub fn router(limiter: Arc<Limiter>) -> Listed<AppState> {
    Listed::default()
        .route(Method::POST, "/sign-in", post(sign_in::sign_in))
        .route(Method::POST, "/sign-out", post(sign_in::sign_out))
        .route(
            Method::POST,
            "/sign-in/second-factor",
            post(sign_in::second_factor),
        )
        .route(
            Method::POST,
            "/account/second-factor",
            post(account::enable_second_factor),
        )
        .route(
            Method::POST,
            "/account/second-factor/recovery-codes",
            post(account::new_recovery_codes),
        )
        .route(
            Method::POST,
            "/account/second-factor/disable",
            post(account::disable_second_factor),
        )
        .route(Method::POST, "/sign-up", post(sign_up::sign_up))
        .route(Method::POST, "/confirm/{token}", post(sign_up::confirm))
        .route(Method::POST, "/reset", post(sign_in::request_reset))
        .route(
            Method::POST,
            "/reset/{token}",
            post(sign_in::reset_password),
        )
        .route(
            Method::POST,
            "/account/profile",
            post(account::update_profile),
        )
        .route(
            Method::POST,
            "/account/mobile",
            post(account::send_mobile_code),
        )
        .route(
            Method::POST,
            "/account/mobile/confirm",
            post(account::confirm_mobile),
        )
        .route(
            Method::POST,
            "/account/confirmation",
            post(account::resend_confirmation),
        )
        .route(
            Method::POST,
            "/account/sign-out-everywhere",
            post(account::sign_out_everywhere),
        )
        .route(
            Method::POST,
            "/account/sessions/{id}/end",
            post(account::end_session),
        )
        .route(
            Method::POST,
            "/account/delete",
            post(account::delete_account),
        )
        .route(Method::GET, "/account/data", get(account::personal_data))
        .map_router(|router| router.layer(Extension(limiter)))
}
