//! Accounts: signing up and in, confirming an address, resetting a password, the
//! account's own pages (profile, sign-ins, data, deletion), the privacy policy and the
//! demo mailbox. The pages render on the server; their forms post to the page's own
//! address (see [`form`]) and work without JavaScript.

pub mod demo;
pub mod form;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod sms;
pub mod texts;
pub mod viewer;

pub use pages::*;
pub use viewer::{use_caller, use_viewer, Viewer};

/// The version of the privacy policy on `/privacy` (the day it took effect, Beijing
/// time). Each account stores the version it consented to; a new version changes this.
pub const PRIVACY_VERSION: &str = "2026-11-30";

/// What the account code needs besides the database: the password hasher, the mail
/// sender's wake-up call and how long sign-ins last. Part of the app state.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct AccountServices {
    pub hasher: crate::auth::password::PasswordHasher,
    /// Poked after mail is queued, so the sender delivers it at once.
    pub mail_queued: std::sync::Arc<tokio::sync::Notify>,
    pub sessions: server::sign_ins::SessionPolicy,
    /// The demo mailbox folder, where mail is written as `.eml` files instead of being
    /// sent: only in a demo or test deployment without `SMTP_URL`.
    pub mailbox: Option<std::path::PathBuf>,
    /// Where claims' evidence files are kept (`$CATALOGUE_DATA_DIR/evidence`).
    pub evidence_dir: std::path::PathBuf,
    /// Sends SMS codes; `None` when the deployment has no sender (no mobile numbers then).
    pub sms: Option<std::sync::Arc<dyn sms::SmsSender>>,
}

#[cfg(feature = "ssr")]
impl Default for AccountServices {
    fn default() -> Self {
        AccountServices {
            hasher: crate::auth::password::PasswordHasher::for_this_machine(),
            mail_queued: std::sync::Arc::new(tokio::sync::Notify::new()),
            sessions: server::sign_ins::SessionPolicy::default(),
            mailbox: None,
            evidence_dir: std::env::temp_dir().join("catalogue-evidence"),
            sms: None,
        }
    }
}
