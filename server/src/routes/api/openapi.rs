//! `GET /api/v1/openapi.json`: the API described from the code itself (the handlers'
//! `#[utoipa::path]` and the types' derives), so it cannot drift from what is served.
//!
//! What every operation may also answer, whatever it does (the limiter's 429 with
//! `Retry-After`, the 503 of a server too busy to start or finish a request), is added to
//! each by [`EveryOperation`] rather than repeated in every handler's attribute.

use super::error::ErrorBody;
use super::{export, listing, search};
use app::search::{FacetCount, Facets, Fragment, SearchDocument, SearchHit, SearchResults};
use axum::Json;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

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
    paths(
        search::search,
        export::export_csv,
        export::export_xlsx,
        listing::list,
        openapi
    ),
    components(schemas(
        SearchResults,
        SearchHit,
        Fragment,
        Facets,
        FacetCount,
        SearchDocument,
        ErrorBody,
        listing::Listing
    )),
    modifiers(&EveryOperation)
)]
pub struct ApiDoc;

/// This document (OpenAPI 3.1).
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    responses((status = 200, description = "the OpenAPI document of this API", content_type = "application/json"))
)]
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Adds to every operation the answers any request may get: 429 from the limiter (with
/// `Retry-After` in whole seconds, RFC 9110 §10.2.3) and 503 when the server is too busy
/// or the database or search is unavailable.
struct EveryOperation;

impl Modify for EveryOperation {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let error = || {
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build()
        };
        let too_many = ResponseBuilder::new()
            .description("too many requests from this client; `Retry-After` says when to try again")
            .content("application/json", error())
            .header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(Some(
                        utoipa::openapi::ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::Type::Integer)
                            .minimum(Some(1)),
                    ))
                    .description(Some("seconds to wait"))
                    .build(),
            )
            .build();
        let busy = ResponseBuilder::new()
            .description("the server is busy, or search or the database is unavailable")
            .content("application/json", error())
            .build();
        for item in doc.paths.paths.values_mut() {
            if let Some(operation) = item.get.as_mut() {
                let responses = &mut operation.responses.responses;
                responses
                    .entry("429".into())
                    .or_insert_with(|| too_many.clone().into());
                responses
                    .entry("503".into())
                    .or_insert_with(|| busy.clone().into());
            }
        }
    }
}
