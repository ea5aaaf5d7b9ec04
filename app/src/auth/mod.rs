//! Who may do what: the caller (anonymous or a signed-in account with its memberships and
//! platform roles) and the one permission table every server function and API route
//! checks before doing anything that is not public.

mod caller;
#[cfg(feature = "ssr")]
mod db;
#[cfg(feature = "ssr")]
pub mod password;
mod permissions;

pub use caller::{Caller, Membership, SignedIn};
#[cfg(feature = "ssr")]
pub use db::load_caller;
pub use permissions::{
    check, markdown_table, Action, Condition, Grant, Holder, Reviewer, Role, Target, PERMISSIONS,
};
