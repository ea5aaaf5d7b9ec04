//! Delivering the mail outbox (`mail_outbox`, written by `app::mail::enqueue`).
//!
//! One small trait, [`Mailer`], with three kinds: SMTP (`SMTP_URL`, with DKIM signing when
//! a key is configured), the demo mailbox (each message an `.eml` file under the data
//! folder, read by platform admins at `/admin/mailbox`; only demo and test deployments
//! without `SMTP_URL`), and [`CapturedMail`] for tests. A production deployment refuses to
//! start without `SMTP_URL`.
//!
//! The sender takes due messages with `FOR UPDATE SKIP LOCKED` (several servers never
//! send one twice), retries failures with back-off (1 min, doubling, at most an hour;
//! given up after [`MAX_ATTEMPTS`]), and erases each body once it is sent or given up.
//! Logs name the recipient and subject only, never a body (which may hold a token).

use crate::config::Environment;
use anyhow::{bail, Context, Result};
use app::clock::Clock;
use app::mail::OutgoingMail;
use chrono::TimeDelta;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::PgPool;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// Attempts before a message is given up.
pub const MAX_ATTEMPTS: i32 = 10;

/// Why one message could not be sent (kept in `last_error`; never holds the body).
pub type SendError = String;

/// Sends one message.
pub trait Mailer: Send + Sync {
    fn send<'a>(
        &'a self,
        mail: &'a OutgoingMail,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>;
}

/// How this deployment sends mail.
#[derive(Clone, Debug)]
pub enum MailSettings {
    Smtp {
        /// `SMTP_URL`, e.g. `smtps://user:password@smtp.example.cn` or
        /// `smtp://smtp.example.cn:587?tls=required` (lettre's URL format). Never logged.
        url: String,
        /// `MAIL_FROM`, e.g. `创新目录 <noreply@kjcx.example.cn>`.
        from: String,
        dkim: Option<DkimSettings>,
    },
    /// Demo and test deployments without `SMTP_URL`: `.eml` files in this folder.
    Mailbox(PathBuf),
}

/// `DKIM_SELECTOR`, `DKIM_DOMAIN`, `DKIM_PRIVATE_KEY_FILE` (PEM, RSA or Ed25519; RFC 6376).
#[derive(Clone, Debug)]
pub struct DkimSettings {
    pub selector: String,
    pub domain: String,
    pub key_file: PathBuf,
}

impl MailSettings {
    /// Reads the settings. Errors: a production deployment without `SMTP_URL`, a bad
    /// `MAIL_FROM`, or a partial DKIM configuration.
    pub fn from_env(environment: Environment, public_url: &str, data_dir: &Path) -> Result<Self> {
        let host = public_url
            .split("://")
            .nth(1)
            .unwrap_or("localhost")
            .split(':')
            .next()
            .unwrap_or("localhost");
        let from = std::env::var("MAIL_FROM")
            .ok()
            .filter(|value| !value.trim().is_empty())
            .unwrap_or_else(|| format!("创新产品与应用场景目录 <noreply@{host}>"));
        from.parse::<Mailbox>()
            .with_context(|| format!("MAIL_FROM={from:?} is not an address"))?;
        let url = std::env::var("SMTP_URL")
            .ok()
            .filter(|value| !value.trim().is_empty());
        let dkim_parts = ["DKIM_SELECTOR", "DKIM_DOMAIN", "DKIM_PRIVATE_KEY_FILE"]
            .map(|name| std::env::var(name).ok().filter(|value| !value.is_empty()));
        let dkim = match dkim_parts {
            [Some(selector), Some(domain), Some(key_file)] => Some(DkimSettings {
                selector,
                domain,
                key_file: PathBuf::from(key_file),
            }),
            [None, None, None] => None,
            _ => bail!("DKIM needs all of DKIM_SELECTOR, DKIM_DOMAIN and DKIM_PRIVATE_KEY_FILE"),
        };
        match (url, environment) {
            (Some(url), _) => Ok(MailSettings::Smtp { url, from, dkim }),
            (None, Environment::Demo | Environment::Test) => {
                Ok(MailSettings::Mailbox(data_dir.join("mailbox")))
            }
            (None, Environment::Production) => bail!(
                "SMTP_URL is not set: a deployment with real users must send mail \
                 (confirmation and password reset). Set SMTP_URL, or run a demo with \
                 CATALOGUE_ENVIRONMENT=demo, where mail goes to the demo mailbox"
            ),
        }
    }

