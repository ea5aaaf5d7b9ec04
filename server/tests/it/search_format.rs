//! Search documents carry a format version: a server that finds an index of another format
//! (after an upgrade changed what a document holds) rebuilds it by itself, once.

use crate::fixtures::*;
use crate::helpers::test_clock;
use app::search::document::DOCUMENT_FORMAT;
use app::search::{SearchBackend, SearchIndex, SearchQuery};
use sqlx::PgPool;

async fn format_of(pool: &PgPool, index: &str) -> Option<i32> {
    sqlx::query_scalar("SELECT format_version FROM search_index_state WHERE index_name = $1")
        .bind(index)
        .fetch_optional(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn an_index_of_another_format_is_rebuilt_once_by_the_server(pool: PgPool) {
    let firm = organisation(
        &pool,
        "常州天枢北斗科技有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let id = product(
        &pool,
        firm,
        None,
        "北斗高精度定位终端",
        "aerospace_information",
        "published",
    )
    .await;
    let backend = SearchBackend::embedded(pool.clone(), test_clock());
    let total = || async { backend.search(&SearchQuery::default()).await.unwrap().total };
    // An index written before formats were recorded: only the product is in it.
    queue_product_for_index(&pool, id).await;
    drain_all(&pool).await;
    assert_eq!(total().await, 1);

    assert!(
        backend.ensure_format(&pool).await.unwrap(),
        "no format recorded: rebuilt"
    );
    assert_eq!(format_of(&pool, "embedded").await, Some(DOCUMENT_FORMAT));
    assert_eq!(total().await, 2, "the product {id} and its organisation");
    assert!(
        !backend.ensure_format(&pool).await.unwrap(),
        "current: left alone"
    );

    sqlx::query("UPDATE search_index_state SET format_version = $1")
        .bind(DOCUMENT_FORMAT - 1)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM search_documents")
        .execute(&pool)
        .await
        .unwrap();
    assert!(
        backend.ensure_format(&pool).await.unwrap(),
        "an older format: rebuilt"
    );
    assert_eq!(format_of(&pool, "embedded").await, Some(DOCUMENT_FORMAT));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_meilisearch_index_of_another_format_is_rebuilt_and_swapped_in(pool: PgPool) {
    let firm = organisation(
        &pool,
        "常州天枢北斗科技有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    product(
        &pool,
        firm,
        None,
        "北斗高精度定位终端",
        "aerospace_information",
        "published",
    )
    .await;
    let mock = crate::meilisearch::mock().await;
    let index = crate::meilisearch::site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
    let backend = SearchBackend::Meilisearch(index);
    assert!(backend.ensure_format(&pool).await.unwrap());
    assert_eq!(
        format_of(&pool, "site1_records").await,
        Some(DOCUMENT_FORMAT)
    );
    let documents = mock.documents("site1_records");
    assert_eq!(documents.len(), 2);
    assert!(
        documents.iter().all(|doc| doc["fair"].is_u64()),
        "{documents:?}"
    );
    assert!(!backend.ensure_format(&pool).await.unwrap());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_new_embedded_index_is_not_rebuilt_the_outbox_fills_it(pool: PgPool) {
    let backend = SearchBackend::embedded(pool.clone(), test_clock());
    assert!(!backend.ensure_format(&pool).await.unwrap(), "nothing to rebuild");
    assert_eq!(format_of(&pool, "embedded").await, Some(DOCUMENT_FORMAT));
}
