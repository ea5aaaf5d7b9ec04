//! Error pages and notices shared by every feature area.

mod not_found;
mod notice;

pub use not_found::NotFound;
pub use notice::{ErrorNotice, ErrorPage};
