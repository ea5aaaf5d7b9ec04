//! CORS for the open-data API (the Fetch standard's CORS protocol): scripts on any site may
//! read `/api/v1/…` (GET and HEAD, without credentials: public answers are the same for
//! everyone), see the headers a client of the API needs (`ETag`, `Retry-After`, the
//! export's file name and `X-Unavailable-Sites`) and send `If-None-Match`. Preflights are
//! answered here, before the limiter, and the limiter's 429 and the overload 503 carry the
//! same headers, so a script can read them. Pages, forms and server functions get no CORS
//! headers: they stay same-origin.

use super::export::UNAVAILABLE_SITES;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{header, HeaderName, Method};
use std::sync::LazyLock;
use std::time::Duration;
use tower::{Layer, ServiceExt};
use tower_http::cors::{Any, CorsLayer};

/// The path every API route is under.
const API_PREFIX: &str = "/api/v1/";

/// How long a browser may keep a preflight's answer (one day, in seconds).
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

static API_CORS: LazyLock<CorsLayer> = LazyLock::new(|| {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers([
            header::IF_NONE_MATCH,
            header::IF_MODIFIED_SINCE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
        ])
        .expose_headers([
            header::ETAG,
            header::LAST_MODIFIED,
            header::RETRY_AFTER,
            header::CONTENT_DISPOSITION,
            HeaderName::from_static(UNAVAILABLE_SITES),
        ])
        .max_age(PREFLIGHT_MAX_AGE)
});

/// The middleware (outside the limiter): the API's requests go through the CORS layer,
/// everything else passes untouched.
pub async fn allow_reads(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with(API_PREFIX) {
        return next.run(request).await;
    }
    match API_CORS.clone().layer(next).oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}
