//! One integration-test binary (one link step) for the server: each test gets a fresh
//! database from `#[sqlx::test]` on the real PostgreSQL that `scripts/test` starts.

mod assets;
mod database_outage;
mod helpers;
mod home;
mod language;
mod pages;
mod startup;
