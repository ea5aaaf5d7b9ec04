//! Atom feeds (RFC 4287) for feed readers and other sites: the newest published products,
//! scenarios and projects (`/feeds/{products,scenarios,projects}.atom`), what entered
//! public notice (`/feeds/notices.atom`), and the newest results of any search
//! (`/feeds/search.atom?…`, the search page's parameters). Written by `atom_syndication`;
//! in Chinese (the site's first language); the matching pages name them with
//! `<link rel="alternate" type="application/atom+xml">`.
//!
//! Each holds the [`ENTRIES`] newest entries, each with its page's address as its id,
//! its publisher as author, its sector or industry as category, when it was published
//! and when what it shows last changed. Feeds are kept five minutes by caches and carry
//! an `ETag`, so a reader polling one transfers nothing while nothing changed.

mod records;
mod search;

use super::listed::Listed;
use app::error::AppError;
use app::state::{AppState, Site};
use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use http::Method;

/// Entries per feed.
pub const ENTRIES: i64 = 50;
/// The media type of a feed (RFC 4287 §7).
pub const ATOM: &str = "application/atom+xml";

/// The feeds' routes.
pub fn router() -> Listed<AppState> {
    Listed::default()
        .route(Method::GET, "/feeds/products.atom", get(records::products))
        .route(
            Method::GET,
            "/feeds/scenarios.atom",
            get(records::scenarios),
        )
        .route(Method::GET, "/feeds/projects.atom", get(records::projects))
        .route(Method::GET, "/feeds/notices.atom", get(records::notices))
        .route(Method::GET, "/feeds/search.atom", get(search::search))
        // Strict like the API: the search feed takes the search's parameters, the others
        // none.
        .map_router(|router| router.layer(axum::middleware::from_fn(known_parameters)))
        // Feed readers poll: the same entity tags and 304s as the API.
        .map_router(|router| {
            router.layer(axum::middleware::from_fn(
                super::api::conditional::entity_tags,
            ))
        })
}

/// Middleware: a feed's query string holds only its parameters (the search feed the
/// search's, documented by `SearchQuery`; the others none), each once, or the answer is
/// a 400 text naming the parameter at fault.
async fn known_parameters(
    path: axum::extract::MatchedPath,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use utoipa::IntoParams;
    let known: Vec<String> = if path.as_str() == "/feeds/search.atom" {
        app::search::SearchQuery::into_params(|| Some(utoipa::openapi::path::ParameterIn::Query))
            .into_iter()
            .map(|parameter| parameter.name)
            .collect()
    } else {
        Vec::new()
    };
    match super::known_parameters::check(request.uri().query(), &known) {
        Ok(()) => next.run(request).await,
        Err(fault) => (
            axum::http::StatusCode::BAD_REQUEST,
            [(header::CACHE_CONTROL, "no-store")],
            fault.bilingual(),
        )
            .into_response(),
    }
}

/// One entry before it is written.
pub struct Item {
    /// The page's path on the site (`/products/12`) or, for a partner's record, its
    /// address.
    pub path: String,
    pub title: String,
    pub summary: String,
    /// The organisation that published it.
    pub author: String,
    /// `(code, name)` of its sector or industry.
    pub category: Option<(&'static str, &'static str)>,
    pub published: Option<DateTime<Utc>>,
    pub updated: DateTime<Utc>,
}

fn fixed(at: DateTime<Utc>) -> FixedDateTime {
    at.fixed_offset()
}

/// `path` on the site, or `path` itself when it is already an address.
fn absolute(site: &Site, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_owned()
    } else {
        format!("{}{path}", site.public_url)
    }
}

fn link(href: String, rel: &str, mime_type: Option<&str>) -> Link {
    let mut link = Link::default();
    link.set_href(href);
    link.set_rel(rel);
    link.set_mime_type(mime_type.map(str::to_owned));
    link
}

/// The feed at `self_path` (with its query) of `items`, whose page is `page_path`.
pub fn feed(
    site: &Site,
    self_path: &str,
    page_path: &str,
    title: String,
    items: Vec<Item>,
) -> Feed {
    let site_name = app::i18n::Locale::ZhCn.messages().site_name;
    // A feed with no entry still needs a time: the epoch says "never changed".
    let updated = items
        .iter()
        .map(|item| item.updated)
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH);
    let entries = items
        .into_iter()
        .map(|item| {
            let url = absolute(site, &item.path);
            let mut entry = Entry::default();
            entry.set_id(url.clone());
            entry.set_title(Text::plain(xml_text(&item.title)));
            entry.set_updated(fixed(item.updated));
            entry.set_published(item.published.map(fixed));
            entry.set_links(vec![link(url, "alternate", Some("text/html"))]);
            entry.set_summary(Some(Text::plain(xml_text(&item.summary))));
            let mut author = Person::default();
            author.set_name(xml_text(&item.author));
            entry.set_authors(vec![author]);
            if let Some((code, name)) = item.category {
                let mut category = Category::default();
                category.set_term(code);
                category.set_label(Some(name.to_owned()));
                entry.set_categories(vec![category]);
            }
            entry
        })
        .collect::<Vec<_>>();
    let mut feed = Feed::default();
    let self_url = absolute(site, self_path);
    feed.set_id(self_url.clone());
    feed.set_title(Text::plain(xml_text(&format!("{title} · {site_name}"))));
    feed.set_updated(fixed(updated));
    feed.set_lang(Some("zh-CN".to_owned()));
    feed.set_links(vec![
        link(self_url, "self", Some(ATOM)),
        link(absolute(site, page_path), "alternate", Some("text/html")),
    ]);
    let mut author = Person::default();
    author.set_name(site_name);
    feed.set_authors(vec![author]);
    feed.set_entries(entries);
    feed
}

/// A feed as an answer, kept five minutes by caches; or the error as a short text.
pub fn answer(feed: Result<Feed, AppError>) -> Response {
    match feed {
        Ok(feed) => (
            [
                (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            feed.to_string(),
        )
            .into_response(),
        Err(error) => super::text_error(&error),
    }
}

/// The title of the feed at `path`, as the pages name it (`app::feeds::FEEDS`).
pub fn title_of(path: &str) -> String {
    app::feeds::FEEDS
        .iter()
        .find(|feed| feed.feed == path)
        .map_or_else(|| path.to_owned(), |feed| feed.title.to_owned())
}

/// `text` with the characters XML 1.0 forbids (§2.2: control characters other than tab,
/// line feed and carriage return, U+FFFE and U+FFFF) left out: a record or a search
/// holding one must not make the whole feed unreadable to every subscriber.
pub fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|c| {
            matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        })
        .collect()
}

/// The first `limit` characters of `text` (an entry's summary), with "…" when cut.
pub fn shortened(text: &str, limit: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(limit).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}
