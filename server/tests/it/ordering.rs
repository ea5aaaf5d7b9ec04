//! Search never shows a withdrawn record again because of the order writers finish in.
//! An indexer (or a rebuild) that read a record just before it was withdrawn used to be
//! able to write it back after another indexer had removed it. Now each writer holds the
//! record's lock from reading it to the end of its write: the second writer waits, and
//! then writes the newest state.

use crate::fixtures::*;
use crate::helpers::test_clock;
use app::clock::Clock;
use app::domain::ProductId;
use app::publication::{self, Subject};
use app::search::writer;
use app::search::{
    DocumentKind, EmbeddedIndex, IndexError, SearchDocument, SearchIndex, SearchQuery,
    SearchResults,
};
use server::indexer::drain_once;
use sqlx::PgPool;
use std::sync::Arc;
use tokio::sync::Notify;

/// An index whose writes stop at a gate until released: a slow writer, on demand.
#[derive(Clone)]
struct Gated {
    inner: EmbeddedIndex,
    entered: Arc<Notify>,
    release: Arc<Notify>,
}

impl Gated {
    fn new(pool: &PgPool, clock: &Clock) -> Gated {
        Gated {
            inner: EmbeddedIndex::new(pool.clone(), clock.clone()),
            entered: Arc::new(Notify::new()),
            release: Arc::new(Notify::new()),
        }
    }
}

impl SearchIndex for Gated {
    async fn apply(
        &self,
        upserts: Vec<(DocumentKind, SearchDocument)>,
        deletes: Vec<(DocumentKind, i64)>,
    ) -> Result<(), IndexError> {
        self.entered.notify_one();
        self.release.notified().await;
        self.inner.apply(upserts, deletes).await
    }

    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, IndexError> {
        self.inner.search(query).await
    }
}

async fn found(pool: &PgPool, clock: &Clock, words: &str) -> Vec<i64> {
    let index = EmbeddedIndex::new(pool.clone(), clock.clone());
    let query = SearchQuery {
        q: words.to_owned(),
        ..SearchQuery::default()
    };
    let results = index.search(&query).await.unwrap();
    results.hits.iter().map(|hit| hit.id).collect()
}

async fn published_product(pool: &PgPool) -> i64 {
    let firm = organisation(
        pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let id = product(
        pool,
        firm,
        None,
        "焊接机器人工作站",
        "intelligent_manufacturing",
        "in_review",
    )
    .await;
    publish_product(pool, id).await;
    id
}

async fn withdraw(pool: &PgPool, id: i64) {
    let mut tx = pool.begin().await.unwrap();
    publication::withdraw(
        &mut tx,
        Subject::Product(ProductId(id)),
        None,
        "企业申请撤回",
        test_clock().now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn a_slow_indexer_cannot_bring_back_what_another_removed(pool: PgPool) {
    let clock = test_clock();
    let id = published_product(&pool).await;
    let slow = Gated::new(&pool, &clock);

    // The first indexer reads the product while it is published, then stalls.
    let first = tokio::spawn({
        let (pool, slow, clock) = (pool.clone(), slow.clone(), clock.clone());
        async move { drain_once(&pool, &slow, &clock, 100).await.unwrap() }
    });
    slow.entered.notified().await;
    withdraw(&pool, id).await;

    // A second indexer takes the withdrawal, but must not carry the record meanwhile.
    let fast = EmbeddedIndex::new(pool.clone(), clock.clone());
    let second = drain_once(&pool, &fast, &clock, 100).await.unwrap();

    slow.release.notify_one();
    let first = first.await.unwrap();
    assert_eq!(first.upserted, 1);
    // Now the withdrawal goes through, with the record's newest state.
    drain_all(&pool).await;
    assert!(
        found(&pool, &clock, "焊接机器人").await.is_empty(),
        "it came back"
    );
    assert_eq!((second.rows, second.deferred), (0, 1), "{second:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_rebuild_cannot_bring_back_what_an_indexer_removed(pool: PgPool) {
    let clock = test_clock();
    let id = published_product(&pool).await;
    drain_all(&pool).await;
    assert_eq!(found(&pool, &clock, "焊接机器人").await, vec![id]);
    let slow = Gated::new(&pool, &clock);

    // A rebuild reads the product while it is published, then stalls before writing.
    let rebuild = tokio::spawn({
        let (pool, slow, today) = (pool.clone(), slow.clone(), clock.today());
        async move {
            writer::rewrite_all(&pool, &slow, 1_000, today)
                .await
                .unwrap()
        }
    });
    slow.entered.notified().await;
    withdraw(&pool, id).await;
    let indexer = EmbeddedIndex::new(pool.clone(), clock.clone());
    let meanwhile = drain_once(&pool, &indexer, &clock, 100).await.unwrap();

    // Release every write of the rebuild (one per page and kind).
    let releaser = tokio::spawn({
        let slow = slow.clone();
        async move {
            loop {
                slow.release.notify_one();
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        }
    });
    rebuild.await.unwrap();
    releaser.abort();
    drain_all(&pool).await;
    assert!(
        found(&pool, &clock, "焊接机器人").await.is_empty(),
        "it came back"
    );
    assert_eq!(
        meanwhile.deferred, 1,
        "the indexer waited for the rebuild's write"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn two_indexers_and_a_rebuild_racing_end_with_the_catalogue_as_it_is(pool: PgPool) {
    let clock = test_clock();
    let firm = organisation(
        &pool,
        "常州灵眸智能科技有限公司",
        "enterprise",
        "320402",
        true,
    )
    .await;
    let mut ids = Vec::new();
    for n in 0..30 {
        let id = product(
            &pool,
            firm,
            None,
            &format!("视觉检测相机 型号{n}"),
            "artificial_intelligence",
            "in_review",
        )
        .await;
        publish_product(&pool, id).await;
        ids.push(id);
    }
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (pool, clock) = (pool.clone(), clock.clone());
            tokio::spawn(async move {
                let index = EmbeddedIndex::new(pool.clone(), clock.clone());
                for _ in 0..200 {
                    drain_once(&pool, &index, &clock, 7).await.unwrap();
                    tokio::task::yield_now().await;
                }
            })
        })
        .collect();
    let rebuild = tokio::spawn({
        let (pool, clock) = (pool.clone(), clock.clone());
        async move {
            EmbeddedIndex::new(pool, clock).reindex().await.unwrap();
        }
    });
    // Withdraw every other product while they all run.
    for id in ids.iter().step_by(2) {
        withdraw(&pool, *id).await;
    }
    for worker in workers {
        worker.await.unwrap();
    }
    rebuild.await.unwrap();
    drain_all(&pool).await;
    let mut listed: Vec<i64> = found(&pool, &clock, "视觉检测相机").await;
    listed.sort_unstable();
    let expected: Vec<i64> = ids.iter().skip(1).step_by(2).copied().collect();
    assert_eq!(listed, expected);
}
