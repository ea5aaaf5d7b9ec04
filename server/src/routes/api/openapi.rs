//! `GET /api/v1/openapi.json`: the API described from the code itself (the handlers'
//! `#[utoipa::path]` and the types' derives), so it cannot drift from what is served.

use super::error::ErrorBody;
use super::{export, listing, search};
use app::search::{FacetCount, Facets, Fragment, SearchDocument, SearchHit, SearchResults};
use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Innovation catalogue open-data API",
        version = "1",
        description = "Published application scenarios, innovative products, projects and \
            organisations. Public data needs no key. Errors are \
            `{\"error\": {\"code\", \"message\", \"param\"?}}` with a matching HTTP status. \
            Searches page by number up to 1,000 hits; full listings page by keyset (`after`)."
    ),
    paths(search::search, export::export, listing::list),
    components(schemas(
        SearchResults,
        SearchHit,
        Fragment,
        Facets,
        FacetCount,
        SearchDocument,
        ErrorBody,
        listing::Listing
    ))
)]
pub struct ApiDoc;

pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
