//! `GET /api/v1/removals`: the records that left the collections (a product, scenario or
//! project no longer published; an organisation no longer verified, with what it
//! published and the first purchases of its products), so a program that mirrors the
//! catalogue can delete them. Kept by triggers (migration 0023): the latest removal of
//! each record that is still out; one that comes back leaves this list and appears in
//! its collection as changed.

use super::{collection_answer, page_of, parse_query, Paging, Window};
use crate::routes::api::ApiError;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;

/// A record out of public view (version 1).
#[derive(Serialize, utoipa::ToSchema)]
pub struct RemovalV1 {
    /// The collection it left: `products`, `scenarios`, `projects`, `organisations` or
    /// `first-purchases`.
    pub kind: String,
    /// The record's id in that collection.
    pub id: i64,
    pub removed_at: DateTime<Utc>,
    /// Its new status (`expired`, `withdrawn`, `rejected`, …) or
    /// `organisation_unverified`.
    pub reason: String,
    /// This removal's position: what `next_after` counts (not a record id).
    pub seq: i64,
}

page_of!(RemovalsPage, RemovalV1);

async fn fetch(pool: &PgPool, window: &Window) -> Result<Vec<RemovalV1>, sqlx::Error> {
    sqlx::query_as!(
        RemovalV1,
        r#"SELECT kind, record_id AS id, removed_at, reason, seq
           FROM api_removals
           WHERE seq > $1 AND ($2::timestamptz IS NULL OR removed_at >= $2)
           ORDER BY seq
           LIMIT $3"#,
        window.after,
        window.since,
        window.limit,
    )
    .fetch_all(pool)
    .await
}

/// Records out of public view, removed at or after `updated_since`, a keyset page at a
/// time (by `seq`).
#[utoipa::path(
    get,
    path = "/api/v1/removals",
    operation_id = "list_removals",
    params(Paging),
    responses(
        (status = 200, body = RemovalsPage, description = "a keyset page of the collection, in id order, with `next_after` while more follow"),
        (status = 400, body = crate::routes::api::error::ErrorBody, description = "a parameter is unknown or invalid (`param` names it)"),
    )
)]
pub async fn collection(
    State(pool): State<PgPool>,
    State(clock): State<app::clock::Clock>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let window = parse_query::<Paging>(query.as_deref())?.window()?;
    let as_of = super::as_of(clock.now());
    let items = fetch(&pool, &window.looking_ahead()).await?;
    let (items, next_after) = window.page_of(items, |item| item.seq);
    Ok(collection_answer(RemovalsPage {
        items,
        next_after,
        as_of,
    }))
}
