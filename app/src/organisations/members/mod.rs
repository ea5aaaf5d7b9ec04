//! Organisations and their members: registering an organisation, asking to join or
//! claiming one, the members page of an organisation's admin.

mod join_page;
mod members_page;
mod new_page;
#[cfg(feature = "ssr")]
pub mod server;

pub use join_page::{join_labels, JoinOrganisationPage};
pub use members_page::{roles_labels, MembersPage};
pub use new_page::{new_organisation_labels, NewOrganisationPage};
