//! How every writer of a search index (the outbox indexer, a rebuild, the daily tie-break
//! refresh) writes records, so that search never shows what is not public:
//!
//! 1. it takes each record's advisory lock (`search_record_lock` in SQL) in its own
//!    transaction, skipping records another writer holds right now;
//! 2. only then reads the record's current state from Postgres: a document when it is
//!    listed, a removal otherwise;
//! 3. writes that to the backend and waits for the write to finish (a Meilisearch
//!    rebuild waits only until the write is queued: Meilisearch applies one index's
//!    writes in the order they were queued, `meili/rebuild.rs`);
//! 4. commits, which releases the locks.
//!
//! So no two writers carry the same record at once, and the one that writes last read the
//! newest state: an indexer that read a record just before it was withdrawn cannot write
//! it back after another indexer removed it, because the other could not start on that
//! record until the first had finished (or queued its write behind it).

use super::document::{self, DocumentKind, SearchDocument};
use super::index::{IndexError, SearchIndex};
use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool};
use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A record of a searchable kind.
pub type Record = (DocumentKind, i64);

/// What to send to a backend for some records.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Work {
    pub upserts: Vec<(DocumentKind, SearchDocument)>,
    pub deletes: Vec<Record>,
}

impl Work {
    pub fn len(&self) -> usize {
        self.upserts.len() + self.deletes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn records(&self) -> Vec<Record> {
        let mut records: Vec<Record> = self
            .upserts
            .iter()
            .map(|(kind, doc)| (*kind, doc.id))
            .chain(self.deletes.iter().copied())
            .collect();
        records.sort_unstable();
        records
    }

    /// Splits into two halves of about equal size (a record's work stays whole).
    fn halves(self) -> (Work, Work) {
        let mut first = Work::default();
        let mut second = Work::default();
        let upserts_in_first = self.upserts.len() / 2 + self.upserts.len() % 2;
        let deletes_in_first = (self.len() / 2).saturating_sub(upserts_in_first);
        for (i, upsert) in self.upserts.into_iter().enumerate() {
            if i < upserts_in_first {
                first.upserts.push(upsert);
            } else {
                second.upserts.push(upsert);
            }
        }
        for (i, delete) in self.deletes.into_iter().enumerate() {
            if i < deletes_in_first {
                first.deletes.push(delete);
            } else {
                second.deletes.push(delete);
            }
        }
        (first, second)
    }
}

/// A record the backend refused on its own, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub record: Record,
    pub reason: String,
}

/// Takes the locks of those `records` that no other writer holds, for the rest of the
/// transaction `tx`, and returns them. Never waits.
pub async fn try_lock(
    tx: &mut PgConnection,
    records: &BTreeSet<Record>,
) -> Result<BTreeSet<Record>, sqlx::Error> {
    if records.is_empty() {
        return Ok(BTreeSet::new());
    }
    let kinds: Vec<String> = records.iter().map(|(k, _)| k.code().to_owned()).collect();
    let ids: Vec<i64> = records.iter().map(|(_, id)| *id).collect();
    let locked = sqlx::query!(
        r#"SELECT r.kind::text AS "kind!", r.id AS "id!"
           FROM unnest($1::text[]::subject_kind[], $2::bigint[]) AS r(kind, id)
           WHERE pg_try_advisory_xact_lock(search_record_lock(r.kind, r.id))"#,
        &kinds,
        &ids
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(locked
        .into_iter()
        .filter_map(|row| Some((DocumentKind::from_code(&row.kind)?, row.id)))
        .collect())
}

/// The current state of `records`, read on `conn`, the transaction that holds their locks
/// (so a writer needs one connection, never a second while it holds the first): documents
/// of those that are listed on `today`, removals of the rest.
pub async fn current_work(
    conn: &mut PgConnection,
    records: &BTreeSet<Record>,
    today: NaiveDate,
) -> Result<Work, sqlx::Error> {
    let mut work = Work::default();
    for kind in DocumentKind::ALL {
        let ids: Vec<i64> = records
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, id)| *id)
            .collect();
        if ids.is_empty() {
            continue;
        }
        let documents = document::load(&mut *conn, *kind, &ids, today).await?;
        for id in ids {
            if !documents.iter().any(|doc| doc.id == id) {
                work.deletes.push((*kind, id));
            }
        }
        work.upserts
            .extend(documents.into_iter().map(|doc| (*kind, doc)));
    }
    Ok(work)
}

/// Sends `work` to `index`. When the backend refuses it, splits it in halves until the
/// records it refuses on their own are found; those are returned and the rest is written.
///
/// # Errors
/// [`IndexError::Unavailable`] as soon as any part could not be written for a reason
/// that is not the documents' fault: then nothing is set aside and everything is retried.
pub fn apply_isolating<'a, I: SearchIndex>(
    index: &'a I,
    work: Work,
) -> Pin<Box<dyn Future<Output = Result<Vec<Refusal>, IndexError>> + Send + 'a>> {
    Box::pin(async move {
        if work.is_empty() {
            return Ok(Vec::new());
        }
        let records = work.records();
        let outcome = index
            .apply(work.upserts.clone(), work.deletes.clone())
            .await;
        match outcome {
            Ok(()) => Ok(Vec::new()),
            Err(IndexError::Refused(reason)) if records.len() == 1 => Ok(vec![Refusal {
                record: records[0],
                reason,
            }]),
            Err(IndexError::Refused(_)) => {
                let (first, second) = work.halves();
                let mut refused = apply_isolating(index, first).await?;
                refused.extend(apply_isolating(index, second).await?);
                Ok(refused)
            }
            Err(unavailable) => Err(unavailable),
        }
    })
}

