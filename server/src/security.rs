//! Security headers on every response, and the Content-Security-Policy of pages.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::IntoResponse;
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

/// Which optional headers to send.
#[derive(Clone, Copy, Debug)]
pub struct HeaderOptions {
    /// `Strict-Transport-Security`, when the site's public address is https (`PUBLIC_URL`).
    pub hsts: bool,
}

pub async fn headers(
    State(options): State<HeaderOptions>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if options.hsts {
        // Two years, as browsers' preload lists ask; subdomains are the operator's call.
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000"),
        );
    }
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

/// The answer to a request whose handler panicked: the panic is logged with its message,
/// and the reader gets a plain 500 page (in both languages) instead of a dropped
/// connection. Other requests are unaffected.
pub fn panic_page(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a request panicked; answered 500");
    let page = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
        <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
        <title>出错了 · Something went wrong</title></head><body><main>\
        <h1>出错了</h1><p>服务器处理请求时出错，请稍后再试。</p>\
        <p lang=\"en\">Something went wrong on the server. Please try again shortly.</p>\
        <p><a href=\"/\">返回首页 · Home</a></p></main></body></html>";
    (
        http::StatusCode::INTERNAL_SERVER_ERROR,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}
