//! The catalogue's user interface: pages, components, shared types and server functions.
//!
//! Compiled twice: with `ssr` into the server (rendering and server functions) and with
//! `hydrate` into the browser's wasm bundle. Server-only modules are gated on `ssr`.

pub mod app;
pub mod error;
pub mod errors;
pub mod home;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod state;

pub use app::{shell, App};

/// The wasm entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
