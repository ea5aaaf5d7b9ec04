//! The indexer drains the search outbox into the embedded index: in batches, idempotently,
//! only published records, with retries and backoff when the index refuses a batch.

use crate::fixtures::*;
use crate::helpers::spawn_app;
use app::domain::ProductId;
use app::publication::{self, Subject};
use app::search::{DocumentKind, EmbeddedIndex, SearchIndex, SearchQuery};
use server::indexer::{drain_once, Drained};
use sqlx::PgPool;

/// Ids of the documents of `kind` that the embedded index finds for `text`.
async fn matching(pool: &PgPool, kind: &str, text: &str) -> Vec<i64> {
    let query = SearchQuery {
        q: text.to_owned(),
        kind: DocumentKind::from_code(kind),
        ..SearchQuery::default()
    };
    let results = EmbeddedIndex::new(pool.clone(), crate::helpers::test_clock())
        .search(&query)
        .await
        .unwrap();
    let mut ids: Vec<i64> = results.hits.iter().map(|hit| hit.id).collect();
    ids.sort_unstable();
    ids
}

#[sqlx::test(migrations = "../migrations")]
async fn publishing_and_withdrawing_reach_the_index_with_chinese_words(pool: PgPool) {
    let firm = organisation(
        &pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let id = product(
        &pool,
        firm,
        None,
        "工业机器人视觉检测系统",
        "intelligent_manufacturing",
        "in_review",
    )
    .await;
    publish_product(&pool, id).await;

    assert_eq!(
        drain_all(&pool).await,
        Drained {
            rows: 1,
            upserted: 1,
            deleted: 0,
            ..Drained::default()
        }
    );
    for word in ["机器人", "视觉", "检测", "工业"] {
        assert_eq!(matching(&pool, "product", word).await, vec![id], "{word}");
    }

    let mut tx = pool.begin().await.unwrap();
    publication::withdraw(
        &mut tx,
        Subject::Product(ProductId(id)),
        None,
        "停产",
        crate::helpers::test_clock().now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        drain_all(&pool).await,
        Drained {
            rows: 1,
            upserted: 0,
            deleted: 1,
            ..Drained::default()
        }
    );
    assert_eq!(
        matching(&pool, "product", "机器人").await,
        Vec::<i64>::new()
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_record_that_is_not_published_never_reaches_the_index(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let draft = product(&pool, firm, None, "草稿机器人", "new_materials", "draft").await;
    // Even when something queues it by mistake.
    queue_product_for_index(&pool, draft).await;
    assert_eq!(
        drain_all(&pool).await,
        Drained {
            rows: 1,
            upserted: 0,
            deleted: 1,
            ..Drained::default()
        }
    );
    let documents: i64 =
        sqlx::query_scalar("SELECT count(*) FROM search_documents WHERE NOT deleted")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(documents, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn replaying_the_outbox_leaves_the_same_index(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let id = product(
        &pool,
        firm,
        None,
        "石墨烯导热膜",
        "new_materials",
        "published",
    )
    .await;
    let queue = || queue_product_for_index(&pool, id);
    queue().await;
    queue().await;
    drain_all(&pool).await;
    let first: (String, String) =
        sqlx::query_as("SELECT title, title_words || body_words FROM search_documents")
            .fetch_one(&pool)
            .await
            .unwrap();
    queue().await;
    drain_all(&pool).await;
    let again: Vec<(String, String)> =
        sqlx::query_as("SELECT title, title_words || body_words FROM search_documents")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(again, vec![first]);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_batch_is_kept_and_retried_after_a_backoff(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let id = product(
        &pool,
        firm,
        None,
        "石墨烯导热膜",
        "new_materials",
        "in_review",
    )
    .await;
    publish_product(&pool, id).await;
    // The write to the catalogue succeeded although the index is down.
    assert!(
        drain_once(&pool, &DownIndex, &crate::helpers::test_clock(), 100)
            .await
            .is_err()
    );
    let (attempts, error, delayed): (i32, String, bool) =
        sqlx::query_as("SELECT attempts, last_error, next_attempt_at > now() FROM search_outbox")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (attempts, error.as_str(), delayed),
        (
            1,
            "the search backend is unavailable: the index is unreachable",
            true
        )
    );
    // Not due yet: nothing is taken.
    let index = EmbeddedIndex::new(pool.clone(), crate::helpers::test_clock());
    assert_eq!(
        drain_once(&pool, &index, &crate::helpers::test_clock(), 100)
            .await
            .unwrap()
            .rows,
        0
    );
    // Once due, it goes through and the index catches up.
    sqlx::query("UPDATE search_outbox SET next_attempt_at = now()")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(drain_all(&pool).await.upserted, 1);
    assert_eq!(matching(&pool, "product", "石墨烯").await, vec![id]);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_seeded_catalogue_is_indexed_in_batches_and_health_shows_the_lag(pool: PgPool) {
    server::commands::seed::run(
        &pool,
        server::commands::seed::Mode::RefuseIfNotEmpty,
        crate::helpers::demo_calendar(),
    )
    .await
    .unwrap();
    let app = spawn_app(pool.clone()).await;
    let health: serde_json::Value = app.get("/healthz").await.json().await.unwrap();
    let pending = health["search"]["lag"]["pending"].as_i64().unwrap();
    assert!(pending > 500, "{health}");

    let index = EmbeddedIndex::new(pool.clone(), crate::helpers::test_clock());
    let first = drain_once(&pool, &index, &crate::helpers::test_clock(), 200)
        .await
        .unwrap();
    assert_eq!(first.rows, 200, "one batch at a time");
    drain_all(&pool).await;
    let published: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM products WHERE status = 'published')
              + (SELECT count(*) FROM scenarios WHERE status = 'published')
              + (SELECT count(*) FROM projects WHERE status = 'published')
              + (SELECT count(*) FROM organisations WHERE verified_at IS NOT NULL)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let indexed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM search_documents WHERE NOT deleted")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(indexed, published);
    let health: serde_json::Value = app.get("/healthz").await.json().await.unwrap();
    assert_eq!(health["search"]["lag"]["pending"], 0);
}
