//! The signed-in person's own account: profile, confirmation mail, sign-ins, deletion and
//! data. Each checks `ManageOwnAccount` in the permission table first.

use super::reply::{failed, reply_on, Posted};
use super::sign_in::spend;
use crate::limits::Limiter;
use crate::sessions::SIGN_IN_KEY;
use app::accounts::form::FieldLabels;
use app::accounts::server::{
    erasure, export, mobile, profile, registration, second_factor, sign_ins, Refusal,
};
use app::accounts::{account_labels, delete_labels, second_factor_labels};
use app::audit::{self, Actor, AuditEntry};
use app::auth::{check, Action, Caller, Target};
use app::domain::UserId;
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use http::header;
use std::sync::Arc;
use tower_sessions::Session;
use uuid::Uuid;

/// The account of a caller allowed to manage it.
fn own_account(caller: &Caller) -> Result<UserId, AppError> {
    check(caller, Action::ManageOwnAccount, &Target::none())?;
    caller
        .signed_in()
        .map(|account| account.user)
        .ok_or(AppError::Unauthorized)
}

pub async fn update_profile(State(state): State<AppState>, posted: Posted) -> Response {
    let result = async {
        let user = own_account(&posted.caller())?;
        profile::update_profile(
            &state,
            user,
            posted.get("display_name"),
            posted.get("real_name"),
        )
        .await?;
        Ok("/account?notice=profile_saved".to_owned())
    }
    .await;
    reply_on(&state, posted, Some("/account"), account_labels, result).await
}

pub async fn resend_confirmation(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<Limiter>>,
    posted: Posted,
) -> Response {
    let result = async {
        let user = own_account(&posted.caller())?;
        spend(&limiter, &posted, "email", None)?;
        registration::resend_confirmation(&state, user, posted.locale()).await?;
        Ok("/account?notice=confirmation_sent".to_owned())
    }
    .await;
    reply_on(
        &state,
        posted,
        Some("/account"),
        |_| FieldLabels::default(),
        result,
    )
    .await
}

pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    session: Session,
    posted: Posted,
) -> Response {
    let result = async {
        let user = own_account(&posted.caller())?;
        let now = state.clock.now();
        let mut tx = state.pool.begin().await?;
        sign_ins::end_all(&mut tx, user, None).await?;
        audit::record(
            &mut tx,
            AuditEntry {
                actor: Actor::User(user),
                subject_kind: "user",
                subject_id: user.0,
                action: "sign_out_everywhere",
                from_state: None,
                to_state: None,
                reason: None,
                changed_fields: &[],
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        let _ = session.flush().await;
        Ok::<_, Refusal>("/sign-in?notice=signed_out_everywhere".to_owned())
    }
    .await;
    reply_on(
        &state,
        posted,
        Some("/account"),
        |_| FieldLabels::default(),
        result,
    )
    .await
}

pub async fn end_session(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let result = async {
        let user = own_account(&posted.caller())?;
        let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
        if !sign_ins::end_own(&state.pool, user, id).await? {
            return Err(AppError::NotFound.into());
        }
        Ok("/account/sessions?notice=session_ended".to_owned())
    }
    .await;
    reply_on(
        &state,
        posted,
        Some("/account/sessions"),
        |_| FieldLabels::default(),
        result,
    )
    .await
}

pub async fn delete_account(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<Limiter>>,
    session: Session,
    posted: Posted,
) -> Response {
    let result = async {
        let user = own_account(&posted.caller())?;
        // Password checks are budgeted here as at sign-in.
        spend(
            &limiter,
            &posted,
            "password",
            Some(&format!("account:{}", user.0)),
        )?;
        erasure::delete_account(&state, user, posted.get("password")).await?;
        let _ = session.remove::<Uuid>(SIGN_IN_KEY).await;
        let _ = session.flush().await;
        Ok("/sign-in?notice=account_deleted".to_owned())
    }
    .await;
    reply_on(&state, posted, Some("/account"), delete_labels, result).await
}

/// `GET /account/data`: the person's data as a JSON download (never cached).
pub async fn personal_data(
    State(state): State<AppState>,
    caller: Caller,
    request: axum::extract::Request,
) -> Response {
    let result = async {
        let user = own_account(&caller)?;
        export::personal_data(&state.pool, user).await
    }
    .await;
    match result {
        Ok(data) => (
            [
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"personal-data.json\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            axum::Json(data),
        )
            .into_response(),
        Err(error) => {
            let (parts, _) = request.into_parts();
            failed(
                &state,
                Posted {
                    parts,
                    fields: Vec::new(),
                    uploads: Vec::new(),
                },
                error,
            )
            .await
        }
    }
}

/// The sign-in this request belongs to (its id), for the second factor's set-up.
fn sign_in_of(posted: &Posted) -> Result<Uuid, AppError> {
    posted
        .viewer()
        .and_then(|viewer| viewer.sign_in.parse().ok())
        .ok_or(AppError::Unauthorized)
}

/// Renders the second factor's page with the recovery codes just made.
async fn show_codes(state: &AppState, posted: Posted, codes: Vec<String>) -> Response {
    let mut parts = posted.parts;
    parts.uri = http::Uri::from_static("/account/second-factor");
    parts
        .extensions
        .insert(app::accounts::ShownRecoveryCodes(codes));
    super::reply::render_page(state, parts, None, http::StatusCode::OK).await
}

/// `POST /account/second-factor`: turns it on with the first code; answers with the
/// recovery codes.
pub async fn enable_second_factor(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<Limiter>>,
    posted: Posted,
) -> Response {
    let result = async {
        let user = own_account(&posted.caller())?;
        // The password is checked here: budgeted as at sign-in.
        spend(
            &limiter,
            &posted,
            "password",
            Some(&format!("account:{}", user.0)),
        )?;
        let sign_in = sign_in_of(&posted)?;
        second_factor::confirm_enrolment(
            &state,
            user,
            sign_in,
            posted.get("password"),
            posted.get("code"),
        )
        .await
    }
    .await;
    match result {
        Ok(codes) => show_codes(&state, posted, codes).await,
        Err(refusal) => {
            reply_on(
                &state,
                posted,
                Some("/account/second-factor"),
                second_factor_labels,
                Err(refusal),
            )
            .await
        }
    }
}

/// `POST /account/second-factor/recovery-codes`: new recovery codes after a code.
pub async fn new_recovery_codes(State(state): State<AppState>, posted: Posted) -> Response {
    let result = async {
        let user = own_account(&posted.caller())?;
        second_factor::regenerate_recovery_codes(&state, user, posted.get("code")).await
    }
    .await;
    match result {
        Ok(codes) => show_codes(&state, posted, codes).await,
        Err(refusal) => {
            reply_on(
                &state,
                posted,
                Some("/account/second-factor"),
                second_factor_labels,
                Err(refusal),
            )
            .await
        }
    }
}

/// `POST /account/second-factor/disable`: turns it off after a code.
pub async fn disable_second_factor(State(state): State<AppState>, posted: Posted) -> Response {
    let result = async {
        let user = own_account(&posted.caller())?;
        second_factor::disable(&state, user, posted.get("code")).await?;
        Ok::<_, Refusal>("/account/second-factor?notice=second_factor_off".to_owned())
    }
    .await;
    reply_on(
        &state,
        posted,
        Some("/account/second-factor"),
        second_factor_labels,
        result,
    )
    .await
}

/// `POST /account/mobile`: sends an SMS code to the number given.
pub async fn send_mobile_code(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<Limiter>>,
    posted: Posted,
) -> Response {
    let result = async {
        let user = own_account(&posted.caller())?;
        // Budgeted per account and per number: nobody floods a stranger's phone, and
        // fresh codes do not buy endless guesses.
        spend(
            &limiter,
            &posted,
            "mobile",
            Some(&format!("sms:{}", user.0)),
        )?;
        if let Some(number) = app::accounts::sms::normalise_mobile(posted.get("mobile")) {
            spend(
                &limiter,
                &posted,
                "mobile",
                Some(&format!("sms-to:{number}")),
            )?;
        }
        mobile::send_code(&state, user, posted.get("mobile")).await?;
        Ok::<_, Refusal>("/account?notice=mobile_code_sent".to_owned())
    }
    .await;
    reply_on(&state, posted, Some("/account"), account_labels, result).await
}

/// `POST /account/mobile/confirm`: the code from the SMS.
pub async fn confirm_mobile(State(state): State<AppState>, posted: Posted) -> Response {
    let result = async {
        let user = own_account(&posted.caller())?;
        mobile::confirm(&state, user, posted.get("code")).await?;
        Ok::<_, Refusal>("/account?notice=mobile_confirmed".to_owned())
    }
    .await;
    reply_on(&state, posted, Some("/account"), account_labels, result).await
}
