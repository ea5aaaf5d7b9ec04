//! Signing up: a new account with a password, names and consent to the privacy policy,
//! and a confirmation mail. Signing up with an address that already has an account
//! answers exactly the same (the owner of the address is told by mail instead), so the
//! form never reveals who has an account.

use super::tokens::{self, Purpose};
use super::validate::{check_email, check_name, collect, normalise_email};
use super::{refuse_if_any, Refusal};
use crate::accounts::form::{FieldError, Problem};
use crate::accounts::texts::account_texts;
use crate::accounts::PRIVACY_VERSION;
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::password::check_new_password;
use crate::domain::UserId;
use crate::i18n::Locale;
use crate::mail::{self, OutgoingMail};
use crate::state::AppState;

/// What the sign-up form sends.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub real_name: String,
    /// The consent box was ticked (PIPL art. 13–14: consent to the policy of
    /// [`PRIVACY_VERSION`]).
    pub consent: bool,
}

/// Registers `input`. Errors: [`Refusal::Invalid`] naming each field (`email`,
/// `password`, `display_name`, `real_name`, `consent`); [`Refusal::Failed`] when the
/// database fails.
pub async fn register(state: &AppState, input: NewAccount, locale: Locale) -> Result<(), Refusal> {
    let mut errors: Vec<FieldError> = Vec::new();
    let email = normalise_email(&input.email);
    collect(&mut errors, "email", check_email(&email));
    let display_name = collect(&mut errors, "display_name", check_name(&input.display_name));
    let real_name = collect(&mut errors, "real_name", check_name(&input.real_name));
    let personal = [
        email.as_str(),
        display_name.as_deref().unwrap_or(""),
        real_name.as_deref().unwrap_or(""),
    ];
    collect(
        &mut errors,
        "password",
        check_new_password(&input.password, &personal).map_err(Problem::from),
    );
    if !input.consent {
        errors.push(FieldError {
            field: "consent",
            problem: Problem::ConsentRequired,
        });
    }
    refuse_if_any(errors)?;
    let (Some(display_name), Some(real_name)) = (display_name, real_name) else {
        unreachable!("names were checked above")
    };
    // Hashed whether or not the address is taken: both answers take as long.
    let hash = state.accounts.hasher.hash(&input.password).await?;
    let now = state.clock.now();
    let t = account_texts(locale);
    let site = crate::i18n::Locale::messages(locale).site_name;
    let mut tx = state.pool.begin().await?;
    let created = sqlx::query_scalar!(
        "INSERT INTO users (email, display_name, real_name, password_hash, privacy_consent_at,
                            privacy_version, password_changed_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $5, $5)
         ON CONFLICT ((lower(email))) DO NOTHING
         RETURNING id",
        email,
        display_name,
        real_name,
        hash,
        now,
        PRIVACY_VERSION,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let mail = match created {
        Some(id) => {
            let user = UserId(id);
            audit::record(
                &mut tx,
                AuditEntry {
                    actor: Actor::User(user),
                    subject_kind: "user",
                    subject_id: id,
                    action: "register",
                    from_state: None,
                    to_state: Some("unconfirmed"),
                    reason: None,
                    changed_fields: &[],
                    at: now,
                },
            )
            .await?;
            let token = tokens::issue(&mut tx, user, Purpose::ConfirmEmail, &email, now).await?;
            OutgoingMail {
                to: email.clone(),
                subject: t.mail_confirm_subject.to_owned(),
                body: mail::fill(
                    t.mail_confirm_body,
                    site,
                    &state.site.url(&format!("/confirm/{token}")),
                ),
            }
        }
        None => OutgoingMail {
            to: email.clone(),
            subject: t.mail_already_registered_subject.to_owned(),
            body: mail::fill(
                t.mail_already_registered_body,
                site,
                &state.site.url("/reset"),
            ),
        },
    };
    if mail::may_mail(&mut tx, &mail.to, now).await? {
        mail::enqueue(&mut tx, &mail, now).await?;
    }
    tx.commit().await?;
    state.accounts.mail_queued.notify_one();
    Ok(())
}

/// Sends a new confirmation link to the account's address, if it is not confirmed yet.
pub async fn resend_confirmation(
    state: &AppState,
    user: UserId,
    locale: Locale,
) -> Result<(), crate::error::AppError> {
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let Some(email) = sqlx::query_scalar!(
        "SELECT email FROM users
         WHERE id = $1 AND deleted_at IS NULL AND email_confirmed_at IS NULL",
        user.0,
    )
    .fetch_optional(&mut *tx)
    .await?
    .flatten() else {
        return Ok(());
    };
    let token = tokens::issue(&mut tx, user, Purpose::ConfirmEmail, &email, now).await?;
    let t = account_texts(locale);
    let mail = OutgoingMail {
        to: email,
        subject: t.mail_confirm_subject.to_owned(),
        body: mail::fill(
            t.mail_confirm_body,
            locale.messages().site_name,
            &state.site.url(&format!("/confirm/{token}")),
        ),
    };
    if mail::may_mail(&mut tx, &mail.to, now).await? {
        mail::enqueue(&mut tx, &mail, now).await?;
    }
    tx.commit().await?;
    state.accounts.mail_queued.notify_one();
    Ok(())
}

/// Confirms the address a confirmation token was sent to. Returns whether the token
/// worked (unused, unexpired, and the account still has that address).
pub async fn confirm_email(state: &AppState, token: &str) -> Result<bool, crate::error::AppError> {
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let Some((user, email)) = tokens::redeem(&mut tx, token, Purpose::ConfirmEmail, now).await?
    else {
        return Ok(false);
    };
    let confirmed = sqlx::query!(
        "UPDATE users SET email_confirmed_at = COALESCE(email_confirmed_at, $3)
         WHERE id = $1 AND lower(email) = $2 AND deleted_at IS NULL",
        user.0,
        email,
        now,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if confirmed {
        audit::record(
            &mut tx,
            AuditEntry {
                actor: Actor::User(user),
                subject_kind: "user",
                subject_id: user.0,
                action: "confirm_email",
                from_state: Some("unconfirmed"),
                to_state: Some("confirmed"),
                reason: None,
                changed_fields: &[],
                at: now,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(confirmed)
}
