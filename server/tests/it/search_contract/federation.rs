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
