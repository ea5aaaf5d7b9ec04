//! Platform administration: verifying organisations and deciding claims, suspending
//! accounts, and the audit log. Every page and form checks the permission table.

pub mod audit;
mod audit_page;
#[cfg(feature = "ssr")]
pub mod calendar;
mod calendar_page;
mod disputes_page;
#[cfg(feature = "ssr")]
pub mod first_purchase_rule;
mod first_purchase_rule_page;
mod organisations_page;
#[cfg(feature = "ssr")]
pub mod server;
mod users_page;

pub use audit_page::AuditPage;
pub use calendar_page::{calendar_labels, CalendarPage};
pub use disputes_page::DisputesPage;
pub use first_purchase_rule_page::{first_purchase_rule_labels, FirstPurchaseRulePage};
pub use organisations_page::{admin_organisation_labels, AdminOrganisationsPage};
pub use users_page::{admin_user_labels, AdminUsersPage};
