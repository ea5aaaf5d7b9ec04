//! Maintenance commands of the `catalogue` binary.

use crate::{config::Config, database};
use anyhow::Result;

pub async fn migrate(config: &Config) -> Result<()> {
    let pool = database::connect(config).await?;
    database::migrate(&pool).await?;
    tracing::info!("migrations applied");
    Ok(())
}
