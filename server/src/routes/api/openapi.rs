//! `GET /api/v1/openapi.json`: the API described from the code itself (the handlers'
//! `#[utoipa::path]` and the types' derives), so it cannot drift from what is served.
//!
//! What every operation may also answer, whatever it does (the limiter's 429 with
//! `Retry-After`, the 503 of a server too busy to start or finish a request), is added to
//! each by [`EveryOperation`] rather than repeated in every handler's attribute.

use super::error::ErrorBody;
use super::records::{
    self, calls, first_purchases, notices, organisations, products, projects, removals, scenarios,
};
use super::{dump, export, ocds, search};
use app::search::{FacetCount, Facets, Fragment, SearchDocument, SearchHit, SearchResults};
use axum::http::header;
use axum::response::IntoResponse;
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
            Searches page by number up to 1,000 hits. The records' collections page by keyset \
            (`after`, `next_after`); a program mirroring the catalogue passes each answer's \
            `as_of` as the next `updated_since`, here and to `/removals`. Items answer \
            `Last-Modified` and `If-Modified-Since`; every JSON answer an `ETag`. Money is in \
            fen (1/100 yuan); dates are days in Beijing time (UTC+8); times are UTC."
    ),
    paths(
        search::search,
        export::export_csv,
        export::export_xlsx,
        products::collection,
        products::item,
        scenarios::collection,
        scenarios::item,
        projects::collection,
        projects::item,
        organisations::collection,
        organisations::item,
        calls::collection,
        calls::item,
        first_purchases::collection,
        first_purchases::item,
        notices::collection,
        removals::collection,
        ocds::releases,
        ocds::release_of_record,
        dump::describe,
        dump::download,
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
        records::ProductV1,
        records::ProductsPage,
        records::ScenarioV1,
        records::ScenariosPage,
        records::ProjectV1,
        records::ProjectsPage,
        records::OrganisationV1,
        records::OrganisationsPage,
        records::CallV1,
        records::CallsPage,
        records::FirstPurchaseV1,
        records::FirstPurchasesPage,
        records::NoticeV1,
        records::NoticesPage,
        records::RemovalV1,
        records::RemovalsPage,
        records::Named,
        records::Coded,
        dump::DumpV1
    )),
    modifiers(&EveryOperation)
)]
pub struct ApiDoc;

/// This document (OpenAPI 3.1). It changes only with a new release, so clients may keep
/// it for five minutes and then ask again with its `ETag`.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "openapi_document",
    tag = "openapi",
    responses((status = 200, description = "the OpenAPI document of this API", content_type = "application/json"))
)]
pub async fn openapi() -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Json(ApiDoc::openapi()),
    )
}

/// This document as JSON, for the page at `/api` ([`app::api_reference`]).
pub fn document() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).expect("an OpenAPI document is JSON")
}

/// Adds to every operation the answers any request may get: 429 from the limiter (with
/// `Retry-After` in whole seconds, RFC 9110 §10.2.3) and 503 when the server is too busy
/// or the database or search is unavailable; and to every JSON one its conditional GET
/// ([`super::conditional`]): the `ETag` of its 200, the `If-None-Match` parameter and 304.
struct EveryOperation;

/// The header that carries an answer's entity tag.
fn etag_header() -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(Some(
            utoipa::openapi::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::String),
        ))
        .description(Some(
            "weak entity tag of the answer (`W/\"…\"`); send it back in `If-None-Match`",
        ))
        .build()
}

/// A JSON operation's conditional GET: `ETag` on its 200, `If-None-Match`, and 304.
fn add_conditional_get(operation: &mut utoipa::openapi::path::Operation) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::RefOr;
    let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200") else {
        return;
    };
    if !ok.content.contains_key("application/json") {
        return; // the downloads are never tagged
    }
    ok.headers.insert("ETag".into(), RefOr::T(etag_header()));
    let not_modified = ResponseBuilder::new()
        .description("the entity tag in `If-None-Match` is current: no body")
        .header("ETag", etag_header())
        .build();
    operation
        .responses
        .responses
        .insert("304".into(), not_modified.into());
    let condition = ParameterBuilder::new()
        .name("If-None-Match")
        .parameter_in(ParameterIn::Header)
        .required(utoipa::openapi::Required::False)
        .schema(Some(
            utoipa::openapi::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::String),
        ))
        .description(Some(
            "entity tags the client has (RFC 9110 §13.1.2, weak comparison; `*` for any)",
        ))
        .build();
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .push(RefOr::T(condition));
}

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
                add_conditional_get(operation);
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
