//! The API for programs that poll it and for scripts on other sites: entity tags with
//! `If-None-Match` answered 304, and CORS for reads (including the limiter's 429).

use crate::fixtures::*;
use crate::helpers::{spawn_app, spawn_app_on, test_clock, TestApp};
use crate::search::{catalogue, index_everything};
use server::limits::LimitSettings;
use server::startup::RouterOptions;
use sqlx::PgPool;
use std::num::NonZeroU32;
use std::time::Duration;

async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn etag(response: &reqwest::Response) -> String {
    response.headers()["etag"].to_str().unwrap().to_owned()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_client_with_the_current_entity_tag_gets_304_until_the_data_changes(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    product(&pool, firm, None, "甲产品", "new_materials", "published").await;
    catalogue(&pool).await;
    let app = spawn_app(pool.clone()).await;

    for path in [
        "/api/v1/products?limit=50",
        "/api/v1/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA",
        "/api/v1/openapi.json",
    ] {
        let first = app.get(path).await;
        assert_eq!(first.status(), 200, "{path}");
        let tag = etag(&first);
        assert!(
            tag.starts_with("W/\"") && tag.ends_with('"'),
            "{path}: {tag}"
        );
        let cache_control = first.headers()["cache-control"].clone();
        let body = first.text().await.unwrap();

        let again = get_with(&app, path, &[("if-none-match", &tag)]).await;
        assert_eq!(again.status(), 304, "{path}: the client has it");
        assert_eq!(etag(&again), tag);
        assert_eq!(again.headers()["cache-control"], cache_control);
        assert!(again.headers().get("content-type").is_none());
        assert_eq!(again.text().await.unwrap(), "", "no body");

        let listed = format!("W/\"other\", {tag}");
        assert_eq!(
            get_with(&app, path, &[("if-none-match", &listed)])
                .await
                .status(),
            304,
            "{path}: one of several tags"
        );
        assert_eq!(
            get_with(&app, path, &[("if-none-match", "*")])
                .await
                .status(),
            304
        );
        let stale = get_with(&app, path, &[("if-none-match", "W/\"stale\"")]).await;
        assert_eq!(stale.status(), 200, "{path}: another version");
        assert_eq!(etag(&stale), tag);
        assert_eq!(stale.text().await.unwrap(), body, "the same answer, whole");
    }

    // A HEAD is answered as the GET would be, without the body: its tag, its 304.
    let path = "/api/v1/products?limit=50";
    let tag = etag(&app.get(path).await);
    let head = app.client.head(app.url(path)).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(etag(&head), tag);
    let head = app
        .client
        .head(app.url(path))
        .header("if-none-match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 304);

    // A 304 varies as its 200 does: by the encoding asked for.
    let compressed = get_with(&app, path, &[("accept-encoding", "gzip")]).await;
    assert_eq!(compressed.headers()["content-encoding"], "gzip");
    let vary = |response: &reqwest::Response| -> String {
        response
            .headers()
            .get_all("vary")
            .iter()
            .map(|value| value.to_str().unwrap().to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join(", ")
    };
    assert!(vary(&compressed).contains("accept-encoding"));
    let not_modified = get_with(
        &app,
        path,
        &[("accept-encoding", "gzip"), ("if-none-match", &tag)],
    )
    .await;
    assert_eq!(not_modified.status(), 304);
    assert!(
        vary(&not_modified).contains("accept-encoding"),
        "{}",
        vary(&not_modified)
    );

    // A new record changes the listing: the old tag no longer matches.
    let listing = app.get("/api/v1/products?limit=50").await;
    let before = etag(&listing);
    product(&pool, firm, None, "乙产品", "new_materials", "published").await;
    index_everything(&pool).await;
    let after = get_with(
        &app,
        "/api/v1/products?limit=50",
        &[("if-none-match", &before)],
    )
    .await;
    assert_eq!(after.status(), 200);
    assert_ne!(etag(&after), before);
    assert!(after.text().await.unwrap().contains("乙产品"));
}

#[sqlx::test(migrations = "../migrations")]
async fn downloads_and_errors_carry_no_entity_tag(pool: PgPool) {
    catalogue(&pool).await;
    let app = spawn_app(pool).await;
    for (path, status) in [
        ("/api/v1/search/export?q=%E6%9C%BA%E5%99%A8%E4%BA%BA", 200),
        (
            "/api/v1/search/export.xlsx?q=%E6%9C%BA%E5%99%A8%E4%BA%BA",
            200,
        ),
        ("/api/v1/search?page=0", 400),
        ("/api/v1/things", 404),
    ] {
        let response = get_with(&app, path, &[("if-none-match", "*")]).await;
        assert_eq!(response.status(), status, "{path}");
        assert!(response.headers().get("etag").is_none(), "{path}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn scripts_on_other_sites_may_read_the_api_and_only_the_api(pool: PgPool) {
    catalogue(&pool).await;
    let app = spawn_app(pool).await;
    let origin = ("origin", "https://data.example.org");

    let read = get_with(
        &app,
        "/api/v1/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA",
        &[origin],
    )
    .await;
    assert_eq!(read.status(), 200);
    assert_eq!(read.headers()["access-control-allow-origin"], "*");
    let exposed = read.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for name in [
        "etag",
        "retry-after",
        "content-disposition",
        "x-unavailable-sites",
    ] {
        assert!(exposed.contains(name), "{name} in {exposed}");
    }
    assert!(
        read.headers()
            .get("access-control-allow-credentials")
            .is_none(),
        "never with the reader's cookies"
    );

    // The browser's preflight for a conditional GET.
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/products"))
        .header("origin", "https://data.example.org")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "if-none-match")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    let methods = preflight.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        methods.contains("GET") && !methods.contains("POST"),
        "{methods}"
    );
    assert!(preflight.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase()
        .contains("if-none-match"));

    // Pages and server functions stay same-origin.
    for path in ["/products", "/search?q=x", "/api/home/figures"] {
        let response = get_with(&app, path, &[origin]).await;
        assert!(
            response
                .headers()
                .get("access-control-allow-origin")
                .is_none(),
            "{path}"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_script_can_read_the_limiters_429_and_when_to_come_back(pool: PgPool) {
    let limits = LimitSettings {
        refill_every: Duration::from_secs(60),
        burst: NonZeroU32::new(1).unwrap(),
        ..RouterOptions::for_tests().limits
    };
    let options = RouterOptions {
        limits,
        ..RouterOptions::for_tests()
    };
    let app = spawn_app_on(pool, test_clock(), None, options).await;
    let origin = ("origin", "https://data.example.org");
    assert_eq!(
        get_with(&app, "/api/v1/products", &[origin]).await.status(),
        200
    );
    let refused = get_with(&app, "/api/v1/products", &[origin]).await;
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.headers()["access-control-allow-origin"], "*");
    assert!(refused.headers().contains_key("retry-after"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_openapi_document_describes_the_conditional_get(pool: PgPool) {
    let app = spawn_app(pool).await;
    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    for path in [
        "/api/v1/search",
        "/api/v1/products",
        "/api/v1/products/{id}",
        "/api/v1/openapi.json",
    ] {
        let operation = &doc["paths"][path]["get"];
        assert!(
            operation["responses"]["200"]["headers"]["ETag"].is_object(),
            "{path}"
        );
        assert!(operation["responses"]["304"].is_object(), "{path}");
        let condition = operation["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "If-None-Match")
            .unwrap_or_else(|| panic!("{path} takes If-None-Match"));
        assert_eq!(condition["in"], "header");
    }
    for path in ["/api/v1/search/export", "/api/v1/search/export.xlsx"] {
        let operation = &doc["paths"][path]["get"];
        assert!(
            operation["responses"]["304"].is_null(),
            "{path}: never tagged"
        );
    }
}
