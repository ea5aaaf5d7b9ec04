//! Adding a mobile number to an account: a six-digit code by SMS (valid 10 minutes, five
//! tries), then the number is the account's, confirmed. A number another account has
//! confirmed is refused only once the code proves the person holds it, so the form never
//! tells a stranger whose number is registered.

use super::tokens;
use super::Refusal;
use crate::accounts::form::{FieldError, Problem};
use crate::accounts::sms::normalise_mobile;
use crate::audit::{self, Actor, AuditEntry};
use crate::domain::UserId;
use crate::error::AppError;
use crate::state::AppState;

/// Sends a code to `mobile` for `user`. Errors: [`Refusal::Invalid`] for `mobile` (not a
/// mainland mobile number); [`AppError::Unavailable`] when no SMS sender is configured or
/// it fails.
pub async fn send_code(state: &AppState, user: UserId, mobile: &str) -> Result<(), Refusal> {
    let Some(sms) = state.accounts.sms.clone() else {
        return Err(AppError::NotFound.into());
    };
    let mobile = normalise_mobile(mobile).ok_or_else(|| {
        Refusal::Invalid(vec![FieldError {
            field: "mobile",
            problem: Problem::InvalidPhone,
        }])
    })?;
    let mut tx = state.pool.begin().await?;
    let code = tokens::issue_code(&mut tx, user, &mobile, state.clock.now()).await?;
    // Committed before sending: no transaction waits on the SMS provider.
    tx.commit().await?;
    let text = format!(
        "【常州创新目录】验证码 {code}，10 分钟内有效，用于确认您的手机号。/ Your code is {code} (10 minutes)."
    );
    sms.send(&mobile, &text).await.map_err(|error| {
        tracing::warn!(to = %crate::accounts::sms::masked(&mobile), %error, "SMS not sent");
        AppError::Unavailable
    })?;
    Ok(())
}

/// Confirms the number the live code was sent to. Errors: [`Refusal::Invalid`] for `code`
/// (wrong, expired, used up) or `mobile` (confirmed by another account meanwhile).
pub async fn confirm(state: &AppState, user: UserId, code: &str) -> Result<(), Refusal> {
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let redeemed = tokens::redeem_code(&mut tx, user, code, now).await?;
    let Some(mobile) = redeemed else {
        // The wrong try counts: kept.
        tx.commit().await?;
        return Err(Refusal::Invalid(vec![FieldError {
            field: "code",
            problem: Problem::WrongCode,
        }]));
    };
    let updated = sqlx::query!(
        "UPDATE users SET mobile = $2, mobile_confirmed_at = $3
         WHERE id = $1 AND deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM users o WHERE o.mobile = $2 AND o.id <> $1)",
        user.0,
        mobile,
        now,
    )
    .execute(&mut *tx)
    .await;
    // Two accounts confirming one number at once: the unique index decides.
    let updated = match updated {
        Ok(done) => done.rows_affected(),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => 0,
        Err(error) => return Err(error.into()),
    };
    if updated == 0 {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "code",
            problem: Problem::MobileTaken,
        }]));
    }
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "user",
            subject_id: user.0,
            action: "confirm_mobile",
            from_state: None,
            to_state: None,
            reason: None,
            changed_fields: &["mobile"],
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
