//! `GET /api/v1/scenarios` and `/api/v1/scenarios/{id}`: application scenarios (应用场景).

use super::{api_record, page_url};
use super::{Coded, Named};
use crate::routes::api::ApiError;
use app::domain::{Location, RecordStatus, Sector};
use app::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// An application scenario as the API gives it (version 1): a need an agency published for
/// firms to answer. Money in fen (分); dates are days in Beijing time (UTC+8); times UTC.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ScenarioV1 {
    pub id: i64,
    /// Its page on the site.
    pub url: String,
    /// `published`; an item may also be `in_notice`, `expired` or `withdrawn`.
    pub status: RecordStatus,
    pub title: String,
    pub sector: Sector,
    /// What the agency needs.
    pub need: String,
    pub expected_outcome: String,
    pub budget_min_fen: Option<i64>,
    pub budget_max_fen: Option<i64>,
    pub location: Location,
    /// The last day answers are taken.
    pub open_until: Option<NaiveDate>,
    pub revision: i32,
    /// The last day of its public notice, while in notice.
    pub notice_until: Option<NaiveDate>,
    pub published_at: Option<DateTime<Utc>>,
    /// The publishing agency or institution.
    pub organisation: Named,
    /// The call (征集) it was collected through, if any.
    pub call: Option<Coded>,
    /// When what this answer shows last changed.
    pub updated_at: DateTime<Utc>,
}

api_record!(ScenarioV1, "scenarios", ScenarioFilters, ScenariosPage);

/// Filters of `/api/v1/scenarios`, as the search facets name them.
#[derive(Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScenarioFilters {
    /// Only this organisation's scenarios (an organisation id).
    organisation: Option<i64>,
    /// Only scenarios collected through this call (its code).
    call: Option<String>,
    sector: Option<Sector>,
    location: Option<Location>,
    /// Only scenarios still taking answers on this day or later (`open_until` ≥ it).
    open_on: Option<NaiveDate>,
}

/// Reads scenarios ([`super::Fetch`]).
async fn fetch(query: super::Fetch<'_, ScenarioFilters>) -> Result<Vec<ScenarioV1>, sqlx::Error> {
    let super::Fetch {
        pool,
        site,
        window,
        filters,
        item,
    } = query;
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", status AS "status!: RecordStatus", title AS "title!",
                  sector AS "sector!: Sector", need AS "need!",
                  expected_outcome AS "expected_outcome!", budget_min_fen, budget_max_fen,
                  location AS "location!: Location", open_until, revision AS "revision!",
                  notice_until, published_at, organisation_id AS "organisation_id!",
                  organisation_name AS "organisation_name!", call_id, call_code,
                  changed_at AS "changed_at!"
           FROM api_scenarios
           -- `id > $2` stands on its own so the keyset walks the primary key from
           -- there (inside a CASE it could not: every page rescanned from the first id).
           -- An item's window starts after 0.
           WHERE id > $2 AND ($1::bigint IS NULL OR id = $1)
             AND ($1::bigint IS NOT NULL OR listed)
             AND ($3::timestamptz IS NULL OR changed_at >= $3)
             AND ($4::bigint IS NULL OR organisation_id = $4)
             AND ($5::text IS NULL OR call_code = $5)
             AND ($6::text IS NULL OR sector = $6)
             AND ($7::text IS NULL OR location = $7)
             AND ($8::date IS NULL OR open_until >= $8)
           ORDER BY id
           LIMIT $9"#,
        item,
        window.after,
        window.since,
        filters.organisation,
        filters.call.as_deref(),
        filters.sector.map(Sector::code),
        filters.location.map(Location::code),
        filters.open_on,
        window.limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ScenarioV1 {
            id: row.id,
            url: page_url(site, &format!("/scenarios/{}", row.id)),
            status: row.status,
            title: row.title,
            sector: row.sector,
            need: row.need,
            expected_outcome: row.expected_outcome,
            budget_min_fen: row.budget_min_fen,
            budget_max_fen: row.budget_max_fen,
            location: row.location,
            open_until: row.open_until,
            revision: row.revision,
            notice_until: row.notice_until,
            published_at: row.published_at,
            organisation: Named {
                id: row.organisation_id,
                name: row.organisation_name,
            },
            call: row
                .call_id
                .zip(row.call_code)
                .map(|(id, code)| Coded { id, code }),
            updated_at: row.changed_at,
        })
        .collect())
}

/// Listed scenarios in id order, a keyset page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/scenarios",
    operation_id = "list_scenarios",
    params(super::Paging, ScenarioFilters),
    responses(
        (status = 200, body = ScenariosPage, description = "a keyset page of the collection, in id order, with `next_after` while more follow"),
        (status = 400, body = crate::routes::api::error::ErrorBody, description = "a parameter is unknown or invalid (`param` names it)"),
    )
)]
pub async fn collection(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    super::collection::<ScenarioV1>(&state, query.as_deref()).await
}

/// One scenario whose page is public (in notice, published, expired or withdrawn).
#[utoipa::path(
    get,
    path = "/api/v1/scenarios/{id}",
    operation_id = "get_scenario",
    params(("id" = i64, Path, description = "the scenario's id")),
    responses(
        (status = 200, body = ScenarioV1, description = "the record, with its `status`", headers(("Last-Modified" = String, description = "its `updated_at` (RFC 9110 §8.8.2)"))),
        (status = 404, body = crate::routes::api::error::ErrorBody, description = "no such scenario, or not public"),
    )
)]
pub async fn item(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    super::item::<ScenarioV1>(&state, &id).await
}
