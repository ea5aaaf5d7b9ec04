//! The API's records, version 1: collections and items of every kind the public may read,
//! in the API's own documented types (not the search index's documents, so a change to
//! the index never changes the API), from Postgres through the `api_*` views of migration
//! 0023, which apply the one visibility rule.
//!
//! - `GET /api/v1/{kind}` (products, scenarios, projects, organisations, calls,
//!   first-purchases): the records a program may mirror, in id order, by keyset pages
//!   (`after`, `next_after`), with filters that match the search facets and
//!   `updated_since` (RFC 3339) for the records whose answer changed since then.
//! - `GET /api/v1/{kind}/{id}`: one record whose page is public, expired and withdrawn
//!   ones included with their `status`, with `Last-Modified`; drafts and records in
//!   review answer 404 like a missing id.
//! - `GET /api/v1/notices`: what is in public notice (公示) now, with the day it ends.
//! - `GET /api/v1/removals?updated_since=…`: the ids that left the collections since then.
//!
//! Following changes: read a collection with `updated_since` set to the previous
//! answer's `as_of` and apply `/removals` with the same `updated_since`; `as_of` lies
//! [`FOLLOW_OVERLAP_SECONDS`] before the answer so a write still in flight when it was
//! read is not missed (reading a record twice is harmless).

pub mod calls;
pub mod first_purchases;
pub mod notices;
pub mod organisations;
pub mod products;
pub mod projects;
pub mod removals;
pub mod scenarios;

pub use calls::{CallV1, CallsPage};
pub use first_purchases::{FirstPurchaseV1, FirstPurchasesPage};
pub use notices::{NoticeV1, NoticesPage};
pub use organisations::{OrganisationV1, OrganisationsPage};
pub use products::{ProductV1, ProductsPage};
pub use projects::{ProjectV1, ProjectsPage};
pub use removals::{RemovalV1, RemovalsPage};
pub use scenarios::{ScenarioV1, ScenariosPage};

use super::ApiError;
use app::error::AppError;
use app::state::{AppState, Site};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use std::future::Future;
use utoipa::IntoParams;

/// How far before an answer its `as_of` lies, in seconds: longer than any write of the
/// site takes from reading its clock to committing.
pub const FOLLOW_OVERLAP_SECONDS: i64 = 300;

const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 500;

/// Paging and change-following parameters every collection takes.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// The `next_after` of the previous page; absent (or 0) for the first page.
    #[param(minimum = 0)]
    after: Option<i64>,
    /// Records per page, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// Only records whose answer changed at or after this time (RFC 3339, e.g.
    /// `2026-12-01T00:00:00Z`; encode a `+` offset as `%2B`). Pass the previous answer's
    /// `as_of`.
    updated_since: Option<DateTime<Utc>>,
}

/// A validated [`Paging`]: ids after `after`, at most `limit` (1 to 500), changed since
/// `since` (`None`: any time).
pub struct Window {
    pub after: i64,
    pub limit: i64,
    pub since: Option<DateTime<Utc>>,
}

impl Paging {
    fn window(self) -> Result<Window, ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(invalid("limit"));
        }
        let after = self.after.unwrap_or(0);
        if after < 0 {
            return Err(invalid("after"));
        }
        Ok(Window {
            after,
            limit: i64::from(limit),
            since: self.updated_since,
        })
    }
}

impl Window {
    /// The window of an item's query (its id given): one record.
    pub fn one() -> Window {
        Window {
            after: 0,
            limit: 1,
            since: None,
        }
    }

    /// The same window one record longer: a page is read through it so that a full
    /// page knows whether another follows (see [`Window::page_of`]).
    pub fn looking_ahead(&self) -> Window {
        Window {
            limit: self.limit + 1,
            ..*self
        }
    }

    /// The page of `items` read through [`Window::looking_ahead`], with its `next_after`:
    /// the last id shown when at least one more record follows, so a collection whose
    /// size is a multiple of `limit` never ends on an empty page.
    pub fn page_of<T>(&self, mut items: Vec<T>, id: impl Fn(&T) -> i64) -> (Vec<T>, Option<i64>) {
        let more = items.len() as i64 > self.limit;
        items.truncate(usize::try_from(self.limit).unwrap_or(0));
        let next_after = items.last().map(id).filter(|_| more);
        (items, next_after)
    }
}

