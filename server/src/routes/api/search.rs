//! `GET /api/v1/search?q=…&kind=…`: the search page's results as JSON, same parameters.

use super::ApiError;
use app::search::{SearchBackend, SearchQuery, SearchResults};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;

/// Searches everything published: keywords (Chinese is segmented into words; English
/// matches prefixes and one-letter typos), filters, facets with counts, highlights.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    params(SearchQuery),
    responses(
        (status = 200, body = SearchResults, description = "a page of hits with the facets and their counts"),
        (status = 400, body = super::error::ErrorBody, description = "a parameter is invalid (named in `param`)"),
        (status = 503, body = super::error::ErrorBody, description = "search or the database is unavailable"),
    )
)]
pub async fn search(
    State(search): State<SearchBackend>,
    State(pool): State<sqlx::PgPool>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<impl IntoResponse, ApiError> {
    let query = super::search_query(&params)?;
    let results: SearchResults = search.run_with_names(&pool, &query).await?;
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=30")],
        Json(results),
    ))
}
