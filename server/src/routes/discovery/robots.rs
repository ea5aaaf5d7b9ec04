//! `GET /robots.txt` (the Robots Exclusion Protocol, RFC 9309).
//!
//! A production site asks crawlers to read the public catalogue and to keep out of what
//! is personal, a form, a download or endless: accounts and the agencies' and reviewers'
//! desks, sign-in and its tokens, forms, the site's own search results (every query is a
//! page), the downloads, files attached to records, and `/api/` (the open-data API is for
//! programs, which read its own terms). It names the sitemap index by its absolute
//! address on `PUBLIC_URL`. A demo or test deployment asks every crawler to keep out
//! entirely: its firms and figures are invented.

use crate::config::Environment;
use app::state::Site;
use axum::http::header;
use axum::response::IntoResponse;

/// Paths a crawler of a production site is asked not to read (RFC 9309 rules: a path
/// prefix, `*` for any characters).
const KEEP_OUT: &[&str] = &[
    "/account",
    "/admin/",
    "/agency",
    "/review",
    "/drafts/",
    "/sign-in",
    "/sign-up",
    "/reset",
    "/confirm/",
    "/lang/",
    "/search",
    "/feeds/search.atom",
    "/api/",
    "/attachments/",
    "/first-purchases/export",
    "/first-purchases/*/correct",
    "/products/*/first-purchases/new",
    "/calls/new",
    "/calls/*/edit",
    "/organisations/new",
    "/organisations/join",
    "/organisations/*/members",
    "/objections/",
    "/_test/",
];

/// The answer: the file as text, kept a day.
pub fn answer(site: &Site, environment: Environment) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        robots_txt(site, environment),
    )
}

/// The file's text for this deployment.
pub fn robots_txt(site: &Site, environment: Environment) -> String {
    let mut text = String::from("User-agent: *\n");
    if environment == Environment::Production {
        text.push_str("Allow: /\n");
        for path in KEEP_OUT {
            text.push_str(&format!("Disallow: {path}\n"));
        }
        text.push_str(&format!("\nSitemap: {}\n", site.url("/sitemap.xml")));
    } else {
        text.push_str("Disallow: /\n");
    }
    text
}
