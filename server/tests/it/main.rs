//! One integration-test binary (one link step) for the server: each test gets a fresh
//! database from `#[sqlx::test]` on the real PostgreSQL that `scripts/test` starts.

// Leptos views are deeply nested types; rendering them needs a deeper limit.
#![recursion_limit = "256"]

mod accounts;
mod api;
mod api_caching;
mod api_page;
mod api_records;
mod assets;
mod attachments;
mod auth;
mod authorization;
mod backup;
mod calls;
mod catalogue_pages;
mod certificates;
mod clock;
mod database_outage;
mod discovery;
mod feeds;
mod first_purchase_eligibility;
mod first_purchases_changes;
mod first_purchases_record;
mod fixtures;
mod glossary;
mod helpers;
mod home;
mod index_on_disk;
mod indexer;
mod indexer_faults;
mod language;
mod limits;
mod lists;
mod load;
mod meili_mock;
mod meilisearch;
mod mobile;
mod ocds;
mod open_data_dump;
mod ordering;
mod organisations_admin;
mod page_cache;
mod pages;
mod procurement_categories;
mod public_url;
mod publication;
mod scheduler;
mod search;
mod search_contract;
mod search_format;
mod second_factor;
mod seed;
mod startup;
mod two_servers;
mod visibility;
mod workflow;
mod workflow_records;
