//! The second factor: time-based one-time passwords (TOTP, RFC 6238: HMAC-SHA-1, 6 digits,
//! 30-second steps, one step of clock skew either way) from an authenticator app, and ten
//! single-use recovery codes. Platform admins and agency admins must use it: their admin
//! powers count only in a sign-in that passed it (`server::sessions`). Codes are checked on
//! the site's clock, and a step's code is never accepted twice.

use super::tokens::digest;
use super::Refusal;
use crate::accounts::form::{FieldError, Problem};
use crate::audit::{self, Actor, AuditEntry};
use crate::domain::UserId;
use crate::error::AppError;
use crate::state::AppState;
use totp_rs::{Builder, Secret, Totp};

/// The name authenticator apps show for the site's codes.
pub const ISSUER: &str = "Changzhou Innovation Catalogue";
/// How many recovery codes an account gets.
pub const RECOVERY_CODES: usize = 10;

fn totp(secret_base32: &str, account: &str) -> Result<Totp, AppError> {
    let secret = Secret::try_from_base32(secret_base32).map_err(|_| AppError::Internal)?;
    Builder::new()
        .with_secret(secret)
        .with_skew(1)
        .with_account_name(account.to_owned())
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|_| AppError::Internal)
}

/// What the set-up page shows: the secret to type in, the `otpauth://` address and its QR
/// code (an SVG drawing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub secret_base32: String,
    pub otpauth_url: String,
    pub qr_svg: String,
}

/// Whether `user` has a confirmed second factor.
pub async fn is_enabled(pool: &sqlx::PgPool, user: UserId) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM second_factors
                          WHERE user_id = $1 AND confirmed_at IS NOT NULL) AS "enabled!""#,
        user.0
    )
    .fetch_one(pool)
    .await?)
}

/// The set-up for `user`, or `None` when the second factor is on. `fresh` (the page shown
/// anew, not again after a mistyped code) draws a new secret when the pending one is
/// older than 10 minutes, so a key seen once elsewhere cannot be finished later, while
/// reloading the page does not void a key just scanned.
pub async fn enrolment(
    state: &AppState,
    user: UserId,
    account: &str,
    fresh: bool,
) -> Result<Option<Enrolment>, AppError> {
    let secret = Secret::generate().to_base32();
    let row = sqlx::query!(
        "INSERT INTO second_factors (user_id, secret_base32, started_at) VALUES ($1, $2, $4)
         ON CONFLICT (user_id) DO UPDATE
             SET secret_base32 = CASE WHEN second_factors.confirmed_at IS NULL AND $3
                                           AND (second_factors.started_at IS NULL
                                                OR second_factors.started_at < $4 - interval '10 minutes')
                                      THEN EXCLUDED.secret_base32
                                      ELSE second_factors.secret_base32 END,
                 started_at = CASE WHEN second_factors.confirmed_at IS NULL AND $3
                                        AND (second_factors.started_at IS NULL
                                             OR second_factors.started_at < $4 - interval '10 minutes')
                                   THEN $4 ELSE second_factors.started_at END
         RETURNING secret_base32, confirmed_at",
        user.0,
        secret,
        fresh,
        state.clock.now(),
    )
    .fetch_one(&state.pool)
    .await?;
    if row.confirmed_at.is_some() {
        return Ok(None);
    }
    let totp = totp(&row.secret_base32, account)?;
    let otpauth_url = totp.to_url().map_err(|_| AppError::Internal)?;
    let qr_svg = qrcode::QrCode::new(otpauth_url.as_bytes())
        .map_err(|_| AppError::Internal)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok(Some(Enrolment {
        secret_base32: row.secret_base32,
        otpauth_url,
        qr_svg,
    }))
}

fn wrong_code() -> Refusal {
    Refusal::Invalid(vec![FieldError {
        field: "code",
        problem: Problem::WrongCode,
    }])
}

/// New recovery codes for `user` (the old ones stop working), returned once in plain
/// text: ten groups `xxxxx-xxxxx` of lower-case letters and digits.
async fn new_recovery_codes(
    tx: &mut sqlx::PgConnection,
    user: UserId,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query!("DELETE FROM recovery_codes WHERE user_id = $1", user.0)
        .execute(&mut *tx)
        .await?;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let raw: [u8; 10] = rand::random();
        let chars: String = raw
            .iter()
            .map(|byte| char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]))
            .collect();
        let code = format!("{}-{}", &chars[..5], &chars[5..]);
        sqlx::query!(
            "INSERT INTO recovery_codes (user_id, code_sha256) VALUES ($1, $2)",
            user.0,
            digest(&code),
        )
        .execute(&mut *tx)
        .await?;
        codes.push(code);
    }
    Ok(codes)
}

