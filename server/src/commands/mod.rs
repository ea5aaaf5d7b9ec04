//! Maintenance commands of the `catalogue` binary: migrations, the demo catalogue, the
//! synthetic benchmark catalogue, rebuilding the search index, backup and restore.

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

/// `catalogue reindex`: rebuilds this deployment's search index from Postgres (into a new
/// Meilisearch index swapped in at the end; the embedded table is rewritten in place), so
/// search never goes empty. Partners' indexes are never touched.
pub async fn reindex(config: &Config) -> Result<()> {
    let pool = database::connect(config).await?;
    database::migrate(&pool).await?;
    let backend = crate::startup::search_backend(config, &pool)?;
    let started = std::time::Instant::now();
    backend
        .prepare()
        .await
        .map_err(|error| anyhow::anyhow!(error))?;
    let written = backend
        .reindex(&pool)
        .await
        .map_err(|error| anyhow::anyhow!(error))?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "reindexed {written} documents into the {} index in {seconds:.1} s ({:.0} documents/s)",
        backend.name(),
        written as f64 / seconds.max(0.001)
    );
    Ok(())
}
