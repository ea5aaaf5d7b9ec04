//! The axum server around the Leptos app: configuration, startup, routes and commands.
//! `startup::build_app` is the one router that both the binary and the tests use.

// Leptos views are deeply nested types; rendering them needs a deeper limit.
#![recursion_limit = "256"]

pub mod assets;
pub mod commands;
pub mod config;
pub mod csrf;
pub mod database;
pub mod indexer;
pub mod limits;
pub mod mail;
pub mod memory;
pub mod multipart;
pub mod open_data;
pub mod page_cache;
pub mod routes;
pub mod scheduler;
pub mod security;
pub mod sessions;
pub mod sms;
pub mod startup;
pub mod tabular;
pub mod telemetry;
