//! Mail the site sends: written to the `mail_outbox` table in the transaction of the
//! change that sends it, so nothing is sent for a change that rolled back and nothing is
//! lost when the server stops. The server's mail sender (`server::mail`) delivers it.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// One message: plain text, to one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Queues `mail` inside the caller's transaction, due at `now`.
pub async fn enqueue(
    tx: &mut PgConnection,
    mail: &OutgoingMail,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO mail_outbox (recipient, subject, body, created_at, next_attempt_at)
         VALUES ($1, $2, $3, $4, $4)",
        mail.to,
        mail.subject,
        mail.body,
        now,
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Mails to one address in the last hour beyond which account mail (confirmations,
/// "already registered", resets) is not queued: forms that mail an address a stranger
/// types must not become a way to flood it.
pub const PER_RECIPIENT_PER_HOUR: i64 = 5;

/// Whether `to` may be mailed again now (fewer than [`PER_RECIPIENT_PER_HOUR`] mails
/// queued for it in the last hour).
pub async fn may_mail(
    tx: &mut PgConnection,
    to: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let recent = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM mail_outbox
           WHERE lower(recipient) = lower($1) AND created_at > $2"#,
        to,
        now - chrono::TimeDelta::hours(1),
    )
    .fetch_one(tx)
    .await?;
    Ok(recent < PER_RECIPIENT_PER_HOUR)
}

/// A mail text with `{site}` and `{link}` filled in.
pub fn fill(template: &str, site: &str, link: &str) -> String {
    template.replace("{site}", site).replace("{link}", link)
}
