//! `GET /api/v1/notices`: what is in public notice (公示) now, with the day each notice
//! ends, as `/notices` lists it: a new record or a revision selected by a call or a
//! review, which anyone may object to until then.

use super::{collection_answer, collection_query, page_of, page_url, Coded, Named, Window};
use crate::routes::api::ApiError;
use app::state::Site;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

/// One item in public notice (version 1). Dates are days in Beijing time (UTC+8).
#[derive(Serialize, utoipa::ToSchema)]
pub struct NoticeV1 {
    /// The notice's id (its page is `/notices/{id}`, where objections are filed).
    pub id: i64,
    pub url: String,
    /// `product`, `scenario` or `project`.
    pub record_kind: String,
    pub record_id: i64,
    /// The record's page.
    pub record_url: String,
    /// The record's name or title as noticed.
    pub name: String,
    pub organisation: Named,
    /// The call or batch that selected it, if any.
    pub call: Option<Coded>,
    /// The last day of the notice: objections are taken until its end.
    pub notice_until: NaiveDate,
    pub updated_at: DateTime<Utc>,
}

page_of!(NoticesPage, NoticeV1);

/// Filters of `/api/v1/notices`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeFilters {
    /// `product`, `scenario` or `project`.
    #[param(pattern = "^(product|scenario|project)$")]
    record_kind: Option<String>,
}

async fn fetch(
    pool: &PgPool,
    site: &Site,
    window: &Window,
    filters: &NoticeFilters,
    today: NaiveDate,
) -> Result<Vec<NoticeV1>, sqlx::Error> {
    // In notice, of a public organisation, and its window not over (the scheduler ends it
    // in the first minutes of the next day): the rule of `/notices`.
    let rows = sqlx::query!(
        r#"SELECT s.id, s.record_kind, s.record_id,
                  COALESCE(s.snapshot->>'name', s.snapshot->>'title', '') AS "name!",
                  o.id AS organisation_id, o.name AS organisation_name,
                  c.id AS "call_id?", c.code AS "call_code?",
                  s.notice_until AS "notice_until!", s.updated_at
           FROM submissions s
           JOIN organisations o ON o.id = s.organisation_id
           LEFT JOIN calls c ON c.id = s.call_id
           WHERE s.state = 'in_notice' AND organisation_is_public(o.verified_at)
             AND s.notice_until >= $1 AND s.id > $2
             AND ($3::timestamptz IS NULL OR GREATEST(s.updated_at, o.updated_at) >= $3)
             AND ($4::text IS NULL OR s.record_kind = $4)
           ORDER BY s.id
           LIMIT $5"#,
        today,
        window.after,
        window.since,
        filters.record_kind.as_deref(),
        window.limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| NoticeV1 {
            id: row.id,
            url: page_url(site, &format!("/notices/{}", row.id)),
            record_url: page_url(site, &format!("/{}s/{}", row.record_kind, row.record_id)),
            record_kind: row.record_kind,
            record_id: row.record_id,
            name: row.name,
            organisation: Named {
                id: row.organisation_id,
                name: row.organisation_name,
            },
            call: row
                .call_id
                .zip(row.call_code)
                .map(|(id, code)| Coded { id, code }),
            notice_until: row.notice_until,
            updated_at: row.updated_at,
        })
        .collect())
}

/// Items in public notice now, in id order. The whole list is small: a program may read
/// it all each time (its `ETag` makes an unchanged answer cost nothing).
#[utoipa::path(
    get,
    path = "/api/v1/notices",
    operation_id = "list_notices",
    params(super::Paging, NoticeFilters),
    responses(
        (status = 200, body = NoticesPage, description = "a keyset page of the collection, in id order, with `next_after` while more follow"),
        (status = 400, body = crate::routes::api::error::ErrorBody, description = "a parameter is unknown or invalid (`param` names it)"),
    )
)]
pub async fn collection(
    State(pool): State<PgPool>,
    State(site): State<Site>,
    State(clock): State<app::clock::Clock>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let (window, filters) = collection_query::<NoticeFilters>(query.as_deref())?;
    if filters
        .record_kind
        .as_deref()
        .is_some_and(|kind| !["product", "scenario", "project"].contains(&kind))
    {
        return Err(super::invalid("record_kind"));
    }
    let as_of = super::as_of(clock.now());
    let items = fetch(
        &pool,
        &site,
        &window.looking_ahead(),
        &filters,
        clock.today(),
    )
    .await?;
    let (items, next_after) = window.page_of(items, |item| item.id);
    Ok(collection_answer(NoticesPage {
        items,
        next_after,
        as_of,
    }))
}
