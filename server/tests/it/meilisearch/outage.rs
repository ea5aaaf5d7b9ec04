//! Meilisearch down or unreachable: catalogue writes still succeed, the outbox keeps the
//! work and the index catches up once Meilisearch is back; searches answer 503, never a
//! panic.

use super::{mock, site, MeiliMock, MASTER_KEY, SEARCH_KEY, WRITE_KEY};
use crate::fixtures::*;
use crate::helpers::spawn_app_with;
use app::search::meili::{MeiliConfig, MeiliIndex};
use app::search::{SearchBackend, SearchIndex, SearchQuery};
use server::indexer::drain_once;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn while_meilisearch_is_down_writes_succeed_and_the_index_catches_up(pool: PgPool) {
    let mock = mock().await;
    let index = site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
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

    mock.set_failing(Some(503));
    publish_product(&pool, id).await;
    let published: String = sqlx::query_scalar("SELECT status::text FROM products WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        published, "published",
        "the write did not wait for the index"
    );
    assert!(
        drain_once(&pool, &index, &crate::helpers::test_clock(), 100)
            .await
            .is_err()
    );
    let attempts: i32 =
        sqlx::query_scalar("SELECT attempts FROM search_outbox WHERE processed_at IS NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(attempts, 1, "the work is kept for a retry");

    mock.set_failing(None);
    sqlx::query("UPDATE search_outbox SET next_attempt_at = now()")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        drain_once(&pool, &index, &crate::helpers::test_clock(), 100)
            .await
            .unwrap()
            .upserted,
        1
    );
    let documents = mock.documents("site1_records");
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0]["title"], "石墨烯导热膜");
}

#[sqlx::test(migrations = "../migrations")]
async fn searches_answer_503_when_meilisearch_fails_or_is_unreachable(pool: PgPool) {
    let mock: MeiliMock = mock().await;
    let index = site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
    let app = spawn_app_with(pool, Some(SearchBackend::Meilisearch(index))).await;
    let ok = app.get("/api/v1/search?q=robot").await;
    assert_eq!(ok.status(), 200);
    // The keys stay on the server: no page or answer ever carries them.
    let json = ok.text().await.unwrap();
    let page = app.get("/search?q=robot").await.text().await.unwrap();
    for key in [WRITE_KEY, SEARCH_KEY, MASTER_KEY] {
        assert!(!json.contains(key) && !page.contains(key), "{key} leaked");
    }

    mock.set_failing(Some(503));
    let api = app.get("/api/v1/search?q=robot").await;
    assert_eq!(api.status(), 503);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "search_unavailable", "{body}");
    let page = app.get("/search?q=robot").await;
    assert_eq!(page.status(), 503);
    assert!(page.text().await.unwrap().contains("<main"));

    mock.stop().await;
    let unreachable = app.get("/api/v1/search?q=robot").await;
    assert_eq!(unreachable.status(), 503);
}

#[tokio::test]
async fn a_wrong_key_is_refused_and_never_shown() {
    let mock = mock().await;
    let index = MeiliIndex::new(
        MeiliConfig {
            url: mock.url(),
            site_id: "site1".into(),
            write_key: "not-a-key".into(),
            search_key: "not-a-key-either".into(),
            partners: Vec::new(),
        },
        crate::helpers::test_clock(),
    )
    .unwrap();
    let error = index.prepare().await.unwrap_err().to_string();
    assert!(
        error.contains("invalid_api_key") || error.contains("API key"),
        "{error}"
    );
    let error = index
        .search(&SearchQuery::default())
        .await
        .unwrap_err()
        .to_string();
    assert!(!error.contains("not-a-key-either"), "{error}");
}
