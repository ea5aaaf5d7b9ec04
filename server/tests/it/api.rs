//! The open-data API beyond the search itself: the generated OpenAPI document, the export
//! of a search, and full listings with keyset pagination.

use crate::fixtures::*;
use crate::helpers::spawn_app;
use crate::search::{catalogue, index_everything};
use app::search::SearchQuery;
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_openapi_document_describes_every_route_and_every_search_parameter(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc: Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{doc}");
    for path in ["/api/v1/search", "/api/v1/search/export", "/api/v1/{kind}"] {
        assert!(
            doc["paths"][path]["get"].is_object(),
            "{path} is documented"
        );
    }
    // The parameters come from the code: exactly those a search URL can hold.
    let documented: Vec<&str> = doc["paths"]["/api/v1/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    let mut expected: Vec<&str> = SearchQuery::default()
        .query_pairs()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    expected.push("page");
    let (mut documented, mut expected) = (documented, expected);
    documented.sort_unstable();
    expected.sort_unstable();
    assert_eq!(documented, expected);
    let kind = &doc["components"]["schemas"]["SearchHit"]["properties"]["kind"];
    assert_eq!(kind["$ref"], "#/components/schemas/DocumentKind");
    let codes = &doc["components"]["schemas"]["DocumentKind"]["enum"];
    assert_eq!(
        codes,
        &serde_json::json!(["scenario", "product", "project", "organisation"]),
        "the codes are listed"
    );
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
}

#[sqlx::test(migrations = "../migrations")]
async fn an_export_holds_exactly_the_records_the_search_returned_in_its_order(pool: PgPool) {
    catalogue(&pool).await;
    let app = spawn_app(pool.clone()).await;
    let search: Value = app
        .get("/api/v1/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA")
        .await
        .json()
        .await
        .unwrap();
    let urls: Vec<String> = search["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["url"].as_str().unwrap().to_owned())
        .collect();
    assert!(urls.len() >= 2, "{search}");

    let response = app
        .get("/api/v1/search/export?q=%E6%9C%BA%E5%99%A8%E4%BA%BA&page=1")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let csv = response.text().await.unwrap();
    assert!(
        csv.starts_with('\u{feff}'),
        "a byte-order mark for spreadsheets"
    );
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("site,kind,id,title"), "{}", lines[0]);
    let exported: Vec<String> = lines[1..]
        .iter()
        .map(|line| {
            line.rsplit(',')
                .next()
                .unwrap()
                .trim_matches('"')
                .to_owned()
        })
        .collect();
    let urls: Vec<String> = urls
        .iter()
        .map(|url| format!("http://127.0.0.1:3000{url}"))
        .collect();
    assert_eq!(
        exported, urls,
        "same records, same order, as absolute links"
    );
    assert!(!csv.contains("草稿"), "never a draft");

    let bad = app.get("/api/v1/search/export?kind=people").await;
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["error"]["param"], "kind");
}

#[sqlx::test(migrations = "../migrations")]
async fn listings_page_by_keyset_and_hold_only_public_records(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let mut published = Vec::new();
    for name in ["甲产品", "乙产品", "丙产品"] {
        published.push(product(&pool, firm, None, name, "new_materials", "published").await);
    }
    product(&pool, firm, None, "草稿产品", "new_materials", "draft").await;
    index_everything(&pool).await;
    let app = spawn_app(pool).await;

    let first: Value = app
        .get("/api/v1/products?limit=2")
        .await
        .json()
        .await
        .unwrap();
    let ids = |page: &Value| -> Vec<i64> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(&first), published[..2].to_vec());
    let after = first["next_after"].as_i64().unwrap();
    let second: Value = app
        .get(&format!("/api/v1/products?limit=2&after={after}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&second), published[2..].to_vec());
    assert!(second["next_after"].is_null(), "the last page says so");
    assert!(!second.to_string().contains("草稿"));

    let organisations: Value = app.get("/api/v1/organisations").await.json().await.unwrap();
    assert_eq!(ids(&organisations), vec![firm]);

    for (path, status, param) in [
        ("/api/v1/products?limit=0", 400, Some("limit")),
        ("/api/v1/products?limit=501", 400, Some("limit")),
        ("/api/v1/products?after=abc", 400, Some("after")),
        ("/api/v1/people", 404, None),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), status, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["param"].as_str(), param, "{path}: {body}");
    }
}