fn invalid(param: &str) -> ApiError {
    AppError::InvalidParameter {
        param: param.to_owned(),
    }
    .into()
}

/// The parameters of a query string as `P`. Unknown, repeated and garbled parameters
/// never reach it: the `/api/v1` router's
/// [`documented_parameters`](crate::routes::known_parameters::documented_parameters)
/// refuses them by the OpenAPI document first. Errors: 400 `invalid_parameter` naming
/// the first parameter whose value `P` cannot read.
pub fn parse_query<P: DeserializeOwned>(raw: Option<&str>) -> Result<P, ApiError> {
    let raw = raw.unwrap_or_default();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(raw.as_bytes())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    serde_urlencoded::from_str::<P>(raw).map_err(|_| {
        // The parameter at fault is the first that fails on its own.
        let culprit = pairs.iter().find(|pair| {
            let alone = serde_urlencoded::to_string([pair]).unwrap_or_default();
            serde_urlencoded::from_str::<P>(&alone).is_err()
        });
        invalid(culprit.map_or("query", |(key, _)| key.as_str()))
    })
}

/// A collection's paging and its filters `F`, from one query string.
pub fn collection_query<F: DeserializeOwned>(raw: Option<&str>) -> Result<(Window, F), ApiError> {
    let (paging, filters) = parse_query::<Both<F>>(raw)?.0;
    Ok((paging.window()?, filters))
}

/// [`Paging`] and `F` read from one query string, each ignoring the other's parameters
/// (parameters neither knows were refused by the router before).
struct Both<F>((Paging, F));

impl<'de, F: DeserializeOwned> Deserialize<'de> for Both<F> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        // A query string is a flat map of strings: each part reads it on its own.
        let pairs = Vec::<(String, String)>::deserialize(deserializer)?;
        let text = serde_urlencoded::to_string(&pairs).map_err(D::Error::custom)?;
        let paging = serde_urlencoded::from_str::<Paging>(&text).map_err(D::Error::custom)?;
        let filters = serde_urlencoded::from_str::<F>(&text).map_err(D::Error::custom)?;
        Ok(Both((paging, filters)))
    }
}

/// An item's answer: the record, kept a minute by caches, with `Last-Modified` (its
/// `updated_at`, RFC 9110 §8.8.2) so `If-Modified-Since` may be answered 304.
pub fn item_answer<T: Serialize>(record: T, changed_at: DateTime<Utc>) -> Response {
    let last_modified = changed_at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    (
        [
            (header::CACHE_CONTROL, "public, max-age=60".to_owned()),
            (header::LAST_MODIFIED, last_modified),
        ],
        Json(record),
    )
        .into_response()
}

/// A collection's answer, kept a minute by caches.
pub fn collection_answer<T: Serialize>(page: T) -> Response {
    ([(header::CACHE_CONTROL, "public, max-age=60")], Json(page)).into_response()
}

/// The `as_of` of an answer read at `now`: [`FOLLOW_OVERLAP_SECONDS`] before it, rounded
/// down to the minute. Earlier is always safe (a follower reads a little more again),
/// and the rounding makes answers read within one minute identical, so their `ETag`
/// answers a repeated request with 304 instead of changing every instant.
pub fn as_of(now: DateTime<Utc>) -> DateTime<Utc> {
    to_the_minute(now - chrono::Duration::seconds(FOLLOW_OVERLAP_SECONDS))
}

