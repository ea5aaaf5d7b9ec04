//! `GET /api/v1/organisations` and `/api/v1/organisations/{id}`: verified organisations.

use super::{api_record, page_url};
use crate::routes::api::ApiError;
use app::domain::{Location, OrganisationKind};
use app::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A verified organisation as the API gives it (version 1): its office's public contact,
/// never its members. Times UTC.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganisationV1 {
    pub id: i64,
    /// Its page on the site.
    pub url: String,
    pub kind: OrganisationKind,
    pub name: String,
    /// Unified social credit code (统一社会信用代码, GB 32100-2015), 18 characters.
    pub credit_code: String,
    pub location: Location,
    pub description: String,
    pub website: Option<String>,
    pub public_phone: Option<String>,
    pub public_email: Option<String>,
    /// When the platform verified it.
    pub verified_at: DateTime<Utc>,
    /// When what this answer shows last changed.
    pub updated_at: DateTime<Utc>,
}

api_record!(
    OrganisationV1,
    "organisations",
    OrganisationFilters,
    OrganisationsPage
);

/// Filters of `/api/v1/organisations`.
#[derive(Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationFilters {
    kind: Option<OrganisationKind>,
    location: Option<Location>,
    /// The organisation with this unified social credit code (18 characters).
    credit_code: Option<String>,
}

/// Reads organisations ([`super::Fetch`]).
async fn fetch(
    query: super::Fetch<'_, OrganisationFilters>,
) -> Result<Vec<OrganisationV1>, sqlx::Error> {
    let super::Fetch {
        pool,
        site,
        window,
        filters,
        item,
    } = query;
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", kind AS "kind!: OrganisationKind", name AS "name!",
                  credit_code AS "credit_code!", location AS "location!: Location",
                  description AS "description!", website, public_phone, public_email,
                  verified_at AS "verified_at!", changed_at AS "changed_at!"
           FROM api_organisations
           -- `id > $2` stands on its own so the keyset walks the primary key from
           -- there (inside a CASE it could not: every page rescanned from the first id).
           -- An item's window starts after 0.
           WHERE id > $2 AND ($1::bigint IS NULL OR id = $1)
             AND ($1::bigint IS NOT NULL OR listed)
             AND ($3::timestamptz IS NULL OR changed_at >= $3)
             AND ($4::text IS NULL OR kind::text = $4)
             AND ($5::text IS NULL OR location = $5)
             AND ($6::text IS NULL OR credit_code = upper($6))
           ORDER BY id
           LIMIT $7"#,
        item,
        window.after,
        window.since,
        filters.kind.map(OrganisationKind::code),
        filters.location.map(Location::code),
        filters.credit_code.as_deref(),
        window.limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| OrganisationV1 {
            id: row.id,
            url: page_url(site, &format!("/organisations/{}", row.id)),
            kind: row.kind,
            name: row.name,
            credit_code: row.credit_code,
            location: row.location,
            description: row.description,
            website: row.website,
            public_phone: row.public_phone,
            public_email: row.public_email,
            verified_at: row.verified_at,
            updated_at: row.changed_at,
        })
        .collect())
}

/// Verified organisations in id order, a keyset page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/organisations",
    operation_id = "list_organisations",
    params(super::Paging, OrganisationFilters),
    responses(
        (status = 200, body = OrganisationsPage, description = "a keyset page of the collection, in id order, with `next_after` while more follow"),
        (status = 400, body = crate::routes::api::error::ErrorBody, description = "a parameter is unknown or invalid (`param` names it)"),
    )
)]
pub async fn collection(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    super::collection::<OrganisationV1>(&state, query.as_deref()).await
}

/// One verified organisation.
#[utoipa::path(
    get,
    path = "/api/v1/organisations/{id}",
    operation_id = "get_organisation",
    params(("id" = i64, Path, description = "the organisation's id")),
    responses(
        (status = 200, body = OrganisationV1, description = "the record, with its `status`", headers(("Last-Modified" = String, description = "its `updated_at` (RFC 9110 §8.8.2)"))),
        (status = 404, body = crate::routes::api::error::ErrorBody, description = "no such organisation, or not verified"),
    )
)]
pub async fn item(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    super::item::<OrganisationV1>(&state, &id).await
}
