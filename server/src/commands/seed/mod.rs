//! `catalogue seed`: a deterministic demo catalogue in natural Chinese, so the site can be
//! shown and tried before real data arrives. Everything is written in one transaction,
//! marked `is_demo`, and drawn from one fixed-seed ChaCha stream: the same rows on every
//! run and machine (no thread RNG, no hash-map order).

pub mod accounts;
mod answers;
mod calls;
mod organisations;
pub(crate) mod product_texts;
pub(crate) mod product_words;
mod products;
pub(crate) mod project_texts;
pub(crate) mod projects;
pub(crate) mod scenario_texts;
mod scenarios;
pub mod support;

use anyhow::{bail, Context, Result};
use rand::SeedableRng;
use sqlx::{PgConnection, PgPool};
use support::{DemoCalendar, SeedRng};

pub use products::SNAPSHOT_SQL;

/// The seed of the demo catalogue's random stream.
pub const SEED: u64 = 2021;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `catalogue seed`: a non-empty catalogue is an error, and nothing is written.
    RefuseIfNotEmpty,
    /// `catalogue seed --if-empty`: a non-empty catalogue is left alone.
    SkipIfNotEmpty,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Seeded(Counts),
    Skipped { organisations: i64 },
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub organisations: usize,
    pub products: usize,
    pub scenarios: usize,
    pub answers: usize,
    pub first_purchases: usize,
    pub projects: usize,
}

/// Loads the demo catalogue, dated around `cal`'s day (the day of loading).
pub async fn run(pool: &PgPool, mode: Mode, cal: DemoCalendar) -> Result<Outcome> {
    let mut transaction = pool.begin().await?;
    // Two seeds started together must not both find the catalogue empty.
    sqlx::query("LOCK TABLE organisations IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *transaction)
        .await?;
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM organisations")
        .fetch_one(&mut *transaction)
        .await?;
    if existing > 0 {
        transaction.rollback().await?;
        return match mode {
            Mode::SkipIfNotEmpty => Ok(Outcome::Skipped {
                organisations: existing,
            }),
            Mode::RefuseIfNotEmpty => bail!(
                "the catalogue already has {existing} organisations; the demo catalogue is \
                 loaded only into an empty one (nothing was written; --if-empty skips quietly)"
            ),
        };
    }
    let counts = write(&mut transaction, cal).await?;
    transaction
        .commit()
        .await
        .context("committing the demo catalogue")?;
    Ok(Outcome::Seeded(counts))
}

async fn write(conn: &mut PgConnection, cal: DemoCalendar) -> Result<Counts> {
    let mut rng = SeedRng::seed_from_u64(SEED);
    let organisations = organisations::insert(conn, cal, &mut rng).await?;
    let calls = calls::insert(conn, cal, &organisations).await?;
    let products = products::insert(conn, cal, &mut rng, &organisations, &calls).await?;
    let scenarios = scenarios::insert(conn, cal, &mut rng, &organisations, &calls).await?;
    let answers =
        answers::insert(conn, cal, &mut rng, &organisations, &products, &scenarios).await?;
    let first_purchases =
        purchases::insert(conn, cal, &mut rng, &organisations, &products, &scenarios).await?;
    let projects = projects::insert(conn, cal, &mut rng, &organisations).await?;
    record_publications(conn).await?;
    record_listings(conn).await?;
    record_submissions(conn).await?;
    Ok(Counts {
        organisations: organisations.len(),
        products: products.len(),
        scenarios: scenarios.len(),
        answers,
        first_purchases,
        projects,
    })
}

mod purchases;

/// Search-index work for everything public, and one audit entry per seeded record. The
/// catalogue was empty (and locked), so every row in these tables is the seed's.
/// Every published product is listed in its batch (`product_listings`, which keeps each
/// batch a product was ever listed in).
async fn record_listings(conn: &mut PgConnection) -> Result<()> {
    sqlx::query(
        "INSERT INTO product_listings (product_id, call_id, listed_at)
         SELECT id, call_id, published_at FROM products
         WHERE call_id IS NOT NULL AND published_at IS NOT NULL
         ON CONFLICT DO NOTHING",
    )
    .execute(&mut *conn)
    .await
    .context("recording the products' listings")?;
    Ok(())
}

/// The submission each record in review or in public notice is on its way through, as
/// the workflow would have left it: submitted when the record was created, into its call
/// (or the platform's queue), with the record's text as its snapshot (the record's
/// columns are a snapshot's shape) and, in notice, the notice's last day. Without them
/// the demo's notices page and reviewers' queues would be empty while records say they
/// are in notice or in review.
async fn record_submissions(conn: &mut PgConnection) -> Result<()> {
    for (kind, table) in [("product", "products"), ("scenario", "scenarios")] {
        sqlx::query(&format!(
            "INSERT INTO submissions (record_kind, record_id, organisation_id, call_id, purpose,
                                      snapshot, state, required_reviews, submitted_at,
                                      notice_until, updated_at)
             SELECT '{kind}', r.id, r.organisation_id, r.call_id, 'listing', to_jsonb(r),
                    r.status::text::submission_state, COALESCE(c.required_reviews, 1),
                    r.created_at, r.notice_until, r.created_at
             FROM {table} r LEFT JOIN calls c ON c.id = r.call_id
             WHERE r.status IN ('in_review', 'in_notice')"
        ))
        .execute(&mut *conn)
        .await
        .with_context(|| format!("recording the submissions of {table} under way"))?;
    }
    Ok(())
}

async fn record_publications(conn: &mut PgConnection) -> Result<()> {
    for (kind, table, public) in [
        (
            "organisation",
            "organisations o",
            "organisation_is_public(o.verified_at)",
        ),
        (
            "product",
            "products r JOIN organisations o ON o.id = r.organisation_id",
            "record_is_listed(r.status, o.verified_at)",
        ),
        (
            "scenario",
            "scenarios r JOIN organisations o ON o.id = r.organisation_id",
            "record_is_listed(r.status, o.verified_at)",
        ),
        (
            "project",
            "projects r JOIN organisations o ON o.id = r.organisation_id",
            "record_is_listed(r.status, o.verified_at)",
        ),
    ] {
        let id = if kind == "organisation" {
            "o.id"
        } else {
            "r.id"
        };
        sqlx::query(&format!(
            "INSERT INTO search_outbox (subject_kind, subject_id, operation)
             SELECT '{kind}', {id}, 'upsert' FROM {table} WHERE {public} ORDER BY {id}"
        ))
        .execute(&mut *conn)
        .await
        .with_context(|| format!("queueing {table} for the search index"))?;
    }
    for (kind, table) in [
        ("product", "products"),
        ("scenario", "scenarios"),
        ("project", "projects"),
    ] {
        sqlx::query(&format!(
            "INSERT INTO audit_log (subject_kind, subject_id, action, to_state, reason)
             SELECT '{kind}', id, 'seed', status::text, '演示数据' FROM {table} ORDER BY id"
        ))
        .execute(&mut *conn)
        .await
        .with_context(|| format!("auditing seeded {table}"))?;
    }
    Ok(())
}
