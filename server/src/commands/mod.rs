//! Maintenance commands of the `catalogue` binary: migrations, the demo catalogue, the
//! synthetic benchmark catalogue, rebuilding the search index, backup and restore.

pub mod admin;
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

/// `catalogue seed [--if-empty] [--demo-accounts]`: the demo catalogue, into an empty
/// database only; with `--demo-accounts`, also the demo accounts that are missing (printed
/// with their password).
pub async fn seed(config: &Config, if_empty: bool, demo_accounts: bool) -> Result<()> {
    let pool = database::connect(config).await?;
    database::migrate(&pool).await?;
    let mode = if if_empty {
        seed::Mode::SkipIfNotEmpty
    } else {
        seed::Mode::RefuseIfNotEmpty
    };
    let clock = config.clock();
    let cal = seed::support::DemoCalendar::new(clock.today(), clock.zone());
    match seed::run(&pool, mode, cal).await? {
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
    if demo_accounts {
        let added = seed::accounts::add_demo_accounts(&pool, clock.now()).await?;
        tracing::info!(added, "demo accounts");
        println!(
            "demo accounts (password: {}; the admins' second-factor key: {}):",
            app::accounts::demo::DEMO_PASSWORD,
            app::accounts::demo::DEMO_TOTP_SECRET
        );
        for account in app::accounts::demo::DEMO_ACCOUNTS {
            println!(
                "  {:<34} {}",
                app::accounts::demo::demo_email(account),
                account.role_label
            );
        }
    }
    Ok(())
}

/// `catalogue generate`: appends a large synthetic catalogue for benchmarks.
pub async fn generate(config: &Config, sizes: generate::Sizes) -> Result<()> {
    let pool = database::connect(config).await?;
    database::migrate(&pool).await?;
    let clock = config.clock();
    let cal = seed::support::DemoCalendar::new(clock.today(), clock.zone());
    let report = generate::run(&pool, &sizes, cal).await?;
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
    let backend = crate::startup::search_backend(
        &pool,
        &config.clock(),
        app::search::EmbeddedStorage::Memory,
    )?;
    let started = std::time::Instant::now();
    // Meilisearch needs its index and settings first; the embedded index only writes the
    // table here (each server's copy follows it), so nothing is loaded into this process.
    if matches!(backend, app::search::SearchBackend::Meilisearch(_)) {
        backend.prepare().await?;
    }
    let (written, refused) = backend.reindex(&pool).await?;
    backend.mark_format_current(&pool).await?;
    app::search::backend::log_refusals(&refused);
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "reindexed {written} documents into the {} index in {seconds:.1} s ({:.0} documents/s); {} refused",
        backend.name(),
        written as f64 / seconds.max(0.001),
        refused.len()
    );
    Ok(())
}

/// `catalogue dump`: writes the open-data dump now (`crate::open_data`) and prints what
/// it holds, the time it took and the process's peak memory.
pub async fn dump(config: &Config) -> Result<()> {
    let pool = database::connect(config).await?;
    database::migrate(&pool).await?;
    let site = app::state::Site {
        public_url: config.public_url.clone(),
        filings: config.filings.clone(),
    };
    let folder = crate::open_data::folder(&config.data_dir);
    let started = std::time::Instant::now();
    let info = crate::open_data::write_dump(&pool, &site, &config.clock(), &folder).await?;
    let records: u64 = info.records.values().sum();
    let peak = crate::memory::peak_resident_kib().map_or("unknown".to_owned(), |kib| {
        format!("{:.1} MiB", kib as f64 / 1024.0)
    });
    println!(
        "wrote {records} records ({:?}) to {} in {:.1} s: {} bytes, sha256 {}; peak memory {peak}",
        info.records,
        folder.join(&info.file).display(),
        started.elapsed().as_secs_f64(),
        info.bytes,
        info.sha256
    );
    Ok(())
}

/// `catalogue admin grant-platform-admin EMAIL`: makes an existing account a platform
/// admin (audited with the actor `cli`).
pub async fn grant_platform_admin(config: &Config, email: &str) -> Result<()> {
    let pool = database::connect(config).await?;
    database::migrate(&pool).await?;
    match admin::grant_platform_admin(&pool, &config.clock(), email).await? {
        admin::Granted::Now(user) => println!("account {} is now a platform admin", user.0),
        admin::Granted::Already(user) => {
            println!(
                "account {} was a platform admin already; nothing changed",
                user.0
            )
        }
    }
    Ok(())
}

/// `catalogue retry-dead-letters`: puts the records the search backend refused back in
/// line (after the cause was fixed); the running servers' indexers take them.
pub async fn retry_dead_letters(config: &Config) -> Result<()> {
    let pool = database::connect(config).await?;
    database::migrate(&pool).await?;
    let retried = crate::indexer::retry_dead_letters(&pool).await?;
    println!("{retried} dead letters queued again for the search index");
    Ok(())
}
