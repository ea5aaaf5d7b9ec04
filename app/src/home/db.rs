//! Queries behind the home page.

use super::HomeFigures;
use sqlx::PgExecutor;

pub async fn home_figures(db: impl PgExecutor<'_>) -> Result<HomeFigures, sqlx::Error> {
    // Unverified organisations are not public (DOMAIN.md), so they are not counted.
    let verified_organisations = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM organisations WHERE verified_at IS NOT NULL"#
    )
    .fetch_one(db)
    .await?;
    Ok(HomeFigures {
        verified_organisations,
    })
}
