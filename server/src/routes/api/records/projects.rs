//! `GET /api/v1/projects` and `/api/v1/projects/{id}`: innovation and entrepreneurship
//! projects (创新创业项目) seeking investment.

use super::{api_record, page_url, Named};
use crate::routes::api::ApiError;
use app::domain::{FinancingForm, Location, ProjectStage, RecordStatus, Sector};
use app::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A project as the API gives it (version 1). Money in fen (分); times UTC. Never its
/// owner's contact: the page shows it to readers when the owner chose to.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProjectV1 {
    pub id: i64,
    /// Its page on the site.
    pub url: String,
    /// `published`; an item may also be `in_notice`, `expired` or `withdrawn`.
    pub status: RecordStatus,
    pub name: String,
    pub sector: Sector,
    pub stage: ProjectStage,
    pub financing_sought_fen: Option<i64>,
    pub financing_form: FinancingForm,
    pub highlights: String,
    pub team: String,
    pub intellectual_property: String,
    pub traction: String,
    pub revision: i32,
    pub published_at: Option<DateTime<Utc>>,
    /// The organisation behind it.
    pub organisation: Named,
    /// The organisation's location code.
    pub location: Location,
    /// When what this answer shows last changed.
    pub updated_at: DateTime<Utc>,
}

api_record!(ProjectV1, "projects", ProjectFilters, ProjectsPage);

/// Filters of `/api/v1/projects`, as the search facets name them.
#[derive(Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectFilters {
    /// Only this organisation's projects (an organisation id).
    organisation: Option<i64>,
    sector: Option<Sector>,
    stage: Option<ProjectStage>,
    location: Option<Location>,
}

/// Reads projects ([`super::Fetch`]).
async fn fetch(query: super::Fetch<'_, ProjectFilters>) -> Result<Vec<ProjectV1>, sqlx::Error> {
    let super::Fetch {
        pool,
        site,
        window,
        filters,
        item,
    } = query;
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", status AS "status!: RecordStatus", name AS "name!",
                  sector AS "sector!: Sector", stage AS "stage!: ProjectStage",
                  financing_sought_fen, financing_form AS "financing_form!: FinancingForm",
                  highlights AS "highlights!", team AS "team!",
                  intellectual_property AS "intellectual_property!", traction AS "traction!",
                  revision AS "revision!", published_at, organisation_id AS "organisation_id!",
                  organisation_name AS "organisation_name!", location AS "location!: Location",
                  changed_at AS "changed_at!"
           FROM api_projects
           -- `id > $2` stands on its own so the keyset walks the primary key from
           -- there (inside a CASE it could not: every page rescanned from the first id).
           -- An item's window starts after 0.
           WHERE id > $2 AND ($1::bigint IS NULL OR id = $1)
             AND ($1::bigint IS NOT NULL OR listed)
             AND ($3::timestamptz IS NULL OR changed_at >= $3)
             AND ($4::bigint IS NULL OR organisation_id = $4)
             AND ($5::text IS NULL OR sector = $5)
             AND ($6::text IS NULL OR stage::text = $6)
             AND ($7::text IS NULL OR location = $7)
           ORDER BY id
           LIMIT $8"#,
        item,
        window.after,
        window.since,
        filters.organisation,
        filters.sector.map(Sector::code),
        filters.stage.map(ProjectStage::code),
        filters.location.map(Location::code),
        window.limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ProjectV1 {
            id: row.id,
            url: page_url(site, &format!("/projects/{}", row.id)),
            status: row.status,
            name: row.name,
            sector: row.sector,
            stage: row.stage,
            financing_sought_fen: row.financing_sought_fen,
            financing_form: row.financing_form,
            highlights: row.highlights,
            team: row.team,
            intellectual_property: row.intellectual_property,
            traction: row.traction,
            revision: row.revision,
            published_at: row.published_at,
            organisation: Named {
                id: row.organisation_id,
                name: row.organisation_name,
            },
            location: row.location,
            updated_at: row.changed_at,
        })
        .collect())
}

/// Listed projects in id order, a keyset page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/projects",
    operation_id = "list_projects",
    params(super::Paging, ProjectFilters),
    responses(
        (status = 200, body = ProjectsPage, description = "a keyset page of the collection, in id order, with `next_after` while more follow"),
        (status = 400, body = crate::routes::api::error::ErrorBody, description = "a parameter is unknown or invalid (`param` names it)"),
    )
)]
pub async fn collection(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    super::collection::<ProjectV1>(&state, query.as_deref()).await
}

/// One project whose page is public (in notice, published, expired or withdrawn).
#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}",
    operation_id = "get_project",
    params(("id" = i64, Path, description = "the project's id")),
    responses(
        (status = 200, body = ProjectV1, description = "the record, with its `status`", headers(("Last-Modified" = String, description = "its `updated_at` (RFC 9110 §8.8.2)"))),
        (status = 404, body = crate::routes::api::error::ErrorBody, description = "no such project, or not public"),
    )
)]
pub async fn item(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    super::item::<ProjectV1>(&state, &id).await
}
