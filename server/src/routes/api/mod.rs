//! The open-data API, `/api/v1/…`: a versioned router of its own, with its own documented
//! types (not the UI's server functions). Conventions every endpoint follows:
//! - reads are GET with query parameters, and public data needs no key;
//! - errors are `{"error": {"code", "message", "param"?}}` with a matching HTTP status;
//! - searches page by number (`page`, `total`) up to 1,000 hits; the records' collections
//!   page by keyset (`after`, `next_after`) and follow changes (`updated_since`, `as_of`,
//!   `/removals`: [`records`]);
//! - the OpenAPI document at `/api/v1/openapi.json` is generated from the code;
//! - successful GET answers carry an `ETag`, and `If-None-Match` is answered 304
//!   ([`conditional`]), and an item's `Last-Modified` answers `If-Modified-Since`; scripts
//!   on any site may read them (CORS, [`cors`]).

pub(crate) mod conditional;
pub mod cors;
mod dump;
mod error;
pub(crate) mod export;
mod ocds;
pub(crate) mod openapi;
pub mod records;
mod search;

pub use error::ApiError;
pub use records::FOLLOW_OVERLAP_SECONDS;

use app::error::AppError;

use app::search::SearchQuery;

/// A search from query parameters, as the search page reads them.
fn search_query(params: &[(String, String)]) -> Result<SearchQuery, ApiError> {
    let pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Ok(SearchQuery::from_query(&pairs[..])?)
}

use super::listed::Listed;
use crate::limits::{limit_export, Limiter};
use app::state::AppState;
use axum::routing::get;
use http::Method;
use std::sync::Arc;

/// The API's routes; the exports (CSV and XLSX), which run up to 50 searches each, also
/// spend the tighter export budget of `limiter`.
pub fn router(limiter: &Arc<Limiter>) -> Listed<AppState> {
    let export_budget = || axum::middleware::from_fn_with_state(Arc::clone(limiter), limit_export);
    records::routes(Listed::default())
        .route(Method::GET, "/search", get(search::search))
        .route(
            Method::GET,
            "/search/export",
            get(export::export_csv).route_layer(export_budget()),
        )
        .route(
            Method::GET,
            "/search/export.xlsx",
            get(export::export_xlsx).route_layer(export_budget()),
        )
        .route(Method::GET, "/openapi.json", get(openapi::openapi))
        .route(Method::GET, "/ocds/releases", get(ocds::releases))
        .route(
            Method::GET,
            "/ocds/releases/{id}",
            get(ocds::release_of_record),
        )
        .route(Method::GET, "/dump", get(dump::describe))
        .route(
            Method::GET,
            "/dump/catalogue.jsonl.gz",
            get(dump::download).route_layer(export_budget()),
        )
        // An address under /api/v1 that names nothing answers the API's JSON 404.
        .map_router(|router| router.fallback(|| async { ApiError::from(AppError::NotFound) }))
        // Only documented parameters, each once (an ignored typo would widen the answer).
        .map_router(|router| {
            router.layer(axum::middleware::from_fn(
                super::known_parameters::documented_parameters,
            ))
        })
        // Inside the limiter: a conditional GET spends the budget like any other.
        .map_router(|router| router.layer(axum::middleware::from_fn(conditional::entity_tags)))
}
