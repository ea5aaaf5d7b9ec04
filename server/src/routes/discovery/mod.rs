//! What crawlers and search engines read to find the public catalogue: `robots.txt`
//! ([`robots`]) and the sitemaps ([`sitemap`]). Public, like the pages they point to.

pub mod robots;
pub mod sitemap;

use super::listed::Listed;
use crate::config::Environment;
use app::state::{AppState, Site};
use axum::extract::State;
use axum::routing::get;
use http::Method;

/// `/robots.txt` for a deployment of this kind, and `/sitemap.xml` with its files.
pub fn router(environment: Environment) -> Listed<AppState> {
    Listed::default()
        .route(
            Method::GET,
            "/robots.txt",
            get(move |State(site): State<Site>| async move { robots::answer(&site, environment) }),
        )
        .route(Method::GET, "/sitemap.xml", get(sitemap::sitemap))
}
