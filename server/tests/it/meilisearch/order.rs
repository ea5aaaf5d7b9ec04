//! The order of searches on Meilisearch, as sent: ranking rules with `sort` first and the
//! day's fair key last, the sort of each search (the same as the embedded index's order),
//! documents carrying the day's fair key, and the daily refresh of that key. (That the
//! real engine then orders hits this way is the contract's
//! `equal_records_fall_in_the_days_fair_order`, run when `MEILI_URL` is set.)

use super::{document, mock, site};
use crate::fixtures::*;
use crate::helpers::{test_clock, test_today};
use app::search::document::{days_since_epoch, fair_key};
use app::search::meili::{MeiliIndex, Partner};
use app::search::{DocumentKind, SearchIndex, SearchQuery, SortOrder};
use serde_json::{json, Value};
use sqlx::PgPool;

#[tokio::test]
async fn the_settings_rank_by_sort_first_and_by_the_fair_key_last() {
    let mock = mock().await;
    site(&mock, "site1", Vec::new()).prepare().await.unwrap();
    let patch = mock
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH" && r.path == "/indexes/site1_records/settings")
        .expect("the settings are sent");
    assert_eq!(
        patch.body["rankingRules"],
        json!([
            "sort",
            "words",
            "typo",
            "proximity",
            "attribute",
            "exactness",
            "title_length:asc",
            "fair:asc"
        ])
    );
    assert_eq!(
        patch.body["sortableAttributes"],
        json!(["published_at", "open_until", "fair", "id"])
    );
}

/// The sort each search sends: none for relevance with words (the ranking rules end in
/// the fair key), else the date or deadline and then the fair key.
#[tokio::test]
async fn each_search_sends_the_sort_both_backends_order_by() {
    let mock = mock().await;
    let index = site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
    index
        .apply(vec![document("p01"), document("s01")], Vec::new())
        .await
        .unwrap();
    let newest = json!(["published_at:desc", "fair:asc"]);
    let closing = json!(["open_until:asc", "fair:asc"]);
    let cases = [
        ("", SortOrder::Relevance, Some(&newest)),
        ("机器人", SortOrder::Relevance, None),
        ("", SortOrder::Newest, Some(&newest)),
        ("机器人", SortOrder::Newest, Some(&newest)),
        ("", SortOrder::ClosingSoon, Some(&closing)),
        ("机器人", SortOrder::ClosingSoon, Some(&closing)),
    ];
    for (q, sort, expected) in cases {
        mock.clear_requests();
        let query = SearchQuery {
            q: q.into(),
            sort,
            ..SearchQuery::default()
        }
        .validate()
        .unwrap();
        index.search(&query).await.unwrap();
        let sent = mock.requests().pop().unwrap();
        assert_eq!(sent.path, "/indexes/site1_records/search");
        assert_eq!(sent.body.get("sort"), expected, "{q:?} {sort:?}");
        let filter = sent.body["filter"].as_array().unwrap();
        let still_open = json!(format!("open_until >= {}", days_since_epoch(test_today())));
        assert_eq!(
            filter.contains(&still_open),
            sort == SortOrder::ClosingSoon,
            "{q:?} {sort:?}: {filter:?}"
        );
    }

    // A federated search sends the same sort in every site's query.
    let federated = site(
        &mock,
        "site1",
        vec![Partner {
            site_id: "site2".into(),
            base_url: "https://wuxi.example.cn".into(),
        }],
    );
    mock.clear_requests();
    let _ = federated
        .search(&SearchQuery {
            sort: SortOrder::Newest,
            ..SearchQuery::default()
        })
        .await;
    let sent = mock
        .requests()
        .into_iter()
        .find(|r| r.path == "/multi-search")
        .expect("a federated search");
    let queries = sent.body["queries"].as_array().unwrap();
    assert_eq!(queries.len(), 2);
    for query in queries {
        assert_eq!(query["sort"], newest, "{query}");
    }
}

fn fair_of(documents: &[Value]) -> Vec<(String, u64)> {
    let mut keys: Vec<(String, u64)> = documents
        .iter()
        .map(|d| {
            (
                d["uid"].as_str().unwrap().to_owned(),
                d["fair"].as_u64().unwrap(),
            )
        })
        .collect();
    keys.sort();
    keys
}

/// Each document carries the fair key of the day it was written; the scheduler's daily
/// step writes every listed record again with the new day's key.
#[sqlx::test(migrations = "../migrations")]
async fn documents_carry_the_days_fair_key_and_the_daily_refresh_renews_it(pool: PgPool) {
    let mock = mock().await;
    let clock = test_clock();
    let index = MeiliIndex::new(
        site(&mock, "site1", Vec::new()).config().clone(),
        clock.clone(),
    )
    .unwrap();
    index.prepare().await.unwrap();
    let firm = organisation(
        &pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let robot = product(
        &pool,
        firm,
        None,
        "六轴工业机器人",
        "intelligent_manufacturing",
        "published",
    )
    .await;
    let today = test_today();
    let expected = |day| {
        let mut keys = vec![
            (
                format!("organisation-{firm}"),
                u64::from(fair_key(DocumentKind::Organisation, firm, day)),
            ),
            (
                format!("product-{robot}"),
                u64::from(fair_key(DocumentKind::Product, robot, day)),
            ),
        ];
        keys.sort();
        keys
    };
    index.refresh_fair_order(&pool).await.unwrap();
    assert_eq!(fair_of(&mock.documents("site1_records")), expected(today));

    clock.advance(chrono::TimeDelta::days(1)).unwrap();
    let tomorrow = today.succ_opt().unwrap();
    assert_ne!(expected(tomorrow), expected(today));
    let (written, refused) = index.refresh_fair_order(&pool).await.unwrap();
    assert_eq!((written, refused.len()), (2, 0));
    assert_eq!(
        fair_of(&mock.documents("site1_records")),
        expected(tomorrow)
    );
}
