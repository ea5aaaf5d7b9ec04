//! The embedded index: the `search_documents` table in the same PostgreSQL, with words
//! segmented in Rust and a GIN index over them. Needs no extra server.

use super::document::{DocumentKind, SearchDocument};
use super::index::{IndexError, SearchIndex};
use super::segment::segmented;
use sqlx::PgPool;

#[derive(Clone)]
pub struct EmbeddedIndex {
    pool: PgPool,
}

impl EmbeddedIndex {
    pub fn new(pool: PgPool) -> Self {
        EmbeddedIndex { pool }
    }
}

impl SearchIndex for EmbeddedIndex {
    async fn apply(
        &self,
        upserts: Vec<(DocumentKind, SearchDocument)>,
        deletes: Vec<(DocumentKind, i64)>,
    ) -> Result<(), IndexError> {
        let mut tx = self.pool.begin().await?;
        for (kind, id) in deletes {
            sqlx::query("DELETE FROM search_documents WHERE kind = $1::subject_kind AND id = $2")
                .bind(kind.code())
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        for (kind, doc) in upserts {
            // Segmenting is CPU work; a batch is small enough to do it inline.
            let title_words = segmented(&doc.title);
            let body_words = segmented(&format!(
                "{} {}",
                doc.body,
                doc.organisation_name.as_deref().unwrap_or_default()
            ));
            sqlx::query(
                "INSERT INTO search_documents (kind, id, title, body, tokens, organisation_id,
                     organisation_name, category, location, stage, eligible, first_purchased,
                     batch_code, certifications, amount_min_fen, amount_max_fen, open_until,
                     published_at, indexed_at)
                 VALUES ($1::subject_kind, $2, $3, $4,
                         setweight(to_tsvector('simple', $5), 'A')
                             || setweight(to_tsvector('simple', $6), 'B'),
                         $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, now())
                 ON CONFLICT (kind, id) DO UPDATE SET
                     title = EXCLUDED.title, body = EXCLUDED.body, tokens = EXCLUDED.tokens,
                     organisation_id = EXCLUDED.organisation_id,
                     organisation_name = EXCLUDED.organisation_name,
                     category = EXCLUDED.category, location = EXCLUDED.location,
                     stage = EXCLUDED.stage, eligible = EXCLUDED.eligible,
                     first_purchased = EXCLUDED.first_purchased, batch_code = EXCLUDED.batch_code,
                     certifications = EXCLUDED.certifications,
                     amount_min_fen = EXCLUDED.amount_min_fen,
                     amount_max_fen = EXCLUDED.amount_max_fen, open_until = EXCLUDED.open_until,
                     published_at = EXCLUDED.published_at, indexed_at = now()",
            )
            .bind(kind.code())
            .bind(doc.id)
            .bind(&doc.title)
            .bind(&doc.body)
            .bind(title_words)
            .bind(body_words)
            .bind(doc.organisation_id)
            .bind(&doc.organisation_name)
            .bind(&doc.category)
            .bind(&doc.location)
            .bind(&doc.stage)
            .bind(doc.eligible)
            .bind(doc.first_purchased)
            .bind(&doc.batch_code)
            .bind(&doc.certifications)
            .bind(doc.amount_min_fen)
            .bind(doc.amount_max_fen)
            .bind(doc.open_until)
            .bind(doc.published_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
