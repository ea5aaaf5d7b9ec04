//! The catalogue's user interface: pages, components, shared types and server functions.
//!
//! Compiled twice: with `ssr` into the server (rendering and server functions) and with
//! `hydrate` into the browser's wasm bundle. Server-only modules are gated on `ssr`.

// Leptos views are deeply nested types; rendering them needs a deeper limit.
#![recursion_limit = "256"]

pub mod accounts;
pub mod admin;
pub mod api_reference;
pub mod app;
#[cfg(feature = "ssr")]
pub mod attachments;
#[cfg(feature = "ssr")]
pub mod audit;
pub mod auth;
pub mod calls;
pub mod certificates;
#[cfg(feature = "ssr")]
pub mod clock;
pub mod codec;
pub mod components;
pub mod domain;
pub mod error;
pub mod errors;
pub mod feeds;
pub mod first_purchases;
pub mod home;
pub mod i18n;
pub mod listing;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod open_data;
pub mod organisations;
pub mod products;
pub mod projects;
#[cfg(feature = "ssr")]
pub mod publication;
pub mod scenarios;
pub mod search;
#[cfg(feature = "ssr")]
pub mod state;
pub mod submissions;
pub mod traction;
pub mod url;

pub use app::{shell, App};

/// The wasm entry point. Pages are rendered on the server and only their islands
/// (`#[island]` components) run in the browser: this sets up the reactive system, and the
/// loader then hydrates each `<leptos-island>` it finds on the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
