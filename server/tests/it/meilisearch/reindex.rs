//! `catalogue reindex` on Meilisearch: a new index built from Postgres, swapped in, the
//! old one deleted; only this deployment's index is touched.

use super::{document, mock, site};
use crate::fixtures::*;
use app::search::meili::{MeiliConfig, MeiliIndex};
use app::search::SearchIndex;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn reindex_rebuilds_into_a_new_index_and_swaps_it_in(pool: PgPool) {
    let mock = mock().await;
    mock.add_key("write-key-site2", &["*"], &["site2_*"]);
    let partner = MeiliIndex::new(
        MeiliConfig {
            write_key: "write-key-site2".into(),
            ..site(&mock, "site2", Vec::new()).config().clone()
        },
        crate::helpers::test_clock(),
    )
    .unwrap();
    partner.prepare().await.unwrap();
    partner
        .apply(vec![document("p05")], Vec::new())
        .await
        .unwrap();

    let index = site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
    // A document the catalogue no longer has: a rebuild drops it.
    let (kind, mut stale) = document("p09");
    stale.id = 999;
    index.apply(vec![(kind, stale)], Vec::new()).await.unwrap();

    let firm = organisation(
        &pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let published = product(
        &pool,
        firm,
        None,
        "六轴工业机器人",
        "intelligent_manufacturing",
        "published",
    )
    .await;
    product(
        &pool,
        firm,
        None,
        "未发布的草稿",
        "intelligent_manufacturing",
        "draft",
    )
    .await;
    mock.clear_requests();

    let (written, refused) = index.reindex(&pool).await.unwrap();
    assert!(refused.is_empty());
    assert_eq!(written, 2, "the product and its verified organisation");

    let mut uids: Vec<String> = mock
        .documents("site1_records")
        .iter()
        .map(|d| d["uid"].as_str().unwrap().to_owned())
        .collect();
    uids.sort();
    assert_eq!(
        uids,
        vec![
            format!("organisation-{firm}"),
            format!("product-{published}")
        ]
    );
    assert_eq!(
        mock.documents("site2_records").len(),
        1,
        "the partner's index is untouched"
    );
    let mut names = mock.index_names();
    names.sort();
    assert_eq!(
        names,
        vec!["site1_records".to_owned(), "site2_records".to_owned()]
    );

    let requests = mock.requests();
    let position = |method: &str, path: &str| {
        requests
            .iter()
            .position(|r| r.method == method && r.path.starts_with(path))
            .unwrap_or_else(|| panic!("{method} {path} was sent"))
    };
    let created = position("POST", "/indexes");
    assert_eq!(requests[created].body["uid"], json!("site1_records_new"));
    let filled = position("POST", "/indexes/site1_records_new/documents");
    let swapped = position("POST", "/swap-indexes");
    assert_eq!(
        requests[swapped].body,
        json!([{"indexes": ["site1_records", "site1_records_new"]}])
    );
    let dropped = position("DELETE", "/indexes/site1_records_new");
    assert!(created < filled && filled < swapped && swapped < dropped);
    assert!(
        requests.iter().all(|r| !r.path.contains("site2")),
        "nothing was sent to the partner's index"
    );
}

/// A record withdrawn while a rebuild runs does not come back when the rebuilt index is
/// swapped in: the rebuild replays every record the outbox mentioned meanwhile into the
/// live index, from its current state, and indexers and the rebuild never carry the same
/// record at once.
#[sqlx::test(migrations = "../migrations")]
async fn records_withdrawn_during_a_rebuild_stay_out_after_the_swap(pool: PgPool) {
    use app::domain::ProductId;
    use app::publication::{self, Subject};
    let mock = mock().await;
    let index = site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
    let clock = crate::helpers::test_clock();
    let firm = organisation(
        &pool,
        "常州灵眸智能科技有限公司",
        "enterprise",
        "320402",
        true,
    )
    .await;
    let mut ids = Vec::new();
    for n in 0..40 {
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
    drain_into(&pool, &index, &clock).await;

    let rebuild = tokio::spawn({
        let (index, pool) = (index.clone(), pool.clone());
        async move { index.reindex(&pool).await.unwrap() }
    });
    let indexer = tokio::spawn({
        let (index, pool, clock) = (index.clone(), pool.clone(), clock.clone());
        async move {
            for _ in 0..100 {
                server::indexer::drain_once(&pool, &index, &clock, 5)
                    .await
                    .unwrap();
                tokio::time::sleep(std::time::Duration::from_millis(3)).await;
            }
        }
    });
    for id in ids.iter().step_by(2) {
        let mut tx = pool.begin().await.unwrap();
        publication::withdraw(
            &mut tx,
            Subject::Product(ProductId(*id)),
            None,
            "停产",
            clock.now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    rebuild.await.unwrap();
    indexer.await.unwrap();
    drain_into(&pool, &index, &clock).await;

    let mut live: Vec<i64> = mock
        .documents("site1_records")
        .iter()
        .filter(|doc| doc["kind"] == "product")
        .map(|doc| doc["id"].as_i64().unwrap())
        .collect();
    live.sort_unstable();
    let expected: Vec<i64> = ids.iter().skip(1).step_by(2).copied().collect();
    assert_eq!(live, expected);
}

/// A rebuild sends its batches without waiting for each before the next (Meilisearch then
/// indexes them together), waits for all of them before the swap, and the swapped-in
/// index holds every listed record in its current state.
#[sqlx::test(migrations = "../migrations")]
async fn a_rebuild_keeps_several_batches_in_flight(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市科学技术局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(
        &pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    for n in 0..3 {
        product(
            &pool,
            firm,
            None,
            &format!("产品{n}"),
            "new_materials",
            "published",
        )
        .await;
        scenario(&pool, agency, &format!("场景{n}"), "energy", "published").await;
        project(
            &pool,
            firm,
            &format!("项目{n}"),
            "angel",
            "published",
            false,
        )
        .await;
    }
    let mock = mock().await;
    let index = site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
    // Tasks stay "processing" for a while, as on a busy server.
    mock.set_task_polls_before_done(2);
    mock.clear_requests();
    let (written, refused) = index.reindex(&pool).await.unwrap();
    assert_eq!(
        (written, refused.len()),
        (11, 0),
        "9 records and 2 organisations"
    );

    let requests = mock.requests();
    let is_batch = |r: &&crate::meili_mock::Recorded| {
        r.method == "POST" && r.path.starts_with("/indexes/site1_records_new/documents")
    };
    let first = requests
        .iter()
        .position(|r| is_batch(&r))
        .expect("batches sent");
    let before_any_wait = requests[first..]
        .iter()
        .take_while(|r| !r.path.starts_with("/tasks/"))
        .filter(is_batch)
        .count();
    assert_eq!(
        before_any_wait, 4,
        "one batch of each kind, all in flight: {requests:?}"
    );
    let swap = requests
        .iter()
        .position(|r| r.path.starts_with("/swap-indexes"))
        .expect("swapped");
    let waited: Vec<&str> = requests[first..swap]
        .iter()
        .filter(|r| r.path.starts_with("/tasks/"))
        .map(|r| r.path.as_str())
        .collect();
    assert!(
        waited.len() >= 4,
        "every batch waited for before the swap: {waited:?}"
    );
    let titles: std::collections::BTreeSet<String> = mock
        .documents("site1_records")
        .iter()
        .map(|d| d["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(titles.len(), 11);
    assert!(titles.contains("产品2") && titles.contains("场景0") && titles.contains("项目1"));
}

/// Two rebuilds at once (a `catalogue reindex` while a server repairs the index, or two
/// commands) take turns: each fills and swaps in a whole index. Before, both filled and
/// deleted the same `_new` index and one swapped in what the other had left of it
/// (2,725 of 121,571 documents on a real Meilisearch, and no settings).
#[sqlx::test(migrations = "../migrations")]
async fn rebuilds_at_the_same_time_take_turns_and_leave_a_whole_index(pool: PgPool) {
    let firm = organisation(
        &pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    for n in 0..6 {
        product(
            &pool,
            firm,
            None,
            &format!("产品{n}"),
            "new_materials",
            "published",
        )
        .await;
    }
    let mock = mock().await;
    let index = site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
    // Tasks stay "processing" for a while, so the two rebuilds' steps interleave.
    mock.set_task_polls_before_done(3);
    let backend = app::search::SearchBackend::Meilisearch(index);
    let (first, second) = tokio::join!(backend.reindex(&pool), backend.reindex(&pool));
    assert_eq!(first.unwrap().0, 7, "6 products and their organisation");
    assert_eq!(second.unwrap().0, 7);

    let uids: std::collections::BTreeSet<String> = mock
        .documents("site1_records")
        .iter()
        .map(|d| d["uid"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(uids.len(), 7, "{uids:?}");
    let settings = mock.settings("site1_records").expect("the live index");
    assert!(
        settings["filterableAttributes"]
            .as_array()
            .is_some_and(|a| !a.is_empty()),
        "the live index has the site's settings: {settings}"
    );
    let swaps = mock
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/swap-indexes"))
        .count();
    assert_eq!(swaps, 2, "each rebuild swapped in its own whole index");
}