/// `at` rounded down to the whole minute.
pub fn to_the_minute(at: DateTime<Utc>) -> DateTime<Utc> {
    chrono::DurationRound::duration_trunc(at, chrono::TimeDelta::minutes(1)).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::as_of;
    use chrono::{TimeDelta, TimeZone, Utc};

    #[test]
    fn answers_read_within_a_minute_share_their_as_of_and_never_miss_a_write() {
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 10, 20, 5).unwrap();
        let later = now + TimeDelta::seconds(40);
        assert_eq!(as_of(now), as_of(later), "the same answer, the same ETag");
        assert_eq!(
            as_of(now),
            Utc.with_ymd_and_hms(2026, 12, 3, 10, 15, 0).unwrap()
        );
        for at in [now, later, now + TimeDelta::milliseconds(59_999)] {
            assert!(as_of(at) <= at - TimeDelta::seconds(300));
        }
    }
}

/// The absolute address of a public page (`path` on `PUBLIC_URL`).
pub fn page_url(site: &app::state::Site, path: &str) -> String {
    format!("{}{path}", site.public_url)
}

/// An item's id from its path segment: anything but a positive integer is 404, as a
/// missing record is.
pub fn item_id(segment: &str) -> Result<i64, ApiError> {
    // As the pages read ids: one address per record (`01` or `+1` is not `/1` again).
    app::domain::ids::parse_id(segment).map_err(|_| AppError::NotFound.into())
}

/// Another record an answer points to, by id and name (an organisation).
#[derive(Serialize, utoipa::ToSchema)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// Another record an answer points to, by id and code (a call or catalogue batch).
#[derive(Serialize, utoipa::ToSchema)]
pub struct Coded {
    pub id: i64,
    pub code: String,
}

/// A kind of record the API serves as a collection (`GET /api/v1/{COLLECTION}`) and as
/// items (`GET /api/v1/{COLLECTION}/{id}`), and the open-data dump writes. Each kind keeps
/// its own SQL (through its `api_*` view) and its own type; paging, filters, answers and
/// the dump's reading are the same for all ([`collection`], [`item`], [`listed`]).
pub trait ApiRecord: Serialize + Send + Sized + 'static {
    /// The collection's name under `/api/v1` and in the dump's lines (`products`).
    const COLLECTION: &'static str;
    /// The collection's filters (all absent by default), named like the search facets.
    type Filters: DeserializeOwned + IntoParams + Default + Send + Sync;
    /// A page of the collection, as the OpenAPI document names it.
    type Page: Serialize + From<Page<Self>>;

    /// What [`Fetch`] asks for, in id order.
    fn fetch(
        query: Fetch<'_, Self::Filters>,
    ) -> impl Future<Output = Result<Vec<Self>, sqlx::Error>> + Send;

    /// Its id: its keyset position.
    fn id(&self) -> i64;

    /// When what its answer shows last changed (its `updated_at`).
    fn changed_at(&self) -> DateTime<Utc>;
}

/// A read of one kind: listed records matching `filters` within `window`; or, with
/// `item`, the one record of that id whose page is public (`window` and `filters` then
/// unused).
#[derive(Clone, Copy)]
pub struct Fetch<'a, F> {
    pub pool: &'a PgPool,
    pub site: &'a Site,
    pub window: &'a Window,
    pub filters: &'a F,
    pub item: Option<i64>,
}

/// What every page of a collection holds, before it takes its kind's named type.
pub struct Page<R> {
    pub items: Vec<R>,
    pub next_after: Option<i64>,
    pub as_of: DateTime<Utc>,
}

/// `GET /api/v1/{R::COLLECTION}?{query}`: a keyset page of listed records. Errors: 400
/// naming a bad parameter; 503 when the database is unavailable.
pub async fn collection<R: ApiRecord>(
    state: &AppState,
    query: Option<&str>,
) -> Result<Response, ApiError> {
    let (window, filters) = collection_query::<R::Filters>(query)?;
    let as_of = as_of(state.clock.now());
    let items = R::fetch(Fetch {
        pool: &state.pool,
        site: &state.site,
        window: &window.looking_ahead(),
        filters: &filters,
        item: None,
    })
    .await?;
    let (items, next_after) = window.page_of(items, R::id);
    let page = R::Page::from(Page {
        items,
        next_after,
        as_of,
    });
    Ok(collection_answer(page))
}

