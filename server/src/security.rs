//! Security headers on every response, and the Content-Security-Policy of pages.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::header::{self, HeaderValue};
use leptos::nonce::use_nonce;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// For responses that are not pages (assets, JSON, redirects): nothing may run or frame them.
const DEFAULT_POLICY: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The policy of a page rendered with `nonce`: only the site's own scripts, and the inline
/// hydration script that carries the nonce Leptos generated for this response.
///
/// `'wasm-unsafe-eval'` lets the browser compile the app's WebAssembly. `'unsafe-eval'` is
/// there too because iOS WebKit, which WeChat uses on iPhones, refuses to compile the wasm
/// without it (leptos issue #4465), and many readers open shared links inside WeChat.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; \
         script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval' 'unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Runs inside every page render and server-function call (the Leptos "additional context").
pub fn page_context() {
    if let (Some(nonce), Some(response)) = (use_nonce(), use_context::<ResponseOptions>()) {
        match HeaderValue::from_str(&page_policy(&nonce)) {
            Ok(value) => response.insert_header(header::CONTENT_SECURITY_POLICY, value),
            Err(error) => tracing::error!(%error, "nonce is not a valid header value"),
        }
    }
}

pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(DEFAULT_POLICY));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    // For browsers that predate CSP's frame-ancestors.
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}
