//! A partner whose index is missing or misconfigured does not turn every search into a
//! 503: the search returns this site's and the working partners' hits, names the partners
//! left out (`unavailable_sites` in the JSON, a notice on the page) and logs them.

use super::{document, mock, MeiliMock, MASTER_KEY, WRITE_KEY};
use crate::helpers::spawn_app_with;
use app::i18n::Locale;
use app::search::meili::{settings, MeiliConfig, MeiliIndex, Partner};
use app::search::{SearchBackend, SearchIndex, SearchQuery, SortOrder};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::sync::{Arc, Mutex};

/// A search key of site1 that covers the partners site2 and site3 (not site4).
const WIDE_SEARCH_KEY: &str = "search-key-site1-site2-site3";

fn partner(site_id: &str) -> Partner {
    Partner {
        site_id: site_id.into(),
        base_url: format!("https://{site_id}.example.cn"),
    }
}

/// site1 with the robot `p01`; partners' indexes as their own deployments write them:
/// site2 with `p02` (a robot too), site4 with `p03` (a robot, but site1's search key does
/// not cover it); site3 has no index at all.
async fn sites() -> MeiliMock {
    let mock = mock().await;
    mock.add_key(
        WIDE_SEARCH_KEY,
        &["search"],
        &["site1_*", "site2_*", "site3_*"],
    );
    for (site_id, key) in [("site1", "p01"), ("site2", "p02"), ("site4", "p03")] {
        let write_key = format!("write-key-{site_id}");
        mock.add_key(&write_key, &["*"], &[&format!("{site_id}_*")]);
        let index = own(&mock, site_id, &write_key, Vec::new());
        index.prepare().await.unwrap();
        index.apply(vec![document(key)], Vec::new()).await.unwrap();
    }
    mock
}

fn own(mock: &MeiliMock, site_id: &str, write_key: &str, partners: Vec<Partner>) -> MeiliIndex {
    MeiliIndex::new(
        MeiliConfig {
            url: mock.url(),
            site_id: site_id.into(),
            write_key: write_key.into(),
            search_key: WIDE_SEARCH_KEY.into(),
            partners,
        },
        crate::helpers::test_clock(),
    )
    .unwrap()
}

/// site1 searching with its partners.
fn federated(mock: &MeiliMock, partners: &[&str]) -> MeiliIndex {
    own(
        mock,
        "site1",
        WRITE_KEY,
        partners.iter().map(|p| partner(p)).collect(),
    )
}

/// The site of each hit (`None` for this site's), sorted.
fn sites_of(body: &Value) -> Vec<Option<String>> {
    let mut sites: Vec<Option<String>> = body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["site"].as_str().map(str::to_owned))
        .collect();
    sites.sort();
    sites
}

#[sqlx::test(migrations = "../migrations")]
async fn a_missing_partner_index_leaves_out_that_partner_only(pool: PgPool) {
    let mock = sites().await;
    let index = federated(&mock, &["site2", "site3", "site4"]);
    let app = spawn_app_with(pool, Some(SearchBackend::Meilisearch(index))).await;

    let api = app
        .get("/api/v1/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA")
        .await;
    assert_eq!(api.status(), 200);
    let body: Value = api.json().await.unwrap();
    assert_eq!(
        body["unavailable_sites"],
        json!(["site3", "site4"]),
        "{body}"
    );
    assert_eq!(
        sites_of(&body),
        vec![None, Some("site2".to_owned())],
        "{body}"
    );
    let partner_hit = body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["site"] == "site2")
        .unwrap();
    assert_eq!(partner_hit["url"], "https://site2.example.cn/products/2");

    // The page says which partners are missing, in each language, as a status message.
    let page = app.get("/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let notice = Locale::ZhCn
        .messages()
        .search_sites_unavailable
        .replace("{sites}", "site3, site4");
    assert!(html.contains(&notice), "{html}");
    assert!(
        html.contains(r#"role="status" data-testid="search-unavailable-sites""#),
        "{html}"
    );
    let english = app
        .client
        .get(app.url("/search?q=robot"))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap();
    assert_eq!(english.status(), 200);
    let html = english.text().await.unwrap();
    let notice = Locale::En
        .messages()
        .search_sites_unavailable
        .replace("{sites}", "site3, site4");
    assert!(html.contains(&notice), "{html}");

    // For a while the failing partners are left out without being tried again.
    mock.clear_requests();
    let body: Value = app
        .get("/api/v1/search?q=robot")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["unavailable_sites"], json!(["site3", "site4"]));
    let sent = mock.requests();
    assert_eq!(sent.len(), 1, "one search, no probing: {sent:?}");
    let uids: Vec<&Value> = sent[0].body["queries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| &q["indexUid"])
        .collect();
    assert_eq!(uids, vec!["site1_records", "site2_records"]);
    let page = app.get("/search?q=robot").await.text().await.unwrap();
    assert!(page.contains("search-unavailable-sites"));
}

#[sqlx::test(migrations = "../migrations")]
async fn every_partner_answering_means_no_notice(pool: PgPool) {
    let mock = sites().await;
    let index = federated(&mock, &["site2"]);
    let app = spawn_app_with(pool, Some(SearchBackend::Meilisearch(index))).await;
    let body: Value = app
        .get("/api/v1/search?q=robot")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["unavailable_sites"], json!([]));
    assert_eq!(
        sites_of(&body),
        vec![None, Some("site2".to_owned())],
        "{body}"
    );
    let page = app.get("/search?q=robot").await.text().await.unwrap();
    assert!(!page.contains("search-unavailable-sites"), "{page}");
}

