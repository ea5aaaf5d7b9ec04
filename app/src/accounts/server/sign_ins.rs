//! Sign-ins: one row of `sign_ins` per signed-in browser session. The browser's session
//! (tower-sessions, in Postgres) holds only the row's id; the row says whose it is, its
//! CSRF token, and when it started and was last used. Deleting the row ends the sign-in
//! on every server at once.
//!
//! A sign-in ends after [`SessionPolicy::idle`] without a request (30 minutes by default,
//! `SESSION_IDLE_MINUTES`) and [`SessionPolicy::absolute`] after it started (12 hours),
//! measured on the site's clock.

use super::tokens::random_token;
use crate::domain::UserId;
use crate::error::AppError;
use chrono::{DateTime, TimeDelta, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// How long sign-ins last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: TimeDelta,
    pub absolute: TimeDelta,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: TimeDelta::minutes(30),
            absolute: TimeDelta::hours(12),
        }
    }
}

/// `last_seen_at` is written at most this often, so a busy reader does not write a row on
/// every page.
const TOUCH_EVERY: TimeDelta = TimeDelta::seconds(60);

/// A new sign-in of `user`: its id (kept in the session). `second_factor` says whether it
/// passed the second factor.
pub async fn start(
    tx: &mut PgConnection,
    user: UserId,
    user_agent: &str,
    client_ip: &str,
    second_factor: bool,
    now: DateTime<Utc>,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    // A browser's User-Agent is short; a longer one is cut rather than refused.
    let user_agent: String = user_agent.chars().take(300).collect();
    sqlx::query!(
        "INSERT INTO sign_ins (id, user_id, csrf_token, created_at, last_seen_at, user_agent,
                               client_ip, second_factor_at)
         VALUES ($1, $2, $3, $4, $4, $5, $6, CASE WHEN $7 THEN $4::timestamptz END)",
        id,
        user.0,
        random_token(),
        now,
        user_agent,
        client_ip,
        second_factor,
    )
    .execute(tx)
    .await?;
    Ok(id)
}

/// A sign-in that is still valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveSignIn {
    pub user: UserId,
    pub csrf_token: String,
    pub display_name: String,
    /// Whether this sign-in passed the second factor.
    pub second_factor: bool,
}

/// The sign-in `id` at `now`, if it has not ended, been ended, lapsed, or belonged to an
/// account since suspended or deleted. A lapsed one is deleted; a valid one is marked as
/// seen now (at most once a minute).
pub async fn resolve(
    pool: &PgPool,
    id: Uuid,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> Result<Option<ActiveSignIn>, AppError> {
    let Some(row) = sqlx::query!(
        "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, u.display_name,
                s.second_factor_at IS NOT NULL AS second_factor,
                (u.deleted_at IS NULL AND u.suspended_at IS NULL) AS active
         FROM sign_ins s JOIN users u ON u.id = s.user_id
         WHERE s.id = $1",
        id,
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let lapsed = now - row.last_seen_at > policy.idle || now - row.created_at > policy.absolute;
    if lapsed || row.active != Some(true) {
        end(pool, id).await?;
        return Ok(None);
    }
    if now - row.last_seen_at > TOUCH_EVERY {
        sqlx::query!(
            "UPDATE sign_ins SET last_seen_at = $2 WHERE id = $1",
            id,
            now
        )
        .execute(pool)
        .await?;
    }
    Ok(Some(ActiveSignIn {
        user: UserId(row.user_id),
        csrf_token: row.csrf_token,
        display_name: row.display_name,
        second_factor: row.second_factor == Some(true),
    }))
}

/// Ends one sign-in.
pub async fn end(pool: &PgPool, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM sign_ins WHERE id = $1", id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends one sign-in of `user` (from the sessions page); false when it is not theirs.
pub async fn end_own(pool: &PgPool, user: UserId, id: Uuid) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "DELETE FROM sign_ins WHERE id = $1 AND user_id = $2",
        id,
        user.0
    )
    .execute(pool)
    .await?
    .rows_affected()
        == 1)
}

/// Ends every sign-in of `user` except `keep`.
pub async fn end_all(
    tx: &mut PgConnection,
    user: UserId,
    keep: Option<Uuid>,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        "DELETE FROM sign_ins WHERE user_id = $1 AND id IS DISTINCT FROM $2",
        user.0,
        keep,
    )
    .execute(tx)
    .await?
    .rows_affected())
}

/// One row of `/account/sessions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInSummary {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub user_agent: String,
    pub client_ip: String,
}

/// The sign-ins of `user`, most recently used first.
pub async fn list(pool: &PgPool, user: UserId) -> Result<Vec<SignInSummary>, sqlx::Error> {
    sqlx::query_as!(
        SignInSummary,
        "SELECT id, created_at, last_seen_at, user_agent, client_ip FROM sign_ins
         WHERE user_id = $1 ORDER BY last_seen_at DESC, id",
        user.0,
    )
    .fetch_all(pool)
    .await
}