/// Rewrites `records` in `index` from their current state, each under its lock, waiting
/// for records that another writer holds. Rebuilds, replays and the daily refresh use it.
/// Returns the refused records.
///
/// # Errors
/// [`IndexError::Unavailable`] when the backend or the database fails.
pub async fn rewrite<I: SearchIndex>(
    pool: &PgPool,
    index: &I,
    records: BTreeSet<Record>,
    today: NaiveDate,
) -> Result<Vec<Refusal>, IndexError> {
    let mut remaining = records;
    let mut refused = Vec::new();
    let mut wait = Duration::from_millis(10);
    while !remaining.is_empty() {
        let mut tx = pool.begin().await?;
        let locked = try_lock(&mut tx, &remaining).await?;
        if !locked.is_empty() {
            let work = current_work(&mut tx, &locked, today).await?;
            refused.extend(apply_isolating(index, work).await?);
            tx.commit().await?;
            remaining.retain(|record| !locked.contains(record));
            wait = Duration::from_millis(10);
        } else {
            tx.rollback().await?;
            // Another writer holds every remaining record; it finishes within one write.
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_secs(1));
        }
    }
    Ok(refused)
}

/// Rewrites every listed record of every kind, a page of `batch` at a time, each page under
/// its records' locks. Returns the number of documents written and the refused records.
///
/// # Errors
/// [`IndexError::Unavailable`] when the backend or the database fails.
pub async fn rewrite_all<I: SearchIndex>(
    pool: &PgPool,
    index: &I,
    batch: i64,
    today: NaiveDate,
) -> Result<(usize, Vec<Refusal>), IndexError> {
    let mut written = 0;
    let mut refused = Vec::new();
    for kind in DocumentKind::ALL {
        let mut after = 0;
        loop {
            let ids = document::public_ids(pool, *kind, after, batch).await?;
            let Some(last) = ids.last() else { break };
            after = *last;
            written += ids.len();
            let records = ids.into_iter().map(|id| (*kind, id)).collect();
            refused.extend(rewrite(pool, index, records, today).await?);
        }
    }
    Ok((written.saturating_sub(refused.len()), refused))
}

/// Where the outbox stood when a rebuild started: its newest row, and the database's time.
#[derive(Debug, Clone, Copy)]
pub struct OutboxMark {
    last_id: i64,
    at: chrono::DateTime<chrono::Utc>,
}

/// The outbox now: a rebuild replays what came after it.
pub async fn outbox_mark(pool: &PgPool) -> Result<OutboxMark, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT COALESCE(max(id), 0) AS "last_id!", now() AS "at!" FROM search_outbox"#
    )
    .fetch_one(pool)
    .await?;
    Ok(OutboxMark {
        last_id: row.last_id,
        at: row.at,
    })
}

/// The records the outbox mentions since `mark` (not set aside): what changed while a
/// rebuild ran, to replay into the rebuilt index. That is every row after the newest one
/// then, and also every row an indexer handled since, or has not handled yet: a row's id
/// is taken when its transaction writes it, not when it commits, so a change that
/// committed during the rebuild can carry an id from before the mark.
pub async fn records_queued_since(
    pool: &PgPool,
    mark: OutboxMark,
) -> Result<BTreeSet<Record>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT DISTINCT subject_kind::text AS "kind!", subject_id
           FROM search_outbox
           WHERE dead_at IS NULL
             AND (id > $1 OR processed_at IS NULL OR processed_at >= $2)"#,
        mark.last_id,
        mark.at
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| Some((DocumentKind::from_code(&row.kind)?, row.subject_id)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64) -> (DocumentKind, SearchDocument) {
        (
            DocumentKind::Product,
            SearchDocument {
                id,
                title: String::new(),
                body: String::new(),
                organisation_id: None,
                organisation_name: None,
                agency_name: None,
                category: None,
                location: None,
                stage: None,
                eligible: false,
                first_purchased: false,
                batch_code: None,
                certifications: Vec::new(),
                procurement_code: None,
                amount_min_fen: None,
                amount_max_fen: None,
                open_until: None,
                published_at: None,
            },
        )
    }

    #[test]
    fn halves_keep_every_record_once() {
        let work = Work {
            upserts: (1..=5).map(doc).collect(),
            deletes: (6..=8).map(|id| (DocumentKind::Scenario, id)).collect(),
        };
        let all = work.records();
        let (a, b) = work.halves();
        assert!(!a.is_empty() && !b.is_empty());
        let mut both = a.records();
        both.extend(b.records());
        both.sort_unstable();
        assert_eq!(both, all);
        let (c, d) = Work {
            upserts: vec![],
            deletes: vec![(DocumentKind::Project, 1), (DocumentKind::Project, 2)],
        }
        .halves();
        assert_eq!((c.len(), d.len()), (1, 1));
    }
}
