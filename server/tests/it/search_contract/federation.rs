//! Federation, on a real Meilisearch: two deployments (site ids) in one server. Each sees
//! only its own records, unless configured with the other as a partner; then it gets
//! both, each hit labelled with its site and linking there.

use super::{corpus, real_meilisearch};
use app::search::meili::{MeiliIndex, Partner};
use app::search::{DocumentKind, SearchDocument, SearchIndex, SearchQuery};

fn robot(id: i64, title: &str) -> (DocumentKind, SearchDocument) {
    let mut doc = corpus::corpus()
        .into_iter()
        .find(|e| e.key == "p01")
        .unwrap()
        .document();
    doc.id = id;
    doc.title = title.to_owned();
    (DocumentKind::Product, doc)
}

async fn titles(index: &MeiliIndex) -> Vec<(String, Option<String>, String)> {
    let query = SearchQuery {
        q: "机器人".into(),
        ..SearchQuery::default()
    };
    let results = index.search(&query).await.unwrap();
    let mut found: Vec<_> = results
        .hits
        .into_iter()
        .map(|hit| {
            let title: String = hit.title.into_iter().map(|f| f.text).collect();
            (title, hit.site, hit.url)
        })
        .collect();
    found.sort();
    found
}

#[tokio::test]
async fn each_site_sees_its_own_records_unless_partnered() {
    let Some(changzhou) = real_meilisearch("federation", Vec::new()) else {
        return;
    };
    let Some(wuxi) = real_meilisearch("federation", Vec::new()) else {
        return;
    };
    for (index, title) in [(&changzhou, "常州焊接机器人"), (&wuxi, "无锡协作机器人")]
    {
        index.prepare().await.unwrap();
        index
            .apply(vec![robot(1, title)], Vec::new())
            .await
            .unwrap();
    }
    assert_eq!(
        titles(&changzhou).await,
        vec![("常州焊接机器人".into(), None, "/products/1".into())]
    );
    assert_eq!(
        titles(&wuxi).await,
        vec![("无锡协作机器人".into(), None, "/products/1".into())]
    );

    let mut config = changzhou.config().clone();
    config.partners = vec![Partner {
        site_id: wuxi.config().site_id.clone(),
        base_url: "https://wuxi.example.cn".into(),
    }];
    let federated = MeiliIndex::new(config, crate::helpers::test_clock()).unwrap();
    assert_eq!(
        titles(&federated).await,
        vec![
            ("常州焊接机器人".into(), None, "/products/1".into()),
            (
                "无锡协作机器人".into(),
                Some(wuxi.config().site_id.clone()),
                "https://wuxi.example.cn/products/1".into()
            ),
        ]
    );
    // Facets count across both sites.
    let results = federated.search(&SearchQuery::default()).await.unwrap();
    assert_eq!(results.total, 2);
    changzhou.delete_own_index().await.unwrap();
    wuxi.delete_own_index().await.unwrap();
}

/// A federated search orders hits of every site as one list, the same order as a single
/// site's: newest first (or nearest deadline), equals in the day's fair order.
#[tokio::test]
async fn a_federated_search_orders_every_sites_hits_as_one_list() {
    use app::search::document::fair_key;
    use app::search::SortOrder;
    let Some(changzhou) = real_meilisearch("federation order", Vec::new()) else {
        return;
    };
    let Some(wuxi) = real_meilisearch("federation order", Vec::new()) else {
        return;
    };
    // The corpus split between the two sites (ids stay distinct, so that each record has
    // its own fair key).
    let entries = corpus::corpus();
    let (mine, theirs): (Vec<_>, Vec<_>) = entries.iter().partition(|e| e.id() % 2 == 0);
    for (index, part) in [(&changzhou, &mine), (&wuxi, &theirs)] {
        index.prepare().await.unwrap();
        index
            .apply(
                part.iter().map(|e| (e.kind, e.document())).collect(),
                Vec::new(),
            )
            .await
            .unwrap();
    }
    let mut config = changzhou.config().clone();
    config.partners = vec![Partner {
        site_id: wuxi.config().site_id.clone(),
        base_url: "https://wuxi.example.cn".into(),
    }];
    let federated = MeiliIndex::new(config, crate::helpers::test_clock()).unwrap();
    let today = crate::helpers::test_today();
    let fair = |e: &corpus::Entry| fair_key(e.kind, e.id(), today);
    let key = |e: &corpus::Entry| corpus::key_of(e.kind, e.id());
    let mut newest: Vec<&corpus::Entry> = entries.iter().collect();
    newest.sort_by(|a, b| {
        b.published_at
            .cmp(&a.published_at)
            .then(fair(a).cmp(&fair(b)))
    });
    let mut closing: Vec<&corpus::Entry> = entries
        .iter()
        .filter(|e| e.open_until.is_some_and(|d| d >= today))
        .collect();
    closing.sort_by(|a, b| a.open_until.cmp(&b.open_until).then(fair(a).cmp(&fair(b))));
    let newest: Vec<String> = newest.into_iter().map(key).collect();
    let closing: Vec<String> = closing.into_iter().map(key).collect();
    // Without keywords, "relevance" is newest first too.
    for (sort, expected) in [
        (SortOrder::Relevance, &newest),
        (SortOrder::Newest, &newest),
        (SortOrder::ClosingSoon, &closing),
    ] {
        let mut got = Vec::new();
        for page in 1.. {
            let results = federated
                .search(&SearchQuery {
                    sort,
                    page,
                    ..SearchQuery::default()
                })
                .await
                .unwrap();
            assert!(results.unavailable_sites.is_empty());
            if results.hits.is_empty() {
                break;
            }
            got.extend(results.hits.iter().map(|h| corpus::key_of(h.kind, h.id)));
        }
        assert_eq!(&got, expected, "{sort:?}");
    }
    changzhou.delete_own_index().await.unwrap();
    wuxi.delete_own_index().await.unwrap();
}