/// A partner still on older settings (its index cannot sort by the fair key) fails every
/// sorted federated search, though a plain search of its index works: it is found out by
/// the same search, and left out.
#[tokio::test]
async fn a_partner_whose_settings_cannot_run_the_search_is_left_out() {
    let mock = sites().await;
    let old_sortable = json!(["published_at", "open_until"]);
    let response = reqwest::Client::new()
        .put(format!(
            "{}/indexes/site2_records/settings/sortable-attributes",
            mock.url()
        ))
        .bearer_auth(MASTER_KEY)
        .json(&old_sortable)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    assert_eq!(
        mock.settings("site2_records").unwrap()["sortableAttributes"],
        json!(["open_until", "published_at"])
    );

    let index = federated(&mock, &["site2"]);
    let newest = SearchQuery {
        q: "robot".into(),
        sort: SortOrder::Newest,
        ..SearchQuery::default()
    };
    let results = index.search(&newest).await.expect("this site's hits");
    assert_eq!(results.unavailable_sites, vec!["site2".to_owned()]);
    assert!(!results.hits.is_empty());
    assert!(results.hits.iter().all(|h| h.site.is_none()), "{results:?}");
    // Meanwhile the settings kept in code still hold on this site's own index.
    assert_eq!(
        mock.settings("site1_records").unwrap()["rankingRules"],
        serde_json::to_value(settings()).unwrap()["rankingRules"]
    );
}

/// If this site's own index fails, that is the failure: no partner is blamed for it.
#[tokio::test]
async fn a_failing_own_index_is_not_blamed_on_the_partners() {
    let mock = sites().await;
    let index = federated(&mock, &["site2"]);
    index.delete_own_index().await.unwrap();
    assert!(index.search(&SearchQuery::default()).await.is_err());
    // Once it is back, the partner was never left out.
    index.prepare().await.unwrap();
    let results = index.search(&SearchQuery::default()).await.unwrap();
    assert!(results.unavailable_sites.is_empty(), "{results:?}");
    assert!(results
        .hits
        .iter()
        .any(|h| h.site.as_deref() == Some("site2")));
}

/// Log lines written while a future runs on this thread (`#[tokio::test]` runs on one).
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_failing_partner_is_logged_by_name() {
    let mock = sites().await;
    let index = federated(&mock, &["site2", "site3"]);
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::WARN)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let results = index.search(&SearchQuery::default()).await.unwrap();
    assert_eq!(results.unavailable_sites, vec!["site3".to_owned()]);
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let line = log
        .lines()
        .find(|l| l.contains("partner"))
        .unwrap_or_else(|| panic!("no warning: {log}"));
    assert!(line.contains("WARN") && line.contains("site3"), "{line}");
    assert!(line.contains("index_not_found"), "{line}");
    assert!(!log.contains("site2"), "{log}");
}
