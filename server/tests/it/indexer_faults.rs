//! The indexer under faults: the back-off stays capped however many attempts failed, a
//! document the backend refuses is set aside (a dead letter, on `/healthz` with the
//! reason) without holding back its batch, and processed outbox rows are pruned.

use crate::fixtures::*;
use crate::helpers::{spawn_app, test_clock};
use app::search::{
    DocumentKind, EmbeddedIndex, IndexError, SearchDocument, SearchIndex, SearchQuery,
    SearchResults,
};
use server::indexer::{self, drain_once, MAX_BACKOFF_SECONDS};
use sqlx::PgPool;
use std::collections::BTreeSet;
use std::time::Duration;

/// An index that refuses any request holding one of some products, as Meilisearch
/// refuses a document it cannot take (and with it the whole request).
struct PickyIndex {
    inner: EmbeddedIndex,
    refused: BTreeSet<i64>,
}

impl SearchIndex for PickyIndex {
    async fn apply(
        &self,
        upserts: Vec<(DocumentKind, SearchDocument)>,
        deletes: Vec<(DocumentKind, i64)>,
    ) -> Result<(), IndexError> {
        if let Some((_, doc)) = upserts
            .iter()
            .find(|(_, doc)| self.refused.contains(&doc.id))
        {
            return Err(IndexError::Refused(format!(
                "invalid_document_fields: document {} has a field too long",
                doc.id
            )));
        }
        self.inner.apply(upserts, deletes).await
    }

    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, IndexError> {
        self.inner.search(query).await
    }
}

async fn published_products(pool: &PgPool, count: usize) -> Vec<i64> {
    let firm = organisation(
        pool,
        "常州储源新能源科技有限公司",
        "enterprise",
        "320412",
        true,
    )
    .await;
    let mut ids = Vec::new();
    for n in 0..count {
        let id = product(
            pool,
            firm,
            None,
            &format!("储能变流器 {n}"),
            "new_energy",
            "in_review",
        )
        .await;
        publish_product(pool, id).await;
        ids.push(id);
    }
    ids
}

#[sqlx::test(migrations = "../migrations")]
async fn the_back_off_is_capped_however_many_attempts_failed(pool: PgPool) {
    published_products(&pool, 1).await;
    // Forty failures so far: 2^41 seconds no longer fits, which used to make the retry
    // bookkeeping itself fail, so the row was retried every second forever.
    sqlx::query("UPDATE search_outbox SET attempts = 40")
        .execute(&pool)
        .await
        .unwrap();
    let error = drain_once(&pool, &DownIndex, &test_clock(), 100)
        .await
        .unwrap_err();
    assert!(format!("{error:#}").contains("unreachable"), "{error:#}");
    let (attempts, wait): (i32, f64) = sqlx::query_as(
        "SELECT attempts, EXTRACT(EPOCH FROM next_attempt_at - now())::float8 FROM search_outbox",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(attempts, 41);
    let cap = f64::from(MAX_BACKOFF_SECONDS);
    assert!(wait > cap - 10.0 && wait <= cap, "waits {wait} s");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_document_is_set_aside_and_the_rest_of_its_batch_goes_through(pool: PgPool) {
    let ids = published_products(&pool, 12).await;
    let clock = test_clock();
    let refused: BTreeSet<i64> = [ids[3], ids[8]].into();
    let picky = PickyIndex {
        inner: EmbeddedIndex::new(pool.clone(), clock.clone()),
        refused: refused.clone(),
    };
    let drained = drain_once(&pool, &picky, &clock, 100).await.unwrap();
    assert_eq!(
        (drained.rows, drained.upserted, drained.refused),
        (12, 10, 2),
        "{drained:?}"
    );
    // Nothing waits: the refused rows are dead letters, the rest is indexed.
    assert_eq!(
        drain_once(&pool, &picky, &clock, 100).await.unwrap().rows,
        0
    );
    let index = EmbeddedIndex::new(pool.clone(), clock.clone());
    let results = index
        .search(&SearchQuery {
            kind: Some(DocumentKind::Product),
            ..SearchQuery::default()
        })
        .await
        .unwrap();
    let indexed: BTreeSet<i64> = results.hits.iter().map(|hit| hit.id).collect();
    let expected: BTreeSet<i64> = ids
        .iter()
        .copied()
        .filter(|id| !refused.contains(id))
        .collect();
    assert_eq!(indexed, expected);

    let app = spawn_app(pool.clone()).await;
    let health: serde_json::Value = app.get("/healthz").await.json().await.unwrap();
    let search = &health["search"];
    assert_eq!(search["lag"]["pending"], 0, "{health}");
    assert_eq!(search["lag"]["dead_letters"], 2, "{health}");
    let letters = search["dead_letters"].as_array().unwrap();
    let listed: BTreeSet<i64> = letters.iter().map(|l| l["id"].as_i64().unwrap()).collect();
    assert_eq!(listed, refused);
    assert!(letters[0]["reason"]
        .as_str()
        .unwrap()
        .contains("invalid_document_fields"));

    // Once the cause is fixed, the dead letters go through.
    assert_eq!(indexer::retry_dead_letters(&pool).await.unwrap(), 2);
    let retried = drain_all(&pool).await;
    assert_eq!(retried.upserted, 2, "{retried:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn an_outage_is_never_mistaken_for_refused_documents(pool: PgPool) {
    published_products(&pool, 5).await;
    assert!(drain_once(&pool, &DownIndex, &test_clock(), 100)
        .await
        .is_err());
    let (pending, dead): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE dead_at IS NULL), count(*) FILTER (WHERE dead_at IS NOT NULL)
         FROM search_outbox WHERE processed_at IS NULL",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((pending, dead), (5, 0), "kept for a retry, none set aside");
}

#[sqlx::test(migrations = "../migrations")]
async fn processed_rows_are_pruned_after_a_week_and_pending_ones_never(pool: PgPool) {
    let ids = published_products(&pool, 3).await;
    drain_all(&pool).await;
    // One row processed long ago, one just now, and one still waiting.
    sqlx::query(
        "UPDATE search_outbox SET processed_at = now() - interval '8 days' WHERE subject_id = $1",
    )
    .bind(ids[0])
    .execute(&pool)
    .await
    .unwrap();
    queue_product_for_index(&pool, ids[2]).await;
    let pruned = indexer::prune_processed(&pool, Duration::from_secs(7 * 24 * 3600))
        .await
        .unwrap();
    assert_eq!(pruned, 1);
    let left: Vec<(i64, bool)> =
        sqlx::query_as("SELECT subject_id, processed_at IS NULL FROM search_outbox ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(left, vec![(ids[1], false), (ids[2], false), (ids[2], true)]);
}
