//! The axum server around the Leptos app: configuration, startup, routes and commands.
//! `startup::build_app` is the one router that both the binary and the tests use.

pub mod assets;
pub mod commands;
pub mod config;
pub mod database;
pub mod routes;
pub mod security;
pub mod startup;
pub mod telemetry;
