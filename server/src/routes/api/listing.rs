//! `GET /api/v1/{products|scenarios|projects|organisations}?after=…&limit=…`: every listed
//! record of a kind (the visibility functions in SQL), from Postgres, in id order, with keyset pagination: `next_after`
//! is the `after` of the next page (absent on the last), so pages stay stable while
//! records are published.

use super::ApiError;
use app::error::AppError;
use app::search::{document, DocumentKind, SearchDocument};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 500;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListingParams {
    /// The `next_after` of the previous page; absent (or 0) for the first page.
    #[param(minimum = 0)]
    after: Option<i64>,
    /// Records per page, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
}

/// The kinds of record a full listing serves, by their path segment (in the OpenAPI
/// document only: any other segment answers 404, as an unknown page does).
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
enum ListedKind {
    Products,
    Scenarios,
    Projects,
    Organisations,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Listing {
    pub items: Vec<SearchDocument>,
    /// Pass as `after` for the next page; absent when this is the last.
    pub next_after: Option<i64>,
}

fn kind_of(plural: &str) -> Option<DocumentKind> {
    match plural {
        "products" => Some(DocumentKind::Product),
        "scenarios" => Some(DocumentKind::Scenario),
        "projects" => Some(DocumentKind::Project),
        "organisations" => Some(DocumentKind::Organisation),
        _ => None,
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/{kind}",
    params(
        ("kind" = inline(ListedKind), Path, description = "products, scenarios, projects or organisations"),
        ListingParams,
    ),
    responses(
        (status = 200, body = Listing),
        (status = 400, body = super::error::ErrorBody, description = "`after` or `limit` is invalid"),
        (status = 404, body = super::error::ErrorBody, description = "no such kind of record"),
    )
)]
pub async fn list(
    State(pool): State<PgPool>,
    State(clock): State<app::clock::Clock>,
    Path(kind): Path<String>,
    params: Result<Query<ListingParams>, axum::extract::rejection::QueryRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let kind = kind_of(&kind).ok_or(AppError::NotFound)?;
    let Query(params) = params.map_err(|rejection| {
        let body = rejection.body_text();
        let param = if body.contains("limit") {
            "limit"
        } else {
            "after"
        };
        AppError::InvalidParameter {
            param: param.to_owned(),
        }
    })?;
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::InvalidParameter {
            param: "limit".into(),
        }
        .into());
    }
    let after = params.after.unwrap_or(0);
    if after < 0 {
        return Err(AppError::InvalidParameter {
            param: "after".into(),
        }
        .into());
    }
    let items = document::public_page(&pool, kind, after, i64::from(limit), clock.today()).await?;
    let next_after = (items.len() == limit as usize)
        .then(|| items.last().map(|doc| doc.id))
        .flatten();
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=60")],
        Json(Listing { items, next_after }),
    ))
}
