//! `catalogue generate`: appends a large synthetic catalogue (all published, `is_demo`)
//! for benchmarks. Rows are built from the seed's word lists with a fixed-seed stream and
//! written with multi-row `UNNEST` inserts of up to 10,000 rows; revisions, the search
//! outbox and the audit log are filled from the inserted rows in the same statement.

mod needs;
mod organisations;
mod products;

use super::seed::support::{DemoCalendar, SeedRng};
use anyhow::{bail, Context, Result};
use rand::SeedableRng;
use sqlx::PgPool;
use std::time::{Duration, Instant};

/// Rows per statement: large enough that round trips do not matter, small enough that
/// one statement's parameters stay a few megabytes.
pub const CHUNK: usize = 10_000;

/// A different stream from the demo seed's, so generated rows do not mirror it.
const SEED: u64 = 4754;

#[derive(Clone, Debug)]
pub struct Sizes {
    pub products: usize,
    pub scenarios: usize,
    pub projects: usize,
    pub organisations: usize,
}

#[derive(Debug)]
pub struct Report {
    pub organisations: usize,
    pub products: usize,
    pub scenarios: usize,
    pub projects: usize,
    pub elapsed: Duration,
}

/// The calls the generated records belong to: a lapsed and a valid batch, so about half
/// the products are eligible for first purchase, and a scenario call.
pub struct Calls {
    pub lapsed_batch: i64,
    pub valid_batch: i64,
    pub scenario_call: i64,
}

/// Appends the synthetic catalogue, dated around `cal`'s day (the day it is generated).
pub async fn run(pool: &PgPool, sizes: &Sizes, cal: DemoCalendar) -> Result<Report> {
    if sizes.organisations < 20 {
        bail!("--organisations must be at least 20, so that every kind is present");
    }
    let started = Instant::now();
    let mut rng = SeedRng::seed_from_u64(SEED);
    let mut transaction = pool.begin().await?;
    let organisations = organisations::insert(&mut transaction, cal, &mut rng, sizes.organisations)
        .await
        .context("generating organisations")?;
    let calls = organisations::insert_calls(&mut transaction, cal, &organisations).await?;
    products::insert(
        &mut transaction,
        cal,
        &mut rng,
        &organisations,
        &calls,
        sizes.products,
    )
    .await
    .context("generating products")?;
    needs::scenarios(
        &mut transaction,
        cal,
        &mut rng,
        &organisations,
        &calls,
        sizes.scenarios,
    )
    .await
    .context("generating scenarios")?;
    needs::projects(
        &mut transaction,
        cal,
        &mut rng,
        &organisations,
        sizes.projects,
    )
    .await
    .context("generating projects")?;
    transaction.commit().await?;
    // Autovacuum would get to it eventually; until then the planner would plan lists for
    // the row counts from before the bulk insert.
    sqlx::query("ANALYZE")
        .execute(pool)
        .await
        .context("analysing the new rows")?;
    Ok(Report {
        organisations: organisations.len(),
        products: sizes.products,
        scenarios: sizes.scenarios,
        projects: sizes.projects,
        elapsed: started.elapsed(),
    })
}

/// Follows the inserted rows `r` (with `id`) into the search outbox and the audit log.
fn follow_up(kind: &str) -> String {
    format!(
        "a AS (INSERT INTO audit_log (subject_kind, subject_id, action, to_state, reason)
               SELECT '{kind}', id, 'generate', 'published', '基准测试数据' FROM r)
         INSERT INTO search_outbox (subject_kind, subject_id, operation)
         SELECT '{kind}', id, 'upsert' FROM r"
    )
}
