//! Checking an address and password at sign-in, with the lock-out: after
//! [`MAX_FAILED_SIGN_INS`] wrong passwords in a row an account is locked for
//! [`LOCK_DURATION`]. A locked or suspended account, an unknown address and a wrong
//! password all get the same answer after the same work (a password hash is always
//! verified), so the form never tells which it was.

use crate::audit::{self, Actor, AuditEntry};
use crate::domain::UserId;
use crate::error::AppError;
use crate::state::AppState;
use chrono::TimeDelta;

/// Wrong passwords in a row that lock an account.
pub const MAX_FAILED_SIGN_INS: i32 = 5;
/// How long a lock lasts.
pub const LOCK_DURATION: TimeDelta = TimeDelta::minutes(15);

/// The account whose address (normalised) and password these are, if they match and the
/// account may sign in now. Errors: [`AppError::Unavailable`] when the database fails.
pub async fn check_credentials(
    state: &AppState,
    email: &str,
    password: &str,
) -> Result<Option<UserId>, AppError> {
    let account = sqlx::query!(
        "SELECT id, password_hash, locked_until, suspended_at FROM users
         WHERE lower(email) = $1 AND deleted_at IS NULL",
        email,
    )
    .fetch_optional(&state.pool)
    .await?;
    let stored = account
        .as_ref()
        .and_then(|account| account.password_hash.as_deref());
    let matches = state.accounts.hasher.verify(password, stored).await?;
    let Some(account) = account else {
        return Ok(None);
    };
    let now = state.clock.now();
    let user = UserId(account.id);
    if account.suspended_at.is_some() || account.locked_until.is_some_and(|until| until > now) {
        return Ok(None);
    }
    if matches {
        sqlx::query!(
            "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1",
            user.0,
        )
        .execute(&state.pool)
        .await?;
        return Ok(Some(user));
    }
    record_failure(state, user).await?;
    Ok(None)
}

/// Counts one wrong password; the [`MAX_FAILED_SIGN_INS`]th locks the account (audited).
pub async fn record_failure(state: &AppState, user: UserId) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let locked = sqlx::query_scalar!(
        r#"UPDATE users SET
             failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= $2 THEN 0 ELSE failed_sign_ins + 1 END,
             locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN $3 ELSE locked_until END
           WHERE id = $1
           RETURNING COALESCE(locked_until = $3, false) AS "locked!""#,
        user.0,
        MAX_FAILED_SIGN_INS,
        now + LOCK_DURATION,
    )
    .fetch_one(&mut *tx)
    .await?;
    if locked {
        audit::record(
            &mut tx,
            AuditEntry {
                actor: Actor::System,
                subject_kind: "user",
                subject_id: user.0,
                action: "lock_after_failed_sign_ins",
                from_state: None,
                to_state: Some("locked"),
                reason: None,
                changed_fields: &[],
                at: now,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