fn entry(user: UserId, action: &str, now: chrono::DateTime<chrono::Utc>) -> AuditEntry<'_> {
    AuditEntry {
        actor: Actor::User(user),
        subject_kind: "user",
        subject_id: user.0,
        action,
        from_state: None,
        to_state: None,
        reason: None,
        changed_fields: &[],
        at: now,
    }
}

/// Turns the second factor on with the account's password and the first code from the
/// app; returns the recovery codes (shown once). Marks the sign-in `sign_in` as having
/// passed it, ends the account's other sign-ins and mails the owner. Errors:
/// [`Refusal::Invalid`] for `password` or `code`.
pub async fn confirm_enrolment(
    state: &AppState,
    user: UserId,
    sign_in: uuid::Uuid,
    password: &str,
    code: &str,
) -> Result<Vec<String>, Refusal> {
    // Whoever holds a session alone (not the password) cannot put their own factor on.
    let stored = sqlx::query_scalar!("SELECT password_hash FROM users WHERE id = $1", user.0)
        .fetch_one(&state.pool)
        .await?;
    if !state
        .accounts
        .hasher
        .verify(password, stored.as_deref())
        .await?
    {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "password",
            problem: Problem::WrongPassword,
        }]));
    }
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let pending = sqlx::query_scalar!(
        "SELECT secret_base32 FROM second_factors
         WHERE user_id = $1 AND confirmed_at IS NULL FOR UPDATE",
        user.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(wrong_code)?;
    let step = totp(&pending, "")?
        .check(code.trim(), now.timestamp().max(0) as u64)
        .ok_or_else(wrong_code)?;
    sqlx::query!(
        "UPDATE second_factors SET confirmed_at = $2, last_step = $3 WHERE user_id = $1",
        user.0,
        now,
        step as i64,
    )
    .execute(&mut *tx)
    .await?;
    let codes = new_recovery_codes(&mut tx, user).await?;
    sqlx::query!(
        "UPDATE sign_ins SET second_factor_at = $2 WHERE id = $1 AND user_id = $3",
        sign_in,
        now,
        user.0,
    )
    .execute(&mut *tx)
    .await?;
    super::sign_ins::end_all(&mut tx, user, Some(sign_in)).await?;
    audit::record(&mut tx, entry(user, "enable_second_factor", now)).await?;
    notify(state, &mut tx, user, Notice::On, now).await?;
    tx.commit().await?;
    Ok(codes)
}

/// Wrong codes in a row that lock the second factor.
pub const MAX_FAILURES: i32 = 5;
/// How long that lock lasts.
pub const LOCK_DURATION: chrono::TimeDelta = chrono::TimeDelta::minutes(15);

