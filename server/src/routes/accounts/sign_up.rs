//! Signing up and confirming the address.

use super::reply::{reply, Posted};
use super::sign_in::spend;
use crate::limits::Limiter;
use app::accounts::form::FieldLabels;
use app::accounts::server::registration::{self, NewAccount};
use app::accounts::sign_up_labels;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use std::sync::Arc;

/// `POST /sign-up`: the same answer whether or not the address already has an account.
pub async fn sign_up(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<Limiter>>,
    posted: Posted,
) -> Response {
    let result = async {
        spend(&limiter, &posted, "email", None)?;
        let input = NewAccount {
            email: posted.get("email").to_owned(),
            password: posted.get("password").to_owned(),
            display_name: posted.get("display_name").to_owned(),
            real_name: posted.get("real_name").to_owned(),
            consent: !posted.get("consent").is_empty(),
        };
        registration::register(&state, input, posted.locale()).await?;
        Ok("/sign-in?notice=check_mail".to_owned())
    }
    .await;
    reply(&state, posted, sign_up_labels, result).await
}

/// `POST /confirm/{token}`: confirms the address; a link that no longer works shows its
/// page (410).
pub async fn confirm(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<Limiter>>,
    Path(token): Path<String>,
    posted: Posted,
) -> Response {
    let signed_in = posted.viewer().is_some();
    let result = async {
        spend(&limiter, &posted, "token", None)?;
        Ok(match registration::confirm_email(&state, &token).await? {
            true if signed_in => "/account?notice=confirmed".to_owned(),
            true => "/sign-in?notice=confirmed".to_owned(),
            false => format!("/confirm/{token}"),
        })
    }
    .await;
    reply(&state, posted, |_| FieldLabels::default(), result).await
}
