//! The search indexer: drains the search outbox into the index in batches. Postgres stays
//! the source of truth:
//! - work is taken with `FOR UPDATE SKIP LOCKED`, so several servers may run it;
//! - each record is written under its lock, from its current state (`app::search::writer`),
//!   so two indexers (or an indexer and a rebuild) never write an older state after a
//!   newer one, and replaying any row is harmless;
//! - a batch the backend cannot take now is kept and retried with exponential back-off
//!   (capped at five minutes); a batch it *refuses* is split until the refused records are
//!   found, which are set aside as dead letters (with the reason, on `/healthz` and in the
//!   log) while the rest goes through;
//! - writes to the catalogue never wait for any of this.

use anyhow::{Context, Result};
use app::clock::Clock;
use app::search::backend::log_refusals;
use app::search::writer::{self, Record};
use app::search::{DocumentKind, SearchIndex};
use sqlx::PgPool;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Outbox rows taken per batch.
pub const BATCH_SIZE: i64 = 500;
/// The longest wait before retrying a batch the backend could not take, in seconds: the
/// wait doubles from 2 s with each failed attempt up to this, however many attempts
/// failed (the exponent is capped, so it cannot overflow).
pub const MAX_BACKOFF_SECONDS: i32 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Drained {
    /// Outbox rows handled (written, or set aside as dead letters).
    pub rows: usize,
    pub upserted: usize,
    pub deleted: usize,
    /// Records the backend refused, now dead letters.
    pub refused: usize,
    /// Rows left for a later round because another writer held their record.
    pub deferred: usize,
}

struct Row {
    id: i64,
    kind: String,
    subject_id: i64,
}

/// Handles one batch of due outbox rows; `Ok(Drained { rows: 0, .. })` when none is due
/// (or every due record is held by another writer right now).
///
/// # Errors
/// When the backend could not take the batch (it is kept for a retry) or the database
/// failed.
pub async fn drain_once<I: SearchIndex>(
    pool: &PgPool,
    index: &I,
    clock: &Clock,
    batch_size: i64,
) -> Result<Drained> {
    let mut tx = pool.begin().await?;
    let rows: Vec<Row> = sqlx::query_as!(
        Row,
        r#"SELECT id, subject_kind::text AS "kind!", subject_id FROM search_outbox
           WHERE processed_at IS NULL AND dead_at IS NULL AND next_attempt_at <= now()
           ORDER BY id LIMIT $1
           FOR UPDATE SKIP LOCKED"#,
        batch_size
    )
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        tx.rollback().await?;
        return Ok(Drained::default());
    }
    let record_of = |row: &Row| Some((DocumentKind::from_code(&row.kind)?, row.subject_id));
    let wanted: BTreeSet<Record> = rows.iter().filter_map(record_of).collect();
    let locked = writer::try_lock(&mut tx, &wanted).await?;
    // Rows of kinds that are not searchable (calls, users…) need nothing; rows whose
    // record another writer holds wait for a later round.
    let (mine, deferred): (Vec<&Row>, Vec<&Row>) = rows
        .iter()
        .partition(|row| record_of(row).is_none_or(|record| locked.contains(&record)));
    let mine_ids: Vec<i64> = mine.iter().map(|row| row.id).collect();

    let work = writer::current_work(&mut tx, &locked, clock.today()).await?;
    let (upserted, deleted) = (work.upserts.len(), work.deletes.len());
    match writer::apply_isolating(index, work).await {
        Ok(refused) => {
            let refused_records: BTreeSet<Record> = refused.iter().map(|r| r.record).collect();
            let refused_rows: Vec<i64> = mine
                .iter()
                .filter(|row| record_of(row).is_some_and(|r| refused_records.contains(&r)))
                .map(|row| row.id)
                .collect();
            for refusal in &refused {
                let (kind, id) = refusal.record;
                sqlx::query!(
                    "UPDATE search_outbox SET dead_at = now(), last_error = $3,
                                              attempts = attempts + 1
                     WHERE id = ANY($1) AND subject_kind = ($2::text)::subject_kind
                       AND subject_id = $4",
                    &refused_rows,
                    kind.code(),
                    refusal.reason,
                    id
                )
                .execute(&mut *tx)
                .await?;
            }
            log_refusals(&refused);
            sqlx::query!(
                "UPDATE search_outbox SET processed_at = now()
                 WHERE id = ANY($1) AND dead_at IS NULL",
                &mine_ids
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Drained {
                rows: mine.len(),
                upserted: upserted.saturating_sub(refused.len()),
                deleted,
                refused: refused.len(),
                deferred: deferred.len(),
            })
        }
        Err(error) => {
            sqlx::query!(
                "UPDATE search_outbox
                 SET attempts = attempts + 1, last_error = $2,
                     next_attempt_at = now() + make_interval(
                         secs => LEAST($3::int, power(2, LEAST(attempts + 1, 16))::int))
                 WHERE id = ANY($1)",
                &mine_ids,
                error.to_string(),
                MAX_BACKOFF_SECONDS
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Err(anyhow::Error::new(error))
                .context("the search index could not take a batch; it will be retried")
        }
    }
}

