//! `/healthz` on Meilisearch: it asks the search backend and names it; a search backend
//! that fails makes the server "degraded" (pages still work), and neither the check nor
//! the search's own answer says the database is unavailable.

use super::{mock, site, SEARCH_KEY, WRITE_KEY};
use crate::helpers::spawn_app_with;
use app::i18n::Locale;
use app::search::SearchBackend;
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn health_names_meilisearch_and_a_failure_is_search_not_the_database(pool: PgPool) {
    let mock = mock().await;
    let index = site(&mock, "site1", Vec::new());
    index.prepare().await.unwrap();
    let app = spawn_app_with(pool, Some(SearchBackend::Meilisearch(index))).await;

    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    let health: Value = health.json().await.unwrap();
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(health["database"], "ok", "{health}");
    assert_eq!(health["search"]["backend"], "meilisearch", "{health}");
    assert_eq!(health["search"]["status"], "ok", "{health}");
    mock.clear_requests();
    app.get("/healthz").await;
    assert!(
        mock.requests()
            .iter()
            .any(|r| r.path == "/indexes/site1_records/search"),
        "the check asks Meilisearch"
    );

    mock.set_failing(Some(503));
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200, "pages still work: keep the server");
    let text = health.text().await.unwrap();
    let health: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(health["database"], "ok", "{health}");
    assert_eq!(health["search"]["backend"], "meilisearch", "{health}");
    assert_eq!(health["search"]["status"], "unavailable", "{health}");
    // A kind of failure, never Meilisearch's own message (it names internal addresses).
    let detail = health["search"]["detail"].as_str().unwrap();
    assert_eq!(detail, "cannot be reached or answered an error");
    assert!(!text.contains(&mock.url()), "{text}");
    for key in [WRITE_KEY, SEARCH_KEY] {
        assert!(!text.contains(key), "{key} leaked: {text}");
    }

    let api = app.get("/api/v1/search?q=robot").await;
    assert_eq!(api.status(), 503);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "search_unavailable");
    assert_eq!(body["error"]["message"], "search is unavailable");
    let page = app.get("/search?q=robot").await.text().await.unwrap();
    let zh = Locale::ZhCn.messages();
    assert!(page.contains(zh.search_unavailable_text), "{page}");
    assert!(!page.contains(zh.unavailable_text), "{page}");

    mock.stop().await;
    let health: Value = app.get("/healthz").await.json().await.unwrap();
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(health["search"]["status"], "unavailable", "{health}");
}
