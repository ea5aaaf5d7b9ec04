//! The search indexer: drains the search outbox into the index in batches. Postgres stays
//! the source of truth: work is taken with `FOR UPDATE SKIP LOCKED` (several servers may
//! run it), the latest operation per record wins, and what a record's document is comes
//! from Postgres at indexing time, so replaying any row is harmless. A failed batch is
//! kept and retried with exponential backoff; writes to the catalogue never wait for it.

use anyhow::{Context, Result};
use app::search::{document, DocumentKind, SearchIndex};
use sqlx::PgPool;
use std::collections::BTreeMap;
use std::time::Duration;

/// Outbox rows taken per batch.
pub const BATCH_SIZE: i64 = 500;
/// The longest wait before retrying a failed batch.
const MAX_BACKOFF_SECONDS: i32 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Drained {
    /// Outbox rows handled.
    pub rows: usize,
    pub upserted: usize,
    pub deleted: usize,
}

/// Handles one batch of due outbox rows; `Ok(Drained { rows: 0, .. })` when none is due.
pub async fn drain_once<I: SearchIndex>(
    pool: &PgPool,
    index: &I,
    batch_size: i64,
) -> Result<Drained> {
    let mut tx = pool.begin().await?;
    let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT id, subject_kind::text, subject_id, operation::text FROM search_outbox
         WHERE processed_at IS NULL AND next_attempt_at <= now()
         ORDER BY id LIMIT $1
         FOR UPDATE SKIP LOCKED",
    )
    .bind(batch_size)
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        return Ok(Drained::default());
    }
    let ids: Vec<i64> = rows.iter().map(|(id, ..)| *id).collect();

    // Whether to upsert or delete, only the record's current state decides: an upsert of a
    // record that is no longer public becomes a delete.
    let mut wanted: BTreeMap<DocumentKind, Vec<i64>> = BTreeMap::new();
    let mut deletes = Vec::new();
    for (_, kind, subject_id, operation) in &rows {
        let Some(kind) = DocumentKind::from_code(kind) else {
            continue; // calls, users…: nothing searchable
        };
        match operation.as_str() {
            "upsert" => wanted.entry(kind).or_default().push(*subject_id),
            _ => deletes.push((kind, *subject_id)),
        }
    }
    let mut upserts = Vec::new();
    for (kind, mut subject_ids) in wanted {
        subject_ids.sort_unstable();
        subject_ids.dedup();
        let documents = document::load(pool, kind, &subject_ids).await?;
        for id in &subject_ids {
            if !documents.iter().any(|doc| doc.id == *id) {
                deletes.push((kind, *id));
            }
        }
        upserts.extend(documents.into_iter().map(|doc| (kind, doc)));
    }
    // A record deleted and then published again in the same batch is upserted.
    deletes.retain(|key| !upserts.iter().any(|(kind, doc)| (*kind, doc.id) == *key));
    deletes.sort_unstable();
    deletes.dedup();
    let drained = Drained {
        rows: rows.len(),
        upserted: upserts.len(),
        deleted: deletes.len(),
    };

    match index.apply(upserts, deletes).await {
        Ok(()) => {
            sqlx::query("UPDATE search_outbox SET processed_at = now() WHERE id = ANY($1)")
                .bind(&ids)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(drained)
        }
        Err(error) => {
            sqlx::query(
                "UPDATE search_outbox
                 SET attempts = attempts + 1, last_error = $2,
                     next_attempt_at = now() + make_interval(secs => least($3, power(2, attempts + 1)::int))
                 WHERE id = ANY($1)",
            )
            .bind(&ids)
            .bind(error.to_string())
            .bind(MAX_BACKOFF_SECONDS)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Err(anyhow::anyhow!(error))
                .context("the search index refused a batch; it will be retried")
        }
    }
}

/// Runs for the life of the server: drains while there is work, then polls once a second.
pub async fn run<I: SearchIndex>(pool: PgPool, index: I) {
    loop {
        match drain_once(&pool, &index, BATCH_SIZE).await {
            Ok(drained) if drained.rows > 0 => {
                tracing::debug!(?drained, "search index updated");
                continue;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(error = format!("{error:#}"), "search indexing failed"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// How far the index is behind: outbox rows not yet handled, and the age of the oldest.
pub async fn lag(pool: &PgPool) -> Result<(i64, f64), sqlx::Error> {
    sqlx::query_as(
        "SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at))::float8, 0)
         FROM search_outbox WHERE processed_at IS NULL",
    )
    .fetch_one(pool)
    .await
}
