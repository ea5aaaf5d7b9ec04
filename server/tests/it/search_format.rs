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
    assert!(
        !backend.ensure_format(&pool).await.unwrap(),
        "nothing to rebuild"
    );
    assert_eq!(format_of(&pool, "embedded").await, Some(DOCUMENT_FORMAT));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_lost_meilisearch_index_is_noticed_and_rebuilt_with_its_settings(pool: PgPool) {
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
    let mock = crate::meilisearch::mock().await;
    let index = crate::meilisearch::site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
    let backend = SearchBackend::Meilisearch(index.clone());
    assert_eq!(
        backend.repair(&pool).await.unwrap().as_deref(),
        Some("documents of another format: index rebuilt")
    );
    assert_eq!(backend.repair(&pool).await.unwrap(), None, "all is well");

    // Meilisearch restarted on an empty data folder; then a write re-created the index
    // with Meilisearch's default settings and one document.
    index.delete_own_index().await.unwrap();
    assert_eq!(index.drift().await.unwrap(), Some("the index is missing"));
    let (kind, doc) = app::search::document::load(
        &mut pool.acquire().await.unwrap(),
        app::search::DocumentKind::Product,
        &[id],
        crate::helpers::test_today(),
    )
    .await
    .unwrap()
    .into_iter()
    .map(|doc| (app::search::DocumentKind::Product, doc))
    .next()
    .unwrap();
    index.apply(vec![(kind, doc)], Vec::new()).await.unwrap();
    assert_eq!(
        index.drift().await.unwrap(),
        Some("the index's settings are not the code's")
    );
    let repaired = backend.repair(&pool).await.unwrap().unwrap();
    assert!(repaired.contains("2 documents written again"), "{repaired}");
    assert_eq!(index.drift().await.unwrap(), None);
    assert_eq!(mock.documents("site1_records").len(), 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_server_follows_a_restored_table_not_the_revisions_it_remembers(pool: PgPool) {
    let firm = organisation(
        &pool,
        "常州天枢北斗科技有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let kept = product(
        &pool,
        firm,
        None,
        "北斗高精度定位终端",
        "aerospace_information",
        "published",
    )
    .await;
    let gone = product(
        &pool,
        firm,
        None,
        "北斗授时服务器",
        "aerospace_information",
        "published",
    )
    .await;
    for id in [kept, gone] {
        queue_product_for_index(&pool, id).await;
    }
    drain_all(&pool).await;
    let backend = SearchBackend::embedded(pool.clone(), test_clock());
    let found = || async {
        let results = backend
            .search(&SearchQuery {
                q: "北斗".into(),
                ..SearchQuery::default()
            })
            .await
            .unwrap();
        let mut ids: Vec<i64> = results.hits.iter().map(|hit| hit.id).collect();
        ids.sort_unstable();
        ids
    };
    assert_eq!(found().await, vec![kept, gone]);

    // A restore brings back an older table: another table, lower revisions, without the
    // second product.
    for statement in [
        "ALTER TABLE search_documents RENAME TO search_documents_before",
        "CREATE TABLE search_documents (LIKE search_documents_before INCLUDING ALL)",
        "INSERT INTO search_documents SELECT * FROM search_documents_before WHERE id <> $1",
        "DROP TABLE search_documents_before",
    ] {
        let query = sqlx::query(statement);
        let query = if statement.contains("$1") {
            query.bind(gone)
        } else {
            query
        };
        query.execute(&pool).await.unwrap();
    }
    assert_eq!(
        found().await,
        vec![kept],
        "the server reloaded what the table holds"
    );
}