    /// The demo mailbox folder, when mail goes there.
    pub fn mailbox(&self) -> Option<PathBuf> {
        match self {
            MailSettings::Mailbox(folder) => Some(folder.clone()),
            MailSettings::Smtp { .. } => None,
        }
    }

    /// The mailer these settings describe.
    pub fn mailer(&self) -> Result<Arc<dyn Mailer>> {
        Ok(match self {
            MailSettings::Smtp { url, from, dkim } => Arc::new(SmtpMailer::new(url, from, dkim)?),
            MailSettings::Mailbox(folder) => Arc::new(MailboxFolder::new(folder)?),
        })
    }
}

/// The lettre message of `mail`: plain text, UTF-8.
fn message(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, SendError> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|_| "the recipient is not an address".to_owned())?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|error| format!("cannot build the message: {error}"))
}

/// SMTP through lettre's pooled async transport.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    dkim: Option<lettre::message::dkim::DkimConfig>,
}

impl SmtpMailer {
    pub fn new(url: &str, from: &str, dkim: &Option<DkimSettings>) -> Result<SmtpMailer> {
        // The URL may hold a password: the error says which setting, never its value.
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| anyhow::anyhow!("SMTP_URL is not a valid smtp:// or smtps:// URL"))?
            .build();
        let dkim = match dkim {
            None => None,
            Some(settings) => {
                use lettre::message::dkim::{DkimConfig, DkimSigningAlgorithm, DkimSigningKey};
                let pem = std::fs::read_to_string(&settings.key_file).with_context(|| {
                    format!(
                        "cannot read DKIM_PRIVATE_KEY_FILE {}",
                        settings.key_file.display()
                    )
                })?;
                let key = DkimSigningKey::new(&pem, DkimSigningAlgorithm::Rsa)
                    .or_else(|_| DkimSigningKey::new(pem.trim(), DkimSigningAlgorithm::Ed25519))
                    .map_err(|_| {
                        anyhow::anyhow!("DKIM_PRIVATE_KEY_FILE is not an RSA or Ed25519 key")
                    })?;
                Some(DkimConfig::default_config(
                    settings.selector.clone(),
                    settings.domain.clone(),
                    key,
                ))
            }
        };
        Ok(SmtpMailer {
            transport,
            from: from.parse().context("MAIL_FROM is not an address")?,
            dkim,
        })
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(
        &'a self,
        mail: &'a OutgoingMail,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>> {
        Box::pin(async move {
            let mut message = message(&self.from, mail)?;
            if let Some(dkim) = &self.dkim {
                message.sign(dkim);
            }
            self.transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|error| format!("SMTP: {error}"))
        })
    }
}

/// The demo mailbox: each message an `.eml` file (named by a random UUID) in a folder.
pub struct MailboxFolder {
    transport: AsyncFileTransport<Tokio1Executor>,
    from: Mailbox,
}

impl MailboxFolder {
    pub fn new(folder: &Path) -> Result<MailboxFolder> {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create the demo mailbox {}", folder.display()))?;
        Ok(MailboxFolder {
            transport: AsyncFileTransport::new(folder),
            from: "创新产品与应用场景目录 <noreply@demo.invalid>"
                .parse()
                .context("the demo sender")?,
        })
    }
}

impl Mailer for MailboxFolder {
    fn send<'a>(
        &'a self,
        mail: &'a OutgoingMail,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>> {
        Box::pin(async move {
            let message = message(&self.from, mail)?;
            self.transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|error| format!("writing the demo mailbox: {error}"))
        })
    }
}

/// Keeps every message in memory (tests).
#[derive(Clone, Default)]
pub struct CapturedMail(pub Arc<Mutex<Vec<OutgoingMail>>>);

