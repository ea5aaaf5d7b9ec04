//! The account pages. Each form's field labels are given by a function the server's form
//! handler uses too, so an error names the field in the same words on the page and in the
//! JSON answer.

mod account;
mod confirm;
mod guard;
mod mailbox;
mod menu;
mod privacy;
mod reset;
mod second_factor;
mod sessions;
mod sign_in;
mod sign_up;

pub use account::{account_labels, delete_labels, role_label, AccountPage};
pub use confirm::ConfirmPage;
pub use guard::{require, AccessDenied};
pub use mailbox::{MailboxMessagePage, MailboxPage};
pub use menu::{AccountMenu, SecondFactorBanner};
pub use privacy::PrivacyPage;
pub use reset::{reset_labels, reset_password_labels, ResetPasswordPage, ResetRequestPage};
pub use second_factor::{
    second_factor_labels, SecondFactorPage, SecondFactorSignInPage, ShownRecoveryCodes,
};
pub use sessions::SessionsPage;
pub use sign_in::{safe_next, sign_in_labels, SignInPage};
pub use sign_up::{sign_up_labels, SignUpPage};