/// Runs for the life of the server with [`SearchIndex::batches_in_flight`] lanes, each
/// draining one batch of at most `batch_size` rows at a time ([`BATCH_SIZE`] in the
/// server). Waiting for each batch before sending the next left Meilisearch indexing one
/// 500-document task at a time (about 400 documents/s); with several lanes it receives
/// several batches together and indexes them in one go.
///
/// Order still holds across lanes: each lane takes rows no other lane holds (`SKIP
/// LOCKED`) and writes a record under its lock until its batch is done, so a record taken
/// by one lane waits in the outbox until that lane is finished, and is then written from
/// its newest state. When the outbox is empty, the first lane polls once a second and the
/// others wait until it takes a full batch.
///
/// A lane that panics (a bug) takes the others down with it, so that the server's
/// supervisor starts them all again.
pub async fn run<I: SearchIndex + Clone>(pool: PgPool, index: I, clock: Clock, batch_size: i64) {
    let lanes = index.batches_in_flight().max(1);
    let busy = Arc::new(Notify::new());
    let mut running = tokio::task::JoinSet::new();
    for lane in 0..lanes {
        running.spawn(drain_lane(
            pool.clone(),
            index.clone(),
            clock.clone(),
            batch_size,
            (lane == 0).then_some(Duration::from_secs(1)),
            busy.clone(),
        ));
    }
    while let Some(ended) = running.join_next().await {
        if let Err(error) = ended {
            if error.is_panic() {
                std::panic::resume_unwind(error.into_panic());
            }
        }
    }
}

/// One lane of [`run`]: drains while there is work; then, when `poll_every` is set, polls
/// at that pace, else waits for `busy` (another lane took a full batch).
async fn drain_lane<I: SearchIndex>(
    pool: PgPool,
    index: I,
    clock: Clock,
    batch_size: i64,
    poll_every: Option<Duration>,
    busy: Arc<Notify>,
) {
    loop {
        match drain_once(&pool, &index, &clock, batch_size).await {
            Ok(drained) if drained.rows > 0 => {
                tracing::debug!(?drained, "search index updated");
                if drained.rows + drained.deferred >= usize::try_from(batch_size).unwrap_or(0) {
                    busy.notify_waiters();
                }
                continue;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(error = format!("{error:#}"), "search indexing failed"),
        }
        match poll_every {
            Some(pause) => tokio::time::sleep(pause).await,
            None => busy.notified().await,
        }
    }
}

/// How far the index is behind, for `/healthz`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Lag {
    /// Outbox rows not yet handled (dead letters excluded).
    pub pending: i64,
    /// Age of the oldest of them, in seconds (0 when none).
    pub oldest_pending_seconds: f64,
    /// Rows set aside because the backend refused their record.
    pub dead_letters: i64,
}

/// # Errors
/// When the database does not answer.
pub async fn lag(pool: &PgPool) -> Result<Lag, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE dead_at IS NULL) AS "pending!",
                  COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE dead_at IS NULL))::float8, 0)
                      AS "oldest!",
                  count(*) FILTER (WHERE dead_at IS NOT NULL) AS "dead!"
           FROM search_outbox WHERE processed_at IS NULL"#
    )
    .fetch_one(pool)
    .await?;
    Ok(Lag {
        pending: row.pending,
        oldest_pending_seconds: (row.oldest * 10.0).round() / 10.0,
        dead_letters: row.dead,
    })
}

/// A dead letter: a record the backend refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeadLetter {
    pub kind: String,
    pub id: i64,
    pub reason: String,
}

/// The dead letters, one per record (at most `limit`).
pub async fn dead_letters(pool: &PgPool, limit: i64) -> Result<Vec<DeadLetter>, sqlx::Error> {
    sqlx::query_as!(
        DeadLetter,
        r#"SELECT DISTINCT ON (subject_kind, subject_id)
                  subject_kind::text AS "kind!", subject_id AS id,
                  COALESCE(last_error, '') AS "reason!"
           FROM search_outbox WHERE dead_at IS NOT NULL AND processed_at IS NULL
           ORDER BY subject_kind, subject_id, id DESC
           LIMIT $1"#,
        limit
    )
    .fetch_all(pool)
    .await
}

/// Puts every dead letter back in line (after the cause was fixed); returns how many.
pub async fn retry_dead_letters(pool: &PgPool) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE search_outbox
         SET dead_at = NULL, attempts = 0, next_attempt_at = now()
         WHERE dead_at IS NOT NULL AND processed_at IS NULL"
    )
    .execute(pool)
    .await?
    .rows_affected())
}

/// Deletes outbox rows processed more than `older_than` ago (the lag figures only count
/// pending rows; rebuilds replay rows younger than that). Returns how many.
pub async fn prune_processed(pool: &PgPool, older_than: Duration) -> Result<u64, sqlx::Error> {
    let seconds = older_than.as_secs_f64();
    Ok(sqlx::query!(
        "DELETE FROM search_outbox
         WHERE processed_at IS NOT NULL
           AND processed_at < now() - make_interval(secs => $1)",
        seconds
    )
    .execute(pool)
    .await?
    .rows_affected())
}
