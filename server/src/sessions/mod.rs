//! Sessions and the caller of each request.
//!
//! The browser holds an opaque session id in the `catalogue_session` cookie (`HttpOnly`,
//! `SameSite=Lax`, `Secure` when `PUBLIC_URL` is https; tower-sessions, stored in Postgres
//! so sessions survive restarts and work across servers). A signed-in session holds only
//! the id of its row in `sign_ins` (`app::accounts::server::sign_ins`), which says whose it
//! is; [`resolve_viewer`] turns it into the request's `Viewer` (and so its `Caller`) once.

use app::accounts::server::sign_ins;
use app::accounts::Viewer;
use app::auth::{load_caller, Caller};
use app::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use sqlx::PgPool;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};
use uuid::Uuid;

mod store;
pub use store::{delete_expired, PgSessionStore};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "catalogue_session";
/// The key of the sign-in id in the session's data.
pub const SIGN_IN_KEY: &str = "sign_in";

/// The session layer: cookie attributes as above; a session lives at most until its
/// sign-in's absolute limit (set at sign-in), and the store deletes expired rows.
pub fn layer(pool: &PgPool, https: bool) -> SessionManagerLayer<PgSessionStore> {
    SessionManagerLayer::new(PgSessionStore::new(pool.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(https)
        .with_path("/")
        .with_expiry(Expiry::OnSessionEnd)
}

/// Requests that never need the caller: the bundle and static files.
fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/forms.js"
}

/// Whether the request carries an API token (`Authorization: Bearer …`). Such a request
/// is its own proof: its session cookie, if any, is ignored.
pub fn has_bearer_token(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.len() > 7 && value[..7].eq_ignore_ascii_case("bearer "))
}

/// Resolves the signed-in viewer of the request, if any, into its extensions. A session
/// whose sign-in has ended (signed out elsewhere, lapsed, account suspended or deleted) is
/// cleared, which removes the cookie.
pub async fn resolve_viewer(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let mut signed_in = false;
    if !is_static(request.uri().path()) && !has_bearer_token(request.headers()) {
        if let Some(session) = request.extensions().get::<Session>().cloned() {
            match viewer_of(&state, &session).await {
                Ok(Some(viewer)) => {
                    request.extensions_mut().insert(viewer);
                    signed_in = true;
                }
                Ok(None) => {}
                Err(error) => {
                    tracing::warn!(%error, "cannot read the session; answering as signed out");
                }
            }
        }
    }
    let mut response = next.run(request).await;
    if signed_in {
        // A page rendered for someone (their address, their second-factor key, the
        // session's token) is never stored by the browser or a proxy, so Back after
        // signing out on a shared computer shows nothing.
        response.headers_mut().insert(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store, private"),
        );
    }
    response
}

async fn viewer_of(state: &AppState, session: &Session) -> Result<Option<Viewer>, String> {
    let Some(id) = session
        .get::<Uuid>(SIGN_IN_KEY)
        .await
        .map_err(|error| error.to_string())?
    else {
        return Ok(None);
    };
    let active = sign_ins::resolve(&state.pool, id, state.clock.now(), state.accounts.sessions)
        .await
        .map_err(|error| error.to_string())?;
    let Some(active) = active else {
        session.flush().await.map_err(|error| error.to_string())?;
        return Ok(None);
    };
    let caller = load_caller(&state.pool, active.user)
        .await
        .map_err(|error| error.to_string())?;
    let (caller, needs_second_factor) = match caller {
        Caller::Anonymous => {
            session.flush().await.map_err(|error| error.to_string())?;
            return Ok(None);
        }
        // Admin powers count only in a sign-in that passed the second factor.
        Caller::SignedIn(account) if !active.second_factor && account.holds_admin_powers() => {
            (Caller::SignedIn(account.without_admin_powers()), true)
        }
        signed_in => (signed_in, false),
    };
    Ok(Some(Viewer {
        needs_second_factor,
        caller,
        display_name: active.display_name,
        csrf_token: active.csrf_token,
        sign_in: id.to_string(),
    }))
}

/// Deletes, every hour for the life of the server, expired sessions and sign-ins that have
/// lapsed (idle or past the absolute limit on the site's clock). A lapsed sign-in is
/// already refused when used; this keeps the tables small.
pub async fn clean_up(state: AppState) {
    loop {
        let policy = state.accounts.sessions;
        let now = state.clock.now();
        let sessions = delete_expired(&state.pool).await;
        let sign_ins = sqlx::query!(
            "DELETE FROM sign_ins WHERE last_seen_at < $1 OR created_at < $2",
            now - policy.idle,
            now - policy.absolute,
        )
        .execute(&state.pool)
        .await;
        match (sessions, sign_ins) {
            (Ok(sessions), Ok(sign_ins)) => tracing::debug!(
                sessions,
                sign_ins = sign_ins.rows_affected(),
                "expired sessions deleted"
            ),
            (Err(error), _) | (_, Err(error)) => {
                tracing::warn!(%error, "cannot delete expired sessions")
            }
        }
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
}
