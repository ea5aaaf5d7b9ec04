//! The durable side of the embedded index: the `search_documents` table. Every change
//! takes a new `revision`, and a removal leaves a tombstone, so that each server's
//! copy of the index (`mirror`) can follow the table.

use super::super::document::{DocumentKind, SearchDocument};
use super::super::index::IndexError;
use super::super::segment::segmented;

/// A document's words, segmented: each field's own, and those of what it is also searched
/// by (`SearchDocument::title_terms`, `body_terms`: its normalised form, glossary terms,
/// procurement categories), kept apart so that its own words rank higher.
struct Words {
    title: String,
    title_terms: String,
    body: String,
    body_terms: String,
}
use sqlx::PgPool;

/// Writers take this lock until they commit, so revisions become visible in order and a
/// mirror that has seen revision `n` has seen everything below it.
const WRITE_LOCK: i64 = 0x5345_4152_4348; // "SEARCH"

pub async fn apply(
    pool: &PgPool,
    upserts: Vec<(DocumentKind, SearchDocument)>,
    deletes: Vec<(DocumentKind, i64)>,
) -> Result<(), IndexError> {
    // Segmenting is CPU work, done before the lock is taken, in the background.
    let (upserts, segmented) = crate::search::background::run(move || {
        let words: Vec<Words> = upserts
            .iter()
            .map(|(_, doc)| {
                let body = format!(
                    "{} {}",
                    doc.body,
                    doc.organisation_name.as_deref().unwrap_or_default()
                );
                Words {
                    title: segmented(&doc.title),
                    title_terms: segmented(&doc.title_terms()),
                    body: segmented(&body),
                    body_terms: segmented(&doc.body_terms()),
                }
            })
            .collect();
        (upserts, words)
    })
    .await?;
    let mut tx = pool.begin().await?;
    sqlx::query!("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)
        .execute(&mut *tx)
        .await?;
    for (kind, id) in deletes {
        sqlx::query!(
            "UPDATE search_documents
             SET deleted = true, title = '', body = '', title_words = '', body_words = '',
                 title_terms = '', body_terms = '', revision = nextval('search_documents_revision'), indexed_at = now()
             WHERE kind = ($1::text)::subject_kind AND id = $2 AND NOT deleted",
            kind.code(),
            id
        )
        .execute(&mut *tx)
        .await?;
    }
    for ((kind, doc), words) in upserts.into_iter().zip(segmented) {
        sqlx::query!(
            "INSERT INTO search_documents (kind, id, title, body, title_words, body_words,
                 organisation_id, organisation_name, agency_name, category, location, stage,
                 eligible, first_purchased, batch_code, certifications, amount_min_fen,
                 amount_max_fen, open_until, published_at, procurement, title_terms,
                 body_terms, deleted, indexed_at)
             VALUES (($1::text)::subject_kind, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                     $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, false, now())
             ON CONFLICT (kind, id) DO UPDATE SET
                 title = EXCLUDED.title, body = EXCLUDED.body,
                 title_words = EXCLUDED.title_words, body_words = EXCLUDED.body_words,
                 organisation_id = EXCLUDED.organisation_id,
                 organisation_name = EXCLUDED.organisation_name,
                 agency_name = EXCLUDED.agency_name,
                 category = EXCLUDED.category, location = EXCLUDED.location,
                 stage = EXCLUDED.stage, eligible = EXCLUDED.eligible,
                 first_purchased = EXCLUDED.first_purchased, batch_code = EXCLUDED.batch_code,
                 certifications = EXCLUDED.certifications,
                 amount_min_fen = EXCLUDED.amount_min_fen,
                 amount_max_fen = EXCLUDED.amount_max_fen, open_until = EXCLUDED.open_until,
                 published_at = EXCLUDED.published_at, procurement = EXCLUDED.procurement,
                 title_terms = EXCLUDED.title_terms, body_terms = EXCLUDED.body_terms,
                 deleted = false,
                 revision = nextval('search_documents_revision'), indexed_at = now()",
            kind.code(),
            doc.id,
            doc.title,
            doc.body,
            words.title,
            words.body,
            doc.organisation_id,
            doc.organisation_name,
            doc.agency_name,
            doc.category,
            doc.location,
            doc.stage,
            doc.eligible,
            doc.first_purchased,
            doc.batch_code,
            &doc.certifications,
            doc.amount_min_fen,
            doc.amount_max_fen,
            doc.open_until,
            doc.published_at,
            &doc.procurement_path(),
            words.title_terms,
            words.body_terms,
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(tx.commit().await?)
}

/// The highest revision written so far (0 for an empty table).
pub async fn latest_revision(pool: &PgPool) -> Result<i64, sqlx::Error> {
    Ok(latest(pool).await?.revision)
}

/// Where the table stands: its highest revision, and which table of which database it is.
pub struct Latest {
    pub revision: i64,
    /// The table's OID in the high 32 bits, its database's in the low: a restore of the
    /// database makes a new table (and may bring back older revisions), and a data folder
    /// used with another database sees another source.
    pub source: i64,
}

pub async fn latest(pool: &PgPool) -> Result<Latest, sqlx::Error> {
    sqlx::query_as!(
        Latest,
        r#"SELECT COALESCE(max(revision), 0) AS "revision!",
                  ('search_documents'::regclass::oid::bigint << 32)
                  | (SELECT oid::bigint FROM pg_database WHERE datname = current_database())
                  AS "source!"
           FROM search_documents"#
    )
    .fetch_one(pool)
    .await
}

/// The number of documents not removed (within the caller's transaction, so that it can
/// be compared with what was read in the same snapshot).
pub async fn live_documents(db: &mut sqlx::PgConnection) -> Result<u64, sqlx::Error> {
    let live = sqlx::query_scalar!(
        r#"SELECT count(*) FILTER (WHERE NOT deleted) AS "live!" FROM search_documents"#
    )
    .fetch_one(db)
    .await?;
    Ok(live as u64)
}

/// Removes every document not written since `revision` (a rebuild wrote all public ones).
pub async fn remove_not_rewritten_since(pool: &PgPool, revision: i64) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)
        .execute(&mut *tx)
        .await?;
    let removed = sqlx::query!(
        "UPDATE search_documents
         SET deleted = true, title = '', body = '', title_words = '', body_words = '',
             title_terms = '', body_terms = '', revision = nextval('search_documents_revision'), indexed_at = now()
         WHERE revision <= $1 AND NOT deleted",
        revision
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(removed)
}
