//! Queries behind the organisation pages: only verified organisations are public
//! (`organisation_is_public`).

use super::{OrganisationDetail, OrganisationFilter, OrganisationSummary};
use crate::domain::*;
use crate::listing::{Page, PER_PAGE};
use sqlx::PgPool;

/// Records of each kind shown on an organisation's page.
const RECORDS_PER_KIND: u32 = 20;

pub async fn list_verified(
    pool: &PgPool,
    traction: &crate::traction::TractionCache,
    filter: &OrganisationFilter,
) -> Result<Page<OrganisationSummary>, sqlx::Error> {
    let kind = filter.kind.map(OrganisationKind::code);
    let location = filter.location.map(Location::code);
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM organisations
           WHERE organisation_is_public(verified_at)
             AND ($1::text IS NULL OR kind::text = $1)
             AND ($2::text IS NULL OR location = $2)"#,
        kind,
        location,
    )
    .fetch_one(pool)
    .await?;
    let items = sqlx::query!(
        r#"SELECT id AS "id: OrganisationId", name, kind AS "kind: OrganisationKind",
                  location AS "location!: Location"
           FROM organisations
           WHERE organisation_is_public(verified_at)
             AND ($1::text IS NULL OR kind::text = $1)
             AND ($2::text IS NULL OR location = $2)
           ORDER BY convert_to(name, 'UTF8'), id
           LIMIT $3 OFFSET $4"#,
        kind,
        location,
        i64::from(PER_PAGE),
        Page::<()>::offset(filter.page),
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| OrganisationSummary {
        id: row.id,
        name: row.name,
        kind: row.kind,
        location: row.location,
        government_traction: Default::default(),
    })
    .collect();
    let items = with_traction(pool, traction, items).await?;
    Ok(Page {
        items,
        total,
        page: filter.page,
    })
}

/// `organisations` with their government traction, for a page of cards.
pub async fn with_traction(
    pool: &PgPool,
    traction: &crate::traction::TractionCache,
    mut organisations: Vec<OrganisationSummary>,
) -> Result<Vec<OrganisationSummary>, sqlx::Error> {
    let ids: Vec<i64> = organisations.iter().map(|o| o.id.0).collect();
    let traction = traction.for_organisations(pool, &ids).await?;
    for organisation in &mut organisations {
        organisation.government_traction = traction
            .get(&organisation.id.0)
            .copied()
            .unwrap_or_default();
    }
    Ok(organisations)
}

/// A verified organisation with the latest of what it published, as listed on `today`.
pub async fn public_detail(
    pool: &PgPool,
    search: &crate::search::SearchBackend,
    traction: &crate::traction::TractionCache,
    id: OrganisationId,
    today: chrono::NaiveDate,
) -> Result<Option<OrganisationDetail>, sqlx::Error> {
    let Some(row) = sqlx::query!(
        r#"SELECT id AS "id: OrganisationId", name, kind AS "kind: OrganisationKind",
                  location AS "location!: Location", credit_code, description, website,
                  public_phone, public_email
           FROM organisations
           WHERE id = $1 AND organisation_is_public(verified_at)"#,
        id.0,
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let products = crate::products::db::list_published(
        pool,
        search,
        &crate::products::ProductFilter {
            organisation: Some(id),
            ..Default::default()
        },
        RECORDS_PER_KIND,
        today,
    )
    .await?;
    let scenarios = crate::scenarios::db::list_published(
        pool,
        search,
        &crate::scenarios::ScenarioFilter {
            organisation: Some(id),
            ..Default::default()
        },
        RECORDS_PER_KIND,
        today,
    )
    .await?;
    let projects = crate::projects::db::list_published(
        pool,
        search,
        traction,
        &crate::projects::ProjectFilter {
            organisation: Some(id),
            ..Default::default()
        },
        RECORDS_PER_KIND,
    )
    .await?;
    Ok(Some(OrganisationDetail {
        summary: OrganisationSummary {
            id: row.id,
            name: row.name,
            kind: row.kind,
            location: row.location,
            government_traction: crate::traction::load(pool, row.id, None).await?,
        },
        credit_code: row.credit_code,
        description: row.description,
        website: row.website,
        public_phone: row.public_phone,
        public_email: row.public_email,
        products,
        scenarios,
        projects,
    }))
}
