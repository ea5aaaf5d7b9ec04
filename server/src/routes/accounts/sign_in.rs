//! Signing in and out, and resetting a forgotten password.

use super::reply::{reply, Posted};
use crate::limits::{Budget, Limiter};
use crate::sessions::SIGN_IN_KEY;
use app::accounts::form::{FieldError, Problem};
use app::accounts::server::validate::{check_email, normalise_email};
use app::accounts::server::{credentials, recovery, second_factor, sign_ins, Refusal};
use app::accounts::{reset_labels, reset_password_labels, safe_next, sign_in_labels};
use app::domain::UserId;
use app::state::AppState;
use axum::extract::{ConnectInfo, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use std::net::SocketAddr;
use std::sync::Arc;
use tower_sessions::{Expiry, Session};
use uuid::Uuid;

/// Refused with "too many attempts" on `field` when the client or the account has spent
/// its budget of account actions.
pub fn spend(
    limiter: &Limiter,
    posted: &Posted,
    field: &'static str,
    account: Option<&str>,
) -> Result<(), Refusal> {
    let peer = posted
        .parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| *address);
    let client = limiter.client(peer, &posted.parts.headers);
    let over = limiter.check(Budget::AccountAction, client).is_err()
        || account.is_some_and(|email| limiter.check_account(email).is_err());
    if over {
        return Err(Refusal::Invalid(vec![FieldError {
            field,
            problem: Problem::TooManyAttempts,
        }]));
    }
    Ok(())
}

fn client_ip(limiter: &Limiter, posted: &Posted) -> String {
    let peer = posted
        .parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| *address);
    limiter.client(peer, &posted.parts.headers).to_string()
}

pub async fn sign_in(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<Limiter>>,
    session: Session,
    posted: Posted,
) -> Response {
    let result = sign_in_with(&state, &limiter, &session, &posted).await;
    reply(&state, posted, sign_in_labels, result).await
}

async fn sign_in_with(
    state: &AppState,
    limiter: &Limiter,
    session: &Session,
    posted: &Posted,
) -> Result<String, Refusal> {
    let email = normalise_email(posted.get("email"));
    let password = posted.get("password");
    let mut errors = Vec::new();
    if let Err(problem) = check_email(&email) {
        errors.push(FieldError {
            field: "email",
            problem,
        });
    }
    if password.is_empty() {
        errors.push(FieldError {
            field: "password",
            problem: Problem::Required,
        });
    }
    app::accounts::server::refuse_if_any(errors)?;
    spend(limiter, posted, "password", Some(&email))?;
    let Some(user) = credentials::check_credentials(state, &email, password).await? else {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "password",
            problem: Problem::BadCredentials,
        }]));
    };
    let next = safe_next(posted.query("next").as_deref());
    if second_factor::is_enabled(&state.pool, user).await? {
        // The password is right; the sign-in starts once the code is too.
        let pending = PendingSecondFactor {
            user: user.0,
            next,
            since: state.clock.now().timestamp(),
        };
        session.cycle_id().await.map_err(session_failed)?;
        session
            .insert(PENDING_KEY, pending)
            .await
            .map_err(session_failed)?;
        return Ok("/sign-in/second-factor".to_owned());
    }
    start_session(
        state,
        session,
        user,
        posted,
        &client_ip(limiter, posted),
        false,
    )
    .await?;
    Ok(next)
}

/// The session key of a sign-in waiting for its second factor.
const PENDING_KEY: &str = "pending_second_factor";
/// How long the code may take after the password.
const PENDING_SECONDS: i64 = 5 * 60;

/// A password checked, a code still to come.
#[derive(serde::Serialize, serde::Deserialize)]
struct PendingSecondFactor {
    user: i64,
    next: String,
    /// When the password was checked (seconds since 1970, the site's clock).
    since: i64,
}

fn session_failed(error: tower_sessions::session::Error) -> Refusal {
    tracing::error!(%error, "session store");
    Refusal::Failed(app::error::AppError::Unavailable)
}

