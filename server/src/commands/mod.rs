//! Maintenance commands of the `catalogue` binary: migrations, the demo catalogue, the
//! synthetic benchmark catalogue, backup and restore.

pub mod backup;
pub mod generate;
pub mod seed;

use crate::{config::Config, database};
use anyhow::Result;

pub async fn migrate(config: &Config) -> Result<()> {
    let pool = database::connect(config).await?;
    database::migrate(&pool).await?;
    tracing::info!("migrations applied");
    Ok(())
}

/// `catalogue seed [--if-empty]`: the demo catalogue, into an empty database only.
pub async fn seed(config: &Config, if_empty: bool) -> Result<()> {
    let pool = database::connect(config).await?;
    database::migrate(&pool).await?;
    let mode = if if_empty {
        seed::Mode::SkipIfNotEmpty
    } else {
        seed::Mode::RefuseIfNotEmpty
    };
    match seed::run(&pool, mode).await? {
        seed::Outcome::Seeded(counts) => tracing::info!(
            organisations = counts.organisations,
            products = counts.products,
            scenarios = counts.scenarios,
            projects = counts.projects,
            first_purchases = counts.first_purchases,
            answers = counts.answers,
            "demo catalogue loaded"
        ),
        seed::Outcome::Skipped { organisations } => tracing::info!(
            organisations,
            "the catalogue already has organisations: demo data not loaded"
        ),
    }
    Ok(())
}

/// `catalogue generate`: appends a large synthetic catalogue for benchmarks.
pub async fn generate(config: &Config, sizes: generate::Sizes) -> Result<()> {
    let pool = database::connect(config).await?;
    database::migrate(&pool).await?;
    let report = generate::run(&pool, &sizes).await?;
    println!(
        "generated {} organisations, {} products, {} scenarios, {} projects in {:.1} s",
        report.organisations,
        report.products,
        report.scenarios,
        report.projects,
        report.elapsed.as_secs_f64()
    );
    Ok(())
}
