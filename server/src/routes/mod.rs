//! Plain axum routes that are not Leptos pages.

pub mod accounts;
pub mod api;
pub mod health;
pub mod lang;
pub mod test_clock;