/// `POST /sign-in/second-factor`: the code after the password.
pub async fn second_factor(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<Limiter>>,
    session: Session,
    posted: Posted,
) -> Response {
    let result = async {
        let pending = session
            .get::<PendingSecondFactor>(PENDING_KEY)
            .await
            .map_err(session_failed)?
            .filter(|p| state.clock.now().timestamp() - p.since <= PENDING_SECONDS);
        let Some(pending) = pending else {
            return Ok("/sign-in?notice=sign_in_first".to_owned());
        };
        let user = UserId(pending.user);
        spend(
            &limiter,
            &posted,
            "code",
            Some(&format!("second-factor:{}", user.0)),
        )?;
        // Wrong codes count against the factor itself (five lock it for 15 minutes).
        if !second_factor::verify(&state, user, posted.get("code")).await? {
            return Err(Refusal::Invalid(vec![FieldError {
                field: "code",
                problem: Problem::WrongCode,
            }]));
        }
        session
            .remove::<PendingSecondFactor>(PENDING_KEY)
            .await
            .map_err(session_failed)?;
        start_session(
            &state,
            &session,
            user,
            &posted,
            &client_ip(&limiter, &posted),
            true,
        )
        .await?;
        Ok(pending.next)
    }
    .await;
    reply(&state, posted, app::accounts::second_factor_labels, result).await
}

/// Starts a sign-in of `user` in this browser: the session gets a new id (so an id
/// planted before sign-in is worthless), a new `sign_ins` row, and an expiry at the
/// absolute limit.
async fn start_session(
    state: &AppState,
    session: &Session,
    user: UserId,
    posted: &Posted,
    client_ip: &str,
    second_factor: bool,
) -> Result<(), Refusal> {
    let internal = |error: tower_sessions::session::Error| {
        tracing::error!(%error, "session store");
        Refusal::Failed(app::error::AppError::Unavailable)
    };
    if let Ok(Some(previous)) = session.get::<Uuid>(SIGN_IN_KEY).await {
        sign_ins::end(&state.pool, previous).await?;
    }
    session.cycle_id().await.map_err(internal)?;
    let user_agent = posted
        .parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut tx = state.pool.begin().await?;
    let id = sign_ins::start(
        &mut tx,
        user,
        user_agent,
        client_ip,
        second_factor,
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    session.insert(SIGN_IN_KEY, id).await.map_err(internal)?;
    let absolute = state.accounts.sessions.absolute.num_seconds();
    session.set_expiry(Some(Expiry::AtDateTime(
        tower_sessions::cookie::time::OffsetDateTime::now_utc()
            + tower_sessions::cookie::time::Duration::seconds(absolute),
    )));
    Ok(())
}

/// `POST /sign-out`: ends this browser's sign-in.
pub async fn sign_out(State(state): State<AppState>, session: Session) -> Response {
    if let Ok(Some(id)) = session.get::<Uuid>(SIGN_IN_KEY).await {
        if let Err(error) = sign_ins::end(&state.pool, id).await {
            tracing::error!(%error, "cannot end a sign-in");
            return app_error_response(app::error::AppError::Unavailable);
        }
    }
    let _ = session.flush().await;
    Redirect::to("/sign-in?notice=signed_out").into_response()
}

/// A bare status answer for the rare handler that has no form to render.
pub fn app_error_response(error: app::error::AppError) -> Response {
    let status = http::StatusCode::from_u16(error.status_code())
        .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        "服务暂不可用，请稍后再试。\nThe service is unavailable; please try again shortly.\n",
    )
        .into_response()
}

/// `POST /reset`: mails a reset link (the same answer whether or not the address has an
/// account).
pub async fn request_reset(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<Limiter>>,
    posted: Posted,
) -> Response {
    let result = async {
        let email = normalise_email(posted.get("email"));
        spend(&limiter, &posted, "email", Some(&email))?;
        recovery::request_reset(&state, &email, posted.locale()).await?;
        Ok("/reset?notice=reset_sent".to_owned())
    }
    .await;
    reply(&state, posted, reset_labels, result).await
}

/// `POST /reset/{token}`: sets the new password; a link that no longer works shows its
/// page (410).
pub async fn reset_password(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<Limiter>>,
    Path(token): Path<String>,
    posted: Posted,
) -> Response {
    let result = async {
        spend(&limiter, &posted, "password", None)?;
        match recovery::reset_password(&state, &token, posted.get("password")).await? {
            true => Ok("/sign-in?notice=password_reset".to_owned()),
            false => Ok(format!("/reset/{token}")),
        }
    }
    .await;
    reply(&state, posted, reset_password_labels, result).await
}
