//! Single-use tokens sent by mail (email confirmation, password reset). The link carries
//! 32 random bytes (base64url, 43 characters); the database keeps only their SHA-256, so a
//! copy of the database cannot be used to confirm or reset anything.

use crate::domain::UserId;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;

/// Why a token was sent; each is redeemed only for its own purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Valid 24 hours ([`CONFIRM_VALIDITY`]).
    ConfirmEmail,
    /// Valid 30 minutes ([`RESET_VALIDITY`]).
    ResetPassword,
    /// A six-digit code by SMS, valid 10 minutes ([`MOBILE_CODE_VALIDITY`]).
    ConfirmMobile,
}

/// How long an email confirmation link works.
pub const CONFIRM_VALIDITY: TimeDelta = TimeDelta::hours(24);
/// How long a password reset link works.
pub const RESET_VALIDITY: TimeDelta = TimeDelta::minutes(30);
/// How long an SMS code works.
pub const MOBILE_CODE_VALIDITY: TimeDelta = TimeDelta::minutes(10);
/// Wrong codes that end an SMS code.
pub const MAX_CODE_ATTEMPTS: i32 = 5;

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::ConfirmEmail => "confirm_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::ConfirmMobile => "confirm_mobile",
        }
    }

    pub fn validity(self) -> TimeDelta {
        match self {
            Purpose::ConfirmEmail => CONFIRM_VALIDITY,
            Purpose::ResetPassword => RESET_VALIDITY,
            Purpose::ConfirmMobile => MOBILE_CODE_VALIDITY,
        }
    }
}

/// A fresh random token (for a link) and a fresh random secret of the same shape (CSRF
/// tokens use it too).
pub fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// What the database keeps of a token.
pub fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Issues a token for `user` and `purpose`, sent to `email`, valid from `now` for the
/// purpose's validity. Earlier unused tokens of the same purpose stop working, so only
/// the newest link works. Returns the token to put in the link.
pub async fn issue(
    tx: &mut PgConnection,
    user: UserId,
    purpose: Purpose,
    email: &str,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    sqlx::query!(
        "UPDATE account_tokens SET used_at = $3
         WHERE user_id = $1 AND purpose = ($2::text)::account_token_purpose AND used_at IS NULL",
        user.0,
        purpose.code(),
        now,
    )
    .execute(&mut *tx)
    .await?;
    let token = random_token();
    sqlx::query!(
        "INSERT INTO account_tokens (token_sha256, user_id, purpose, sent_to, created_at, expires_at)
         VALUES ($1, $2, ($3::text)::account_token_purpose, $4, $5, $6)",
        digest(&token),
        user.0,
        purpose.code(),
        email,
        now,
        now + purpose.validity(),
    )
    .execute(&mut *tx)
    .await?;
    Ok(token)
}

/// The SHA-256 a six-digit code is kept as: of the account and the code together.
fn code_digest(user: UserId, code: &str) -> Vec<u8> {
    digest(&format!("{}:{}", user.0, code.trim()))
}

/// Issues an SMS code for `user`, to `mobile`; earlier codes stop working. Returns the six
/// digits to send.
pub async fn issue_code(
    tx: &mut PgConnection,
    user: UserId,
    mobile: &str,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    sqlx::query!(
        "UPDATE account_tokens SET used_at = $2
         WHERE user_id = $1 AND purpose = 'confirm_mobile' AND used_at IS NULL",
        user.0,
        now,
    )
    .execute(&mut *tx)
    .await?;
    let code = format!("{:06}", rand::random::<u32>() % 1_000_000);
    sqlx::query!(
        "INSERT INTO account_tokens (token_sha256, user_id, purpose, sent_to, created_at, expires_at)
         VALUES ($1, $2, 'confirm_mobile', $3, $4, $5)",
        code_digest(user, &code),
        user.0,
        mobile,
        now,
        now + MOBILE_CODE_VALIDITY,
    )
    .execute(&mut *tx)
    .await?;
    Ok(code)
}

/// Uses `user`'s live SMS code if `code` is it, returning the number it was sent to; a
/// wrong code counts, and the [`MAX_CODE_ATTEMPTS`]th ends the code.
pub async fn redeem_code(
    tx: &mut PgConnection,
    user: UserId,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, sqlx::Error> {
    let Some(live) = sqlx::query!(
        "SELECT id, token_sha256, sent_to, attempts FROM account_tokens
         WHERE user_id = $1 AND purpose = 'confirm_mobile' AND used_at IS NULL
           AND expires_at > $2
         ORDER BY id DESC LIMIT 1 FOR UPDATE",
        user.0,
        now,
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    if live.token_sha256 == code_digest(user, code) {
        sqlx::query!(
            "UPDATE account_tokens SET used_at = $2 WHERE id = $1",
            live.id,
            now
        )
        .execute(&mut *tx)
        .await?;
        return Ok(Some(live.sent_to));
    }
    sqlx::query!(
        "UPDATE account_tokens SET attempts = attempts + 1,
                used_at = CASE WHEN attempts + 1 >= $3 THEN $2::timestamptz END
         WHERE id = $1",
        live.id,
        now,
        MAX_CODE_ATTEMPTS,
    )
    .execute(&mut *tx)
    .await?;
    Ok(None)
}

/// The number `user` has a live SMS code for, if any (the account page then asks for it).
pub async fn pending_mobile(
    pool: &sqlx::PgPool,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT sent_to FROM account_tokens
         WHERE user_id = $1 AND purpose = 'confirm_mobile' AND used_at IS NULL
           AND expires_at > $2
         ORDER BY id DESC LIMIT 1",
        user.0,
        now,
    )
    .fetch_optional(pool)
    .await
}

/// Uses `token` once: when it is a token of `purpose`, unused and unexpired at `now`, it is
/// marked used (atomically: two requests cannot both redeem it) and the account and the
/// address it was sent to are returned. Anything else gives `None`.
pub async fn redeem(
    tx: &mut PgConnection,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<(UserId, String)>, sqlx::Error> {
    let row = sqlx::query!(
        "UPDATE account_tokens SET used_at = $3
         WHERE token_sha256 = $1 AND purpose = ($2::text)::account_token_purpose
           AND used_at IS NULL AND expires_at > $3
         RETURNING user_id, sent_to",
        digest(token),
        purpose.code(),
        now,
    )
    .fetch_optional(&mut *tx)
    .await?;
    Ok(row.map(|row| (UserId(row.user_id), row.sent_to)))
}

/// Whether `token` would be redeemed now (for the page that shows the form).
pub async fn is_valid(
    pool: &sqlx::PgPool,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (
             SELECT 1 FROM account_tokens
             WHERE token_sha256 = $1 AND purpose = ($2::text)::account_token_purpose
               AND used_at IS NULL AND expires_at > $3) AS "valid!""#,
        digest(token),
        purpose.code(),
        now,
    )
    .fetch_one(pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_url_safe() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(digest(&a).len(), 32);
        assert_ne!(digest(&a), digest(&b));
    }

    #[test]
    fn confirmation_lasts_a_day_and_reset_half_an_hour() {
        assert_eq!(Purpose::ConfirmEmail.validity(), TimeDelta::hours(24));
        assert_eq!(Purpose::ResetPassword.validity(), TimeDelta::minutes(30));
    }
}
