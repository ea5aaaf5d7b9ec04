//! Queries behind the home page.

use super::HomeFigures;
use crate::domain::{Location, OrganisationId, OrganisationKind};
use crate::organisations::OrganisationSummary;
use sqlx::PgPool;

/// How many of each kind of record the home page lists.
const LATEST: u32 = 4;

/// The home page's figures as on `today` (the deployment's day).
pub async fn home_figures(
    pool: &PgPool,
    search: &crate::search::SearchBackend,
    traction: &crate::traction::TractionCache,
    today: chrono::NaiveDate,
) -> Result<HomeFigures, sqlx::Error> {
    let scenarios =
        crate::scenarios::db::list_published(pool, search, &Default::default(), LATEST, today)
            .await?;
    let products =
        crate::products::db::list_published(pool, search, &Default::default(), LATEST, today)
            .await?;
    let projects =
        crate::projects::db::list_published(pool, search, traction, &Default::default(), LATEST)
            .await?;
    // Unverified organisations are not public (docs/domain.md), so they are not counted.
    let verified_organisations = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM organisations WHERE organisation_is_public(verified_at)"#
    )
    .fetch_one(pool)
    .await?;
    let latest_organisations = sqlx::query!(
        r#"SELECT id AS "id: OrganisationId", name, kind AS "kind: OrganisationKind",
                  location AS "location!: Location"
           FROM organisations WHERE organisation_is_public(verified_at)
           ORDER BY verified_at DESC, id DESC LIMIT $1"#,
        i64::from(LATEST),
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
    let latest_organisations =
        crate::organisations::db::with_traction(pool, traction, latest_organisations).await?;
    let has_demo_data = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM organisations WHERE is_demo) AS "demo!""#
    )
    .fetch_one(pool)
    .await?;
    let has_demo_accounts = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users WHERE is_demo AND deleted_at IS NULL) AS "demo!""#
    )
    .fetch_one(pool)
    .await?;
    Ok(HomeFigures {
        published_scenarios: scenarios.total,
        published_products: products.total,
        published_projects: projects.total,
        verified_organisations,
        latest_scenarios: scenarios.items,
        latest_products: products.items,
        latest_projects: projects.items,
        latest_organisations,
        has_demo_data,
        has_demo_accounts,
    })
}
