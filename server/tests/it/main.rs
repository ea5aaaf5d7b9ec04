//! One integration-test binary (one link step) for the server: each test gets a fresh
//! database from `#[sqlx::test]` on the real PostgreSQL that `scripts/test` starts.

// Leptos views are deeply nested types; rendering them needs a deeper limit.
#![recursion_limit = "256"]

mod api;
mod assets;
mod backup;
mod catalogue_pages;
mod database_outage;
mod fixtures;
mod helpers;
mod home;
mod indexer;
mod language;
mod meili_mock;
mod meilisearch;
mod pages;
mod publication;
mod search;
mod search_contract;
mod seed;
mod startup;
