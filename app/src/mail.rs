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

/// A mail text with `{site}` and `{link}` filled in.
pub fn fill(template: &str, site: &str, link: &str) -> String {
    template.replace("{site}", site).replace("{link}", link)
}