/// `GET /api/v1/{R::COLLECTION}/{segment}`: one record whose page is public. Errors: 404
/// for anything else (a draft, a record in review, a missing or malformed id).
pub async fn item<R: ApiRecord>(state: &AppState, segment: &str) -> Result<Response, ApiError> {
    let id = item_id(segment)?;
    let filters = R::Filters::default();
    let record = R::fetch(Fetch {
        pool: &state.pool,
        site: &state.site,
        window: &Window::one(),
        filters: &filters,
        item: Some(id),
    })
    .await?
    .pop()
    .ok_or(AppError::NotFound)?;
    let changed_at = record.changed_at();
    Ok(item_answer(record, changed_at))
}

/// Listed records of kind `R` with ids after `after`, at most `limit`, in id order,
/// unfiltered (the open-data dump reads them this way).
pub async fn listed<R: ApiRecord>(
    pool: &PgPool,
    site: &Site,
    after: i64,
    limit: i64,
) -> Result<Vec<R>, sqlx::Error> {
    let window = Window {
        after,
        limit,
        since: None,
    };
    R::fetch(Fetch {
        pool,
        site,
        window: &window,
        filters: &R::Filters::default(),
        item: None,
    })
    .await
}

/// A page of a collection of `$item`s: the shape every collection answers with.
macro_rules! page_of {
    ($page:ident, $item:ty) => {
        #[derive(serde::Serialize, utoipa::ToSchema)]
        pub struct $page {
            pub items: Vec<$item>,
            /// Pass as `after` for the next page; absent on the last.
            pub next_after: Option<i64>,
            /// Pass as `updated_since` (here and to `/removals`) to follow what changes
            /// after this answer: five minutes before it, so nothing in flight is missed.
            pub as_of: chrono::DateTime<chrono::Utc>,
        }

        impl From<super::Page<$item>> for $page {
            fn from(page: super::Page<$item>) -> Self {
                $page {
                    items: page.items,
                    next_after: page.next_after,
                    as_of: page.as_of,
                }
            }
        }
    };
}
pub(crate) use page_of;

/// Makes `$record` an [`ApiRecord`] whose collection is `$collection`, filtered by
/// `$filters`, read by the module's `fetch`, paged as `$page` (defined here).
macro_rules! api_record {
    ($record:ident, $collection:literal, $filters:ty, $page:ident) => {
        super::page_of!($page, $record);

        impl super::ApiRecord for $record {
            const COLLECTION: &'static str = $collection;
            type Filters = $filters;
            type Page = $page;

            fn fetch(
                query: super::Fetch<'_, $filters>,
            ) -> impl std::future::Future<Output = Result<Vec<Self>, sqlx::Error>> + Send {
                fetch(query)
            }

            fn id(&self) -> i64 {
                self.id
            }

            fn changed_at(&self) -> chrono::DateTime<chrono::Utc> {
                self.updated_at
            }
        }
    };
}
pub(crate) use api_record;

/// The routes of the records (after the search routes, so `/search` is not a kind).
pub fn routes(
    listed: super::super::listed::Listed<AppState>,
) -> super::super::listed::Listed<AppState> {
    use http::Method;
    listed
        .route(Method::GET, "/products", get(products::collection))
        .route(Method::GET, "/products/{id}", get(products::item))
        .route(Method::GET, "/scenarios", get(scenarios::collection))
        .route(Method::GET, "/scenarios/{id}", get(scenarios::item))
        .route(Method::GET, "/projects", get(projects::collection))
        .route(Method::GET, "/projects/{id}", get(projects::item))
        .route(
            Method::GET,
            "/organisations",
            get(organisations::collection),
        )
        .route(Method::GET, "/organisations/{id}", get(organisations::item))
        .route(Method::GET, "/calls", get(calls::collection))
        .route(Method::GET, "/calls/{id}", get(calls::item))
        .route(
            Method::GET,
            "/first-purchases",
            get(first_purchases::collection),
        )
        .route(
            Method::GET,
            "/first-purchases/{id}",
            get(first_purchases::item),
        )
        .route(Method::GET, "/notices", get(notices::collection))
        .route(Method::GET, "/removals", get(removals::collection))
}
