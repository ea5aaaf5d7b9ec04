//! The outbox indexer on Meilisearch keeps several batches in flight (its lanes), so that
//! Meilisearch indexes them together, and still never sends a record's newer state before
//! an older one.

use super::{mock, site};
use crate::fixtures::*;
use crate::helpers::test_clock;
use crate::meili_mock::MeiliMock;
use app::search::meili::MeiliIndex;
use serde_json::Value;
use sqlx::PgPool;
use std::time::{Duration, Instant};

/// Runs the server's indexer (batches of `batch_size`) until the outbox is empty.
async fn index_everything(pool: &PgPool, index: &MeiliIndex, batch_size: i64) {
    let indexer = tokio::spawn(server::indexer::run(
        pool.clone(),
        index.clone(),
        test_clock(),
        batch_size,
    ));
    let started = Instant::now();
    while server::indexer::lag(pool).await.unwrap().pending > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the indexer did not empty the outbox"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    indexer.abort();
}

/// A mock with one site's index prepared, and a verified firm to own its products.
async fn site_with_a_firm(pool: &PgPool) -> (MeiliMock, MeiliIndex, i64) {
    let mock = mock().await;
    let index = site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
    let firm = organisation(
        pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    (mock, index, firm)
}

async fn published_product(pool: &PgPool, firm: i64, name: &str) -> i64 {
    let id = product(
        pool,
        firm,
        None,
        name,
        "intelligent_manufacturing",
        "in_review",
    )
    .await;
    publish_product(pool, id).await;
    id
}

#[sqlx::test(migrations = "../migrations")]
async fn the_indexer_keeps_several_batches_in_flight(pool: PgPool) {
    let (mock, index, firm) = site_with_a_firm(&pool).await;
    for n in 0..12 {
        published_product(&pool, firm, &format!("焊接机器人{n}")).await;
    }
    // Tasks stay "processing" for a while, as on a busy server.
    mock.set_task_polls_before_done(3);
    index_everything(&pool, &index, 1).await;

    assert!(
        mock.most_tasks_in_flight() >= 2,
        "batches were sent one at a time: at most {} in flight",
        mock.most_tasks_in_flight()
    );
    let products = mock
        .documents("site1_records")
        .iter()
        .filter(|doc| doc["kind"] == "product")
        .count();
    assert_eq!(products, 12, "every product indexed");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_indexers_lanes_never_send_a_records_newer_state_before_an_older_one(pool: PgPool) {
    let (mock, index, firm) = site_with_a_firm(&pool).await;
    let id = published_product(&pool, firm, "焊接机器人 第0版").await;
    for n in 0..6 {
        published_product(&pool, firm, &format!("其他产品{n}")).await;
    }
    mock.set_task_polls_before_done(2);
    let indexer = tokio::spawn(server::indexer::run(
        pool.clone(),
        index.clone(),
        test_clock(),
        1,
    ));
    // The product is renamed again and again while the lanes take the outbox in turns.
    for version in 1..=10 {
        let mut tx = pool.begin().await.unwrap();
        sqlx::query("UPDATE products SET name = $1 WHERE id = $2")
            .bind(format!("焊接机器人 第{version}版"))
            .bind(id)
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO search_outbox (subject_kind, subject_id, operation)
             VALUES ('product', $1, 'upsert')",
        )
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        published_product(&pool, firm, &format!("新产品{version}")).await;
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
    index_everything(&pool, &index, 1).await;
    indexer.abort();

    let version_of = |doc: &Value| -> Option<u32> {
        let title = doc["title"].as_str()?;
        title
            .strip_prefix("焊接机器人 第")?
            .strip_suffix("版")?
            .parse()
            .ok()
    };
    let sent: Vec<u32> = mock
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.starts_with("/indexes/site1_records/documents"))
        .filter_map(|r| r.body.as_array())
        .flatten()
        .filter(|doc| doc["kind"] == "product" && doc["id"] == id)
        .filter_map(version_of)
        .collect();
    assert!(
        sent.len() >= 2,
        "the product was sent more than once: {sent:?}"
    );
    assert!(
        sent.is_sorted(),
        "a newer state was sent before an older one: {sent:?}"
    );
    assert_eq!(sent.last(), Some(&10), "{sent:?}");
    let stored: Vec<Option<u32>> = mock
        .documents("site1_records")
        .iter()
        .filter(|doc| doc["kind"] == "product" && doc["id"] == id)
        .map(version_of)
        .collect();
    assert_eq!(stored, vec![Some(10)], "the index holds the newest state");
}
