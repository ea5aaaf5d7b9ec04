//! Catalogue pages for anonymous readers, rendered once per change of the catalogue.
//!
//! For someone who is not signed in, the home page, the lists and the records' pages are
//! the same for everyone until the catalogue changes or the day turns: each is rendered
//! once, kept with the generation of the catalogue it shows (`changes`) and the day, and
//! served from memory until either moves, or this server's copy of the search index does
//! (lists page through it). A change therefore shows on the next request (this server's
//! own writes at once; another server's as soon as Postgres tells it, within
//! milliseconds), and a list shows a publication once it is indexed, as before. Other
//! short-lived caches (the organisations' traction, the home page's figures, the
//! procurement categories) are emptied
//! with each change, so a page rendered after it reads nothing kept from before.
//!
//! The Content-Security-Policy stays strict: every answer gets a nonce of its own,
//! substituted into the kept bytes where the rendering had put its own.
//!
//! Signed-in readers (any request with a session cookie or an API token), other pages and
//! other methods take the usual path. Any request that is not a read advances the
//! generation when it ends, whatever it did.

pub mod changes;

use app::clock::Clock;
use app::i18n::Locale;
use app::search::SearchBackend;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use changes::Generation;
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::futures::OwnedNotified as Notified;
use tokio::sync::Notify;

/// The most a page may weigh to be kept, and the most all kept pages may weigh: past it,
/// the cache starts again empty (pages are rendered again as they are asked for).
const MAX_PAGE_BYTES: usize = 1024 * 1024;
const MAX_TOTAL_BYTES: usize = 64 * 1024 * 1024;

/// The kept pages of one generation and day.
pub struct PageCache {
    generation: Arc<Generation>,
    clock: Clock,
    /// Lists page through the search index: a page also depends on this server's copy of
    /// it, which catches up after the notification when far behind.
    search: SearchBackend,
    kept: RwLock<Kept>,
    /// Pages being rendered: readers asking for one wait for that rendering instead of
    /// rendering it too (a burst of readers after a change renders each page once).
    rendering: Mutex<HashMap<Key, Arc<Notify>>>,
}

/// How long a reader waits for someone else's rendering before rendering the page itself.
const WAIT_FOR_RENDERING: std::time::Duration = std::time::Duration::from_secs(5);

/// Marks a page as being rendered until dropped, then wakes those waiting for it.
struct Rendering<'a> {
    cache: &'a PageCache,
    key: Key,
}

impl Drop for Rendering<'_> {
    fn drop(&mut self) {
        let mut rendering = self
            .cache
            .rendering
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(done) = rendering.remove(&self.key) {
            done.notify_waiters();
        }
    }
}

/// What a kept page was rendered from: the catalogue's generation and the revision of
/// the server's copy of the search index (`SearchBackend::copy_revision`).
type Version = (u64, i64);

#[derive(Default)]
struct Kept {
    generation: Version,
    day: Option<chrono::NaiveDate>,
    bytes: usize,
    pages: HashMap<Key, Arc<Page>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    /// The path and query, as asked.
    target: String,
    locale: Locale,
}

/// A rendered page: its headers (less the policy) and its body cut where the nonce was.
struct Page {
    headers: HeaderMap,
    body: Vec<Bytes>,
}

impl PageCache {
    pub fn new(generation: Arc<Generation>, clock: Clock, search: SearchBackend) -> PageCache {
        PageCache {
            generation,
            clock,
            search,
            kept: RwLock::default(),
            rendering: Mutex::default(),
        }
    }

