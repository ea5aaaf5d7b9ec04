//! `GET /api/v1/calls` and `/api/v1/calls/{id}`: calls for scenarios (应用场景征集) and
//! product catalogue batches (创新产品目录批次).

use super::{api_record, page_url, Named};
use crate::routes::api::ApiError;
use app::calls::notice_window::NoticeCount;
use app::calls::types::{CallKind, CallStatus};
use app::domain::OrganisationKind;
use app::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A call or catalogue batch as the API gives it (version 1): every one its agency has
/// announced (never a draft). Dates are days in Beijing time (UTC+8); times UTC.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CallV1 {
    pub id: i64,
    /// Its page on the site.
    pub url: String,
    pub kind: CallKind,
    /// Its code, e.g. `CZ-2026-P01`: what products' and scenarios' `batch`/`call` name.
    pub code: String,
    pub title: String,
    pub description: String,
    pub eligibility: String,
    /// Who may submit.
    pub eligible_kinds: Vec<OrganisationKind>,
    pub status: PublicCallStatus,
    /// The first and last days submissions are taken (inclusive).
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// Length of the public notice (公示) of what it selects, in `notice_count` days.
    pub notice_days: i16,
    pub notice_count: NoticeCount,
    /// A batch's validity: its published products are eligible for first purchase from
    /// `valid_from` to `valid_until` (inclusive). Absent for scenario calls.
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub announced_at: Option<DateTime<Utc>>,
    /// The agency running it.
    pub organisation: Named,
    /// When what this answer shows last changed.
    pub updated_at: DateTime<Utc>,
}

api_record!(CallV1, "calls", CallFilters, CallsPage);

/// Where an announced call is (a draft is never in the API, so neither is its state):
/// announced with its opening day ahead, open for submissions, closed and under
/// selection, or finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicCallStatus {
    Scheduled,
    Open,
    Closed,
    Finished,
}

impl PublicCallStatus {
    /// The state as the site holds it.
    fn status(self) -> CallStatus {
        match self {
            PublicCallStatus::Scheduled => CallStatus::Scheduled,
            PublicCallStatus::Open => CallStatus::Open,
            PublicCallStatus::Closed => CallStatus::Closed,
            PublicCallStatus::Finished => CallStatus::Finished,
        }
    }

    /// The public state of `status`; `None` for a draft.
    fn of(status: CallStatus) -> Option<PublicCallStatus> {
        match status {
            CallStatus::Draft => None,
            CallStatus::Scheduled => Some(PublicCallStatus::Scheduled),
            CallStatus::Open => Some(PublicCallStatus::Open),
            CallStatus::Closed => Some(PublicCallStatus::Closed),
            CallStatus::Finished => Some(PublicCallStatus::Finished),
        }
    }
}

/// Filters of `/api/v1/calls`.
#[derive(Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallFilters {
    kind: Option<CallKind>,
    status: Option<PublicCallStatus>,
    /// Only this agency's calls (an organisation id).
    organisation: Option<i64>,
}

/// Reads calls ([`super::Fetch`]).
async fn fetch(query: super::Fetch<'_, CallFilters>) -> Result<Vec<CallV1>, sqlx::Error> {
    let super::Fetch {
        pool,
        site,
        window,
        filters,
        item,
    } = query;
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", kind AS "kind!: CallKind", code AS "code!", title AS "title!",
                  description AS "description!", eligibility AS "eligibility!",
                  eligible_kinds AS "eligible_kinds!: Vec<OrganisationKind>",
                  status AS "status!: CallStatus", opens_on AS "opens_on!",
                  closes_on AS "closes_on!", notice_days AS "notice_days!",
                  notice_count AS "notice_count!: NoticeCount", valid_from, valid_until,
                  announced_at, organisation_id AS "organisation_id!",
                  organisation_name AS "organisation_name!", changed_at AS "changed_at!"
           FROM api_calls
           -- `id > $2` stands on its own so the keyset walks the primary key from
           -- there (inside a CASE it could not: every page rescanned from the first id).
           -- An item's window starts after 0.
           WHERE id > $2 AND ($1::bigint IS NULL OR id = $1)
             AND ($1::bigint IS NOT NULL OR listed)
             AND ($3::timestamptz IS NULL OR changed_at >= $3)
             AND ($4::text IS NULL OR kind::text = $4)
             AND ($5::text IS NULL OR status::text = $5)
             AND ($6::bigint IS NULL OR organisation_id = $6)
           ORDER BY id
           LIMIT $7"#,
        item,
        window.after,
        window.since,
        filters.kind.map(CallKind::code),
        filters.status.map(|status| status.status().code()),
        filters.organisation,
        window.limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        // api_calls holds no draft; were one to slip in, it is left out, not shown.
        .filter_map(|row| {
            Some(CallV1 {
                id: row.id,
                url: page_url(site, &format!("/calls/{}", row.id)),
                kind: row.kind,
                code: row.code,
                title: row.title,
                description: row.description,
                eligibility: row.eligibility,
                eligible_kinds: row.eligible_kinds,
                status: PublicCallStatus::of(row.status)?,
                opens_on: row.opens_on,
                closes_on: row.closes_on,
                notice_days: row.notice_days,
                notice_count: row.notice_count,
                valid_from: row.valid_from,
                valid_until: row.valid_until,
                announced_at: row.announced_at,
                organisation: Named {
                    id: row.organisation_id,
                    name: row.organisation_name,
                },
                updated_at: row.changed_at,
            })
        })
        .collect())
}

/// Announced calls and batches in id order, a keyset page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/calls",
    operation_id = "list_calls",
    params(super::Paging, CallFilters),
    responses(
        (status = 200, body = CallsPage, description = "a keyset page of the collection, in id order, with `next_after` while more follow"),
        (status = 400, body = crate::routes::api::error::ErrorBody, description = "a parameter is unknown or invalid (`param` names it)"),
    )
)]
pub async fn collection(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    super::collection::<CallV1>(&state, query.as_deref()).await
}

/// One announced call or batch.
#[utoipa::path(
    get,
    path = "/api/v1/calls/{id}",
    operation_id = "get_call",
    params(("id" = i64, Path, description = "the call's id")),
    responses(
        (status = 200, body = CallV1, description = "the record, with its `status`", headers(("Last-Modified" = String, description = "its `updated_at` (RFC 9110 §8.8.2)"))),
        (status = 404, body = crate::routes::api::error::ErrorBody, description = "no such call, or a draft"),
    )
)]
pub async fn item(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    super::item::<CallV1>(&state, &id).await
}
