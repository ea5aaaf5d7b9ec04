//! SMS senders (`app::accounts::sms::SmsSender`). Demo and test deployments write each
//! message to the demo mailbox, where platform admins read it (`/admin/mailbox`); the log
//! names only the masked number. Production deployments plug their provider in here; with
//! none, the site offers no mobile confirmation.

use app::accounts::sms::{masked, SmsSender};
use app::mail::OutgoingMail;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

/// The demo's SMS: each message a mail to `<number>@sms.invalid` in the demo mailbox.
pub struct MailboxSms(crate::mail::MailboxFolder);

impl MailboxSms {
    pub fn new(folder: &Path) -> anyhow::Result<MailboxSms> {
        Ok(MailboxSms(crate::mail::MailboxFolder::new(folder)?))
    }
}

impl SmsSender for MailboxSms {
    fn send<'a>(
        &'a self,
        to: &'a str,
        text: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            tracing::info!(to = %masked(to), "SMS written to the demo mailbox");
            let mail = OutgoingMail {
                to: format!("{to}@sms.invalid"),
                subject: format!("短信 SMS {}", masked(to)),
                body: text.to_owned(),
            };
            crate::mail::Mailer::send(&self.0, &mail).await
        })
    }
}

/// Keeps every message in memory (tests): (number, text).
#[derive(Clone, Default)]
pub struct CapturedSms(pub Arc<Mutex<Vec<(String, String)>>>);

impl SmsSender for CapturedSms {
    fn send<'a>(
        &'a self,
        to: &'a str,
        text: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            self.0
                .lock()
                .map_err(|_| "poisoned".to_owned())?
                .push((to.to_owned(), text.to_owned()));
            Ok(())
        })
    }
}