    /// Either marks `key` as rendered by the caller (`Ok`), or returns what to wait for
    /// while another request renders it (`Err`).
    fn render_or_wait(&self, key: &Key) -> Result<Rendering<'_>, Notified> {
        let mut rendering = self.rendering.lock().unwrap_or_else(|e| e.into_inner());
        match rendering.get(key) {
            // Created under the lock, so the wake-up cannot be missed.
            Some(done) => Err(Arc::clone(done).notified_owned()),
            None => {
                rendering.insert(key.clone(), Arc::new(Notify::new()));
                Ok(Rendering {
                    cache: self,
                    key: key.clone(),
                })
            }
        }
    }

    /// The generation this cache follows.
    pub fn generation(&self) -> &Arc<Generation> {
        &self.generation
    }

    fn get(&self, key: &Key, generation: Version, day: chrono::NaiveDate) -> Option<Arc<Page>> {
        let kept = self.kept.read().unwrap_or_else(|e| e.into_inner());
        if kept.generation != generation || kept.day != Some(day) {
            return None;
        }
        kept.pages.get(key).cloned()
    }

    fn put(&self, key: Key, page: Page, generation: Version, day: chrono::NaiveDate) {
        let size: usize = page.body.iter().map(Bytes::len).sum();
        let mut kept = self.kept.write().unwrap_or_else(|e| e.into_inner());
        if kept.generation != generation
            || kept.day != Some(day)
            || kept.bytes + size > MAX_TOTAL_BYTES
        {
            *kept = Kept {
                generation,
                day: Some(day),
                ..Kept::default()
            };
        }
        kept.bytes += size;
        kept.pages.insert(key, Arc::new(page));
    }
}

/// Whether `path` is a catalogue page the same for every anonymous reader.
fn is_catalogue_page(path: &str) -> bool {
    const LISTS: [&str; 9] = [
        "/",
        "/products",
        "/scenarios",
        "/projects",
        "/organisations",
        "/calls",
        "/first-purchases",
        "/notices",
        "/privacy",
    ];
    const RECORDS: [&str; 7] = [
        "/products/",
        "/scenarios/",
        "/projects/",
        "/organisations/",
        "/calls/",
        "/first-purchases/",
        "/notices/",
    ];
    if LISTS.contains(&path) {
        return true;
    }
    RECORDS.iter().any(|prefix| {
        path.strip_prefix(prefix).is_some_and(|rest| {
            let (id, tail) = rest.split_once('/').unwrap_or((rest, ""));
            let is_id = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
            is_id && (tail.is_empty() || (*prefix == "/products/" && tail == "certificate"))
        })
    })
}

/// The key of a request a cached page may answer: a catalogue page read by someone with
/// no session and no API token.
fn key_of(request: &Request) -> Option<Key> {
    if request.method() != Method::GET || !is_catalogue_page(request.uri().path()) {
        return None;
    }
    let headers = request.headers();
    if crate::sessions::has_bearer_token(headers) {
        return None;
    }
    // One `Cookie` header at most, read as the pages read it: with several, which one the
    // rendering takes could differ from the key, and a page of one language be kept
    // under another's.
    let mut cookie_headers = headers.get_all(header::COOKIE).iter();
    let locale = match (cookie_headers.next(), cookie_headers.next()) {
        (None, _) => Locale::ZhCn,
        (Some(cookies), None) => {
            let cookies = cookies.to_str().ok()?;
            if cookies.contains(crate::sessions::SESSION_COOKIE) {
                return None;
            }
            Locale::from_cookie_header(cookies)
        }
        (Some(_), Some(_)) => return None,
    };
    Some(Key {
        target: request.uri().path_and_query()?.as_str().to_owned(),
        locale,
    })
}

/// The middleware: answers from the cache when it can, keeps what it may.
pub async fn serve(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    let reads = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let key = key_of(&request);
    let (Some(key), Some(generation)) = (key, cache.generation.current()) else {
        let response = next.run(request).await;
        let status = response.status();
        if !reads && (status.is_success() || status.is_redirection()) {
            // A write of this server shows on the next request, before any notification.
            // (A refused request changed nothing: it must not empty the cache.)
            cache.generation.advance();
        }
        return response;
    };
    let generation = (generation, cache.search.copy_revision());
    let day = cache.clock.today();
    if let Some(page) = cache.get(&key, generation, day) {
        return answer(&page);
    }
    let _rendering = match cache.render_or_wait(&key) {
        Ok(rendering) => Some(rendering),
        Err(done) => {
            let _ = tokio::time::timeout(WAIT_FOR_RENDERING, done).await;
            if let Some(page) = cache.get(&key, generation, day) {
                return answer(&page);
            }
            None // not kept after all (not keepable, or stale): render it here
        }
    };
    let response = next.run(request).await;
    let Some((page, response)) = keepable(response).await else {
        return cache_miss_failed();
    };
    let Some(page) = page else {
        return response;
    };
    // Kept under the generation read before rendering: a change during the rendering
    // makes it stale at once.
    cache.put(key, page, generation, day);
    response
}