/// Whether `code` is `user`'s current code (a step not used before) or one of their
/// unused recovery codes, which is then used up. [`MAX_FAILURES`] wrong codes in a row
/// lock the factor for [`LOCK_DURATION`]: every code is refused meanwhile. The count is
/// the factor's own, so a right password does not reset it.
pub async fn verify(state: &AppState, user: UserId, code: &str) -> Result<bool, AppError> {
    let now = state.clock.now();
    let code = code.trim();
    let mut tx = state.pool.begin().await?;
    let Some(factor) = sqlx::query!(
        "SELECT secret_base32, last_step, locked_until FROM second_factors
         WHERE user_id = $1 AND confirmed_at IS NOT NULL FOR UPDATE",
        user.0
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(false);
    };
    if factor.locked_until.is_some_and(|until| until > now) {
        return Ok(false);
    }
    let step = totp(&factor.secret_base32, "")?
        .check(code, now.timestamp().max(0) as u64)
        .map(|step| step as i64)
        .filter(|step| factor.last_step.is_none_or(|last| *step > last));
    let passed = match step {
        Some(step) => {
            sqlx::query!(
                "UPDATE second_factors SET last_step = $2 WHERE user_id = $1",
                user.0,
                step
            )
            .execute(&mut *tx)
            .await?;
            true
        }
        None => {
            let used = sqlx::query!(
                "UPDATE recovery_codes SET used_at = $3
                 WHERE user_id = $1 AND code_sha256 = $2 AND used_at IS NULL",
                user.0,
                digest(&code.to_lowercase()),
                now,
            )
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if used {
                audit::record(&mut tx, entry(user, "use_recovery_code", now)).await?;
                notify(state, &mut tx, user, Notice::RecoveryCodeUsed, now).await?;
            }
            used
        }
    };
    if passed {
        sqlx::query!(
            "UPDATE second_factors SET failures = 0, locked_until = NULL WHERE user_id = $1",
            user.0
        )
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query!(
            "UPDATE second_factors SET
               failures = CASE WHEN failures + 1 >= $2 THEN 0 ELSE failures + 1 END,
               locked_until = CASE WHEN failures + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
             WHERE user_id = $1",
            user.0,
            MAX_FAILURES,
            now + LOCK_DURATION,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(passed)
}

/// What the owner of an account is told by mail about their second factor.
#[derive(Debug, Clone, Copy)]
enum Notice {
    On,
    Off,
    RecoveryCodeUsed,
}

/// Mails the account's owner that its second factor changed or a recovery code was used,
/// so a change they did not make does not go unnoticed. In Chinese and English (the mail
/// is not tied to a page's language).
async fn notify(
    state: &AppState,
    tx: &mut sqlx::PgConnection,
    user: UserId,
    notice: Notice,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), sqlx::Error> {
    let Some(email) = sqlx::query_scalar!("SELECT email FROM users WHERE id = $1", user.0)
        .fetch_one(&mut *tx)
        .await?
    else {
        return Ok(());
    };
    let (subject, body) = match notice {
        Notice::On => (
            "两步验证已启用 / Two-step verification is on",
            "您的账户刚刚启用了两步验证。\nTwo-step verification was just turned on for your account.\n",
        ),
        Notice::Off => (
            "两步验证已停用 / Two-step verification is off",
            "您的账户刚刚停用了两步验证。\nTwo-step verification was just turned off for your account.\n",
        ),
        Notice::RecoveryCodeUsed => (
            "恢复码已使用 / A recovery code was used",
            "刚刚有人用您的一个恢复码登录。\nOne of your recovery codes was just used to sign in.\n",
        ),
    };
    let body = format!(
        "{body}\n如果不是您本人操作，请立即重设密码：/ If this was not you, reset your password now:\n{}\n",
        state.site.url("/reset")
    );
    crate::mail::enqueue(
        tx,
        &crate::mail::OutgoingMail {
            to: email,
            subject: subject.to_owned(),
            body,
        },
        now,
    )
    .await?;
    state.accounts.mail_queued.notify_one();
    Ok(())
}

/// New recovery codes, after a code from the app (or a recovery code). Errors:
/// [`Refusal::Invalid`] for `code`.
pub async fn regenerate_recovery_codes(
    state: &AppState,
    user: UserId,
    code: &str,
) -> Result<Vec<String>, Refusal> {
    if !verify(state, user, code).await? {
        return Err(wrong_code());
    }
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let codes = new_recovery_codes(&mut tx, user).await?;
    audit::record(&mut tx, entry(user, "regenerate_recovery_codes", now)).await?;
    tx.commit().await?;
    Ok(codes)
}

/// Turns the second factor off, after a code. An admin who does so keeps their roles but
/// not their powers, until they turn it on again. Errors: [`Refusal::Invalid`] for `code`.
pub async fn disable(state: &AppState, user: UserId, code: &str) -> Result<(), Refusal> {
    if !verify(state, user, code).await? {
        return Err(wrong_code());
    }
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    sqlx::query!("DELETE FROM second_factors WHERE user_id = $1", user.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM recovery_codes WHERE user_id = $1", user.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "UPDATE sign_ins SET second_factor_at = NULL WHERE user_id = $1",
        user.0
    )
    .execute(&mut *tx)
    .await?;
    audit::record(&mut tx, entry(user, "disable_second_factor", now)).await?;
    notify(state, &mut tx, user, Notice::Off, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The current code of a base32 secret at `time` (seconds since 1970), for tests and the
/// demo's own check.
pub fn code_at(secret_base32: &str, time: i64) -> Result<String, AppError> {
    Ok(totp(secret_base32, "")?
        .generate(time.max(0) as u64)
        .to_string())
}
