//! Resetting a forgotten password by a mailed single-use link (valid 30 minutes). Asking
//! for a reset answers the same whether or not the address has an account; a reset ends
//! every sign-in of the account and lifts a lock-out.

use super::sign_ins;
use super::tokens::{self, Purpose};
use super::validate::{check_email, normalise_email};
use super::Refusal;
use crate::accounts::form::{FieldError, Problem};
use crate::accounts::texts::account_texts;
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::password::check_new_password;
use crate::domain::UserId;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::mail::{self, OutgoingMail};
use crate::state::AppState;

/// Sends a reset link to `email` if it has an account. Errors: [`Refusal::Invalid`] for
/// `email` when it is not an address at all.
pub async fn request_reset(state: &AppState, email: &str, locale: Locale) -> Result<(), Refusal> {
    let email = normalise_email(email);
    if let Err(problem) = check_email(&email) {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "email",
            problem,
        }]));
    }
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let account = sqlx::query_scalar!(
        "SELECT id FROM users WHERE lower(email) = $1 AND deleted_at IS NULL",
        email,
    )
    .fetch_optional(&mut *tx)
    .await?;
    // An unknown address gets nothing: the site does not mail people who never signed up.
    // Nor does an address mailed too often in the last hour.
    let account = match account {
        Some(id) if mail::may_mail(&mut tx, &email, now).await? => Some(id),
        _ => None,
    };
    if let Some(id) = account {
        let token = tokens::issue(&mut tx, UserId(id), Purpose::ResetPassword, &email, now).await?;
        let t = account_texts(locale);
        let mail = OutgoingMail {
            to: email,
            subject: t.mail_reset_subject.to_owned(),
            body: mail::fill(
                t.mail_reset_body,
                locale.messages().site_name,
                &state.site.url(&format!("/reset/{token}")),
            ),
        };
        mail::enqueue(&mut tx, &mail, now).await?;
    }
    tx.commit().await?;
    state.accounts.mail_queued.notify_one();
    Ok(())
}

/// Sets a new password with a reset token. `Ok(false)` when the token does not work
/// (used, expired, unknown); [`Refusal::Invalid`] for `password` when the new password
/// breaks the rules (the token then still works).
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: &str,
) -> Result<bool, Refusal> {
    let now = state.clock.now();
    let Some(account) = sqlx::query!(
        "SELECT u.id, u.email, u.display_name, u.real_name
         FROM account_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_sha256 = $1 AND t.purpose = 'reset_password'
           AND t.used_at IS NULL AND t.expires_at > $2 AND u.deleted_at IS NULL",
        tokens::digest(token),
        now,
    )
    .fetch_optional(&state.pool)
    .await?
    else {
        return Ok(false);
    };
    let personal = [
        account.email.as_deref().unwrap_or(""),
        account.display_name.as_str(),
        account.real_name.as_deref().unwrap_or(""),
    ];
    if let Err(problem) = check_new_password(password, &personal) {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "password",
            problem: Problem::from(problem),
        }]));
    }
    let hash = state.accounts.hasher.hash(password).await?;
    let mut tx = state.pool.begin().await?;
    let Some((user, _)) = tokens::redeem(&mut tx, token, Purpose::ResetPassword, now).await? else {
        return Ok(false); // used meanwhile by another request
    };
    sqlx::query!(
        "UPDATE users SET password_hash = $2, password_changed_at = $3,
                          failed_sign_ins = 0, locked_until = NULL
         WHERE id = $1",
        user.0,
        hash,
        now,
    )
    .execute(&mut *tx)
    .await?;
    sign_ins::end_all(&mut tx, user, None).await?;
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "user",
            subject_id: user.0,
            action: "reset_password",
            from_state: None,
            to_state: None,
            reason: None,
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Whether a reset link works now (for the page that shows the form).
pub async fn reset_link_works(state: &AppState, token: &str) -> Result<bool, AppError> {
    Ok(tokens::is_valid(
        &state.pool,
        token,
        Purpose::ResetPassword,
        state.clock.now(),
    )
    .await?)
}