impl Mailer for CapturedMail {
    fn send<'a>(
        &'a self,
        mail: &'a OutgoingMail,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>> {
        Box::pin(async move {
            self.0
                .lock()
                .map_err(|_| "poisoned".to_owned())?
                .push(mail.clone());
            Ok(())
        })
    }
}

/// How often the sender looks for due mail when nobody wakes it.
const POLL_EVERY: Duration = Duration::from_secs(5);

/// Sends queued mail for the life of the server: at once when woken (`wake`, poked after
/// a message is queued on this server), else every few seconds (mail queued by another
/// server, retries).
pub async fn run(pool: PgPool, mailer: Arc<dyn Mailer>, clock: Clock, wake: Arc<Notify>) {
    loop {
        match deliver_due(&pool, mailer.as_ref(), &clock).await {
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "mail outbox: cannot read the queue"),
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(POLL_EVERY) => {}
        }
    }
}

/// How long to wait after the `attempts`th failure: 1 minute, doubling, at most an hour.
pub fn backoff(attempts: i32) -> TimeDelta {
    let minutes = 1i64 << attempts.clamp(1, 7).saturating_sub(1);
    TimeDelta::minutes(minutes.min(60))
}

/// Sends the messages due now (at most 20 per call). Returns how many were sent.
pub async fn deliver_due(
    pool: &PgPool,
    mailer: &dyn Mailer,
    clock: &Clock,
) -> Result<usize, sqlx::Error> {
    let now = clock.now();
    let mut tx = pool.begin().await?;
    let due = sqlx::query!(
        "SELECT id, recipient, subject, body, attempts FROM mail_outbox
         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
         ORDER BY id LIMIT 20 FOR UPDATE SKIP LOCKED",
        now,
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut sent = 0;
    for row in due {
        let mail = OutgoingMail {
            to: row.recipient,
            subject: row.subject,
            body: row.body.unwrap_or_default(),
        };
        match mailer.send(&mail).await {
            Ok(()) => {
                tracing::info!(to = %mail.to, subject = %mail.subject, "mail sent");
                sqlx::query!(
                    "UPDATE mail_outbox SET sent_at = $2, body = NULL, attempts = attempts + 1
                     WHERE id = $1",
                    row.id,
                    now,
                )
                .execute(&mut *tx)
                .await?;
                sent += 1;
            }
            Err(error) => {
                let attempts = row.attempts + 1;
                let give_up = attempts >= MAX_ATTEMPTS;
                tracing::warn!(to = %mail.to, subject = %mail.subject, attempts, give_up, %error, "mail not sent");
                sqlx::query!(
                    "UPDATE mail_outbox SET attempts = $2, next_attempt_at = $3, last_error = $4,
                            failed_at = CASE WHEN $5 THEN $6::timestamptz ELSE NULL END,
                            body = CASE WHEN $5::bool THEN NULL ELSE body END
                     WHERE id = $1",
                    row.id,
                    attempts,
                    now + backoff(attempts),
                    error,
                    give_up,
                    now,
                )
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_from_a_minute_to_an_hour() {
        assert_eq!(backoff(1), TimeDelta::minutes(1));
        assert_eq!(backoff(2), TimeDelta::minutes(2));
        assert_eq!(backoff(4), TimeDelta::minutes(8));
        assert_eq!(backoff(7), TimeDelta::minutes(60));
        assert_eq!(backoff(30), TimeDelta::minutes(60));
    }

    #[test]
    fn production_without_smtp_refuses_to_start_and_demos_use_the_mailbox() {
        // Reads only SMTP_URL, MAIL_FROM and DKIM_* from the environment, which tests
        // never set.
        let data = Path::new("/tmp/catalogue-data");
        let error =
            MailSettings::from_env(Environment::Production, "https://kjcx.example.cn", data)
                .unwrap_err()
                .to_string();
        assert!(error.contains("SMTP_URL"), "{error}");
        let demo =
            MailSettings::from_env(Environment::Demo, "http://127.0.0.1:3000", data).unwrap();
        assert_eq!(demo.mailbox(), Some(data.join("mailbox")));
    }
}