/// A response collected to be kept, or as it was when it may not be. `None` when its body
/// failed midway (the reader gets a 500, as when streaming fails).
async fn keepable(response: Response) -> Option<(Option<Page>, Response)> {
    let headers = response.headers();
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let no_store = headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store") || v.contains("private"));
    let nonce = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(nonce_of)
        .map(str::to_owned);
    let (Some(nonce), true, false, false) = (
        nonce,
        response.status() == StatusCode::OK && html,
        no_store,
        headers.contains_key(header::SET_COOKIE),
    ) else {
        return Some((None, response));
    };
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.ok()?;
    let response = Response::from_parts(parts.clone(), Body::from(bytes.clone()));
    if bytes.len() > MAX_PAGE_BYTES {
        return Some((None, response));
    }
    let mut headers = parts.headers;
    headers.remove(header::CONTENT_SECURITY_POLICY);
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::DATE);
    Some((
        Some(Page {
            headers,
            body: split_at(&bytes, nonce.as_bytes()),
        }),
        response,
    ))
}

fn cache_miss_failed() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
}

/// The nonce of a page's policy (`'nonce-…'`).
fn nonce_of(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let length = policy[start..].find('\'')?;
    Some(&policy[start..start + length]).filter(|nonce| nonce.len() >= 16)
}

/// `bytes` cut at each occurrence of `nonce` (which is left out).
fn split_at(bytes: &Bytes, nonce: &[u8]) -> Vec<Bytes> {
    let mut parts = Vec::new();
    let mut start = 0;
    let finder = memchr::memmem::Finder::new(nonce);
    for found in finder.find_iter(bytes) {
        parts.push(bytes.slice(start..found));
        start = found + nonce.len();
    }
    parts.push(bytes.slice(start..));
    parts
}

/// A kept page with a nonce of its own, in its body and its policy.
fn answer(page: &Page) -> Response {
    let nonce = base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 16]>());
    let length = page.body.iter().map(Bytes::len).sum::<usize>()
        + nonce.len() * page.body.len().saturating_sub(1);
    let mut body = Vec::with_capacity(length);
    for (i, part) in page.body.iter().enumerate() {
        if i > 0 {
            body.extend_from_slice(nonce.as_bytes());
        }
        body.extend_from_slice(part);
    }
    let mut response = Response::new(Body::from(body));
    *response.headers_mut() = page.headers.clone();
    if let Ok(policy) = HeaderValue::from_str(&crate::security::page_policy(&nonce)) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_catalogue_pages_are_kept() {
        for path in [
            "/",
            "/products",
            "/products/12",
            "/products/12/certificate",
            "/scenarios/3",
            "/organisations/7",
            "/notices/4",
        ] {
            assert!(is_catalogue_page(path), "{path}");
        }
        for path in [
            "/search",
            "/account",
            "/products/12/first-purchases/new",
            "/organisations/new",
            "/organisations/7/members",
            "/calls/new",
            "/calls/3/edit",
            "/first-purchases/3/correct",
            "/products/x",
            "/products/",
            "/api/v1/products",
            "/sign-in",
            "/review/3",
        ] {
            assert!(!is_catalogue_page(path), "{path}");
        }
    }

    #[tokio::test]
    async fn a_kept_page_gets_a_nonce_of_its_own_in_its_body_and_policy() {
        let nonce = "AAAAAAAAAAAAAAAAAAAAAA==";
        let body = Bytes::from(format!(
            "<script nonce=\"{nonce}\">a</script><script nonce=\"{nonce}\">b</script>"
        ));
        let policy = crate::security::page_policy(nonce);
        assert_eq!(nonce_of(&policy), Some(nonce));
        let page = Page {
            headers: HeaderMap::new(),
            body: split_at(&body, nonce.as_bytes()),
        };
        assert_eq!(page.body.len(), 3);
        let first = answer(&page);
        let second = answer(&page);
        let policy_of = |r: &Response| {
            r.headers()[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .to_owned()
        };
        let (one, two) = (policy_of(&first), policy_of(&second));
        assert_ne!(one, two, "each answer has its own nonce");
        let fresh = nonce_of(&one).unwrap().to_owned();
        assert_ne!(fresh, nonce);
        let body = axum::body::to_bytes(first.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert_eq!(body.matches(&fresh).count(), 2, "{body}");
        assert!(!body.contains(nonce));
    }
}
