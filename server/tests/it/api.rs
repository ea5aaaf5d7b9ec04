//! The open-data API beyond the search itself: the generated OpenAPI document, the export
//! of a search, and full listings with keyset pagination.

use crate::fixtures::*;
use crate::helpers::{csv_table, spawn_app, xlsx_cells};
use crate::search::{catalogue, index_everything};
use app::search::SearchQuery;
use calamine::Data;
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_openapi_document_describes_every_route_and_every_search_parameter(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc: Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{doc}");
    for path in [
        "/api/v1/search",
        "/api/v1/search/export",
        "/api/v1/products",
        "/api/v1/products/{id}",
        "/api/v1/first-purchases",
        "/api/v1/removals",
    ] {
        assert!(
            doc["paths"][path]["get"].is_object(),
            "{path} is documented"
        );
    }
    // The query parameters come from the code: exactly those a search URL can hold.
    let documented: Vec<&str> = doc["paths"]["/api/v1/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["in"] == "query")
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

/// Every `$ref` in `value`, with where it was found.
fn references(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key == "$ref" {
                    out.push((at.to_owned(), inner.as_str().unwrap_or_default().to_owned()));
                } else {
                    references(inner, &format!("{at}/{key}"), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                references(inner, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Tools (client generators, schemathesis) refuse a document with a reference to a schema
/// it does not define; the parameters' enumerations used to be such references.
#[sqlx::test(migrations = "../migrations")]
async fn every_operation_refuses_unknown_repeated_and_garbled_parameters_by_name(pool: PgPool) {
    let app = spawn_app(pool).await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let refused = |path: String| {
        let app = &app;
        async move {
            let response = app.get(&path).await;
            assert_eq!(response.status(), 400, "{path}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "invalid_parameter", "{path}");
            (
                body["error"]["param"].clone(),
                body["error"]["message"].clone(),
            )
        }
    };
    let mut operations = 0;
    for (template, item) in doc["paths"].as_object().unwrap() {
        let path = template.replace("{id}", "1");
        let (param, message) = refused(format!("{path}?industy=C")).await;
        assert_eq!(param, "industy", "{path}");
        assert_eq!(message, "unknown parameter industy", "{path}");
        let first = item["get"]["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|parameter| parameter["in"] == "query");
        if let Some(first) = first {
            let name = first["name"].as_str().unwrap();
            let (param, message) = refused(format!("{path}?{name}=1&{name}=2")).await;
            assert_eq!(param, name, "{path}");
            assert_eq!(
                message,
                format!("the parameter {name} is given more than once"),
                "{path}"
            );
            let (param, _) = refused(format!("{path}?{name}=a%00b")).await;
            assert_eq!(param, name, "{path}");
        }
        operations += 1;
    }
    assert!(operations >= 20, "{operations} operations");
    // A well-formed query still passes (the check is not a blanket refusal).
    assert_eq!(app.get("/api/v1/products?limit=5").await.status(), 200);
    assert_eq!(
        app.get("/api/v1/search?q=a&kind=product").await.status(),
        200
    );
}

/// What OpenAPI 3.1 requires and client generators rely on: every operation has an
/// `operationId` unique in the document (§4.8.10.1) and every response a `description`
/// (§4.8.17.1). A generator refused the whole document over the missing descriptions.
#[sqlx::test(migrations = "../migrations")]
async fn operations_have_unique_ids_and_responses_descriptions(pool: PgPool) {
    let app = spawn_app(pool).await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let mut ids = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_default();
            assert!(!id.is_empty(), "{method} {path} has an operationId");
            ids.push(id.to_owned());
            for (status, response) in operation["responses"].as_object().unwrap() {
                let description = response["description"].as_str().unwrap_or_default();
                assert!(
                    !description.is_empty(),
                    "{method} {path} {status} has a description"
                );
            }
        }
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "operationIds are unique: {ids:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn every_reference_in_the_openapi_document_is_defined(pool: PgPool) {
    let app = spawn_app(pool).await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let mut refs = Vec::new();
    references(&doc, "", &mut refs);
    assert!(!refs.is_empty(), "the document uses references");
    for (at, reference) in refs {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{at}: {reference} is not a schema reference"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{at}: {reference} is not defined"
        );
    }
}

/// Each `/api/v1` route the site serves is an operation of the document, and each
/// operation documents the limiter's 429.
#[sqlx::test(migrations = "../migrations")]
async fn every_api_route_is_in_the_openapi_document(pool: PgPool) {
    let app = spawn_app(pool).await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let routes = server::routes::inventory();
    let api: Vec<_> = routes
        .iter()
        .filter(|route| route.path.starts_with("/api/v1/"))
        .collect();
    assert!(api.len() >= 4, "{api:?}");
    for route in api {
        let method = route.method.as_str().to_lowercase();
        let operation = &doc["paths"][&route.path][&method];
        assert!(
            operation.is_object(),
            "{} {} is documented",
            route.method,
            route.path
        );
        assert!(
            operation["responses"]["429"].is_object(),
            "{} {} documents 429",
            route.method,
            route.path
        );
    }
}

/// The document gives each parameter its real bounds and values, so a request valid by
/// the document is not refused for a bound it did not state (`page=0` used to be).
#[sqlx::test(migrations = "../migrations")]
async fn the_openapi_parameters_carry_their_bounds_and_values(pool: PgPool) {
    let app = spawn_app(pool).await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let parameter = |path: &str, name: &str| -> Value {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} has {name}"))["schema"]
            .clone()
    };
    let page = parameter("/api/v1/search", "page");
    assert_eq!(page["minimum"], 1);
    assert_eq!(page["maximum"], app::search::query::MAX_SEARCH_PAGE);
    for collection in ["/api/v1/products", "/api/v1/calls", "/api/v1/removals"] {
        let limit = parameter(collection, "limit");
        assert_eq!(
            (limit["minimum"].clone(), limit["maximum"].clone()),
            (1.into(), 500.into()),
            "{collection}"
        );
        assert_eq!(
            parameter(collection, "updated_since")["format"],
            "date-time"
        );
    }
    let industry = parameter("/api/v1/products", "industry");
    assert_eq!(industry["$ref"], "#/components/schemas/Industry");
    let industry = &doc["components"]["schemas"]["Industry"];
    assert!(
        industry["enum"]
            .as_array()
            .is_some_and(|codes| codes.contains(&"new_materials".into())),
        "{industry}"
    );
    let categories = parameter("/api/v1/search", "category")["enum"].clone();
    for code in [
        "smart_manufacturing",
        "intelligent_manufacturing",
        "enterprise",
    ] {
        assert!(
            categories.as_array().unwrap().contains(&code.into()),
            "{code} in {categories}"
        );
    }
    assert_eq!(
        parameter("/api/v1/search", "sort")["enum"],
        serde_json::json!(["relevance", "newest", "closing_soon"])
    );
    // Each coded parameter lists every code of its vocabulary, wherever in its schema the
    // enumeration sits (an optional value may come as `oneOf: [null, {enum}]`, a named
    // vocabulary as a `$ref`).
    fn values_of(doc: &Value, schema: &Value) -> Vec<String> {
        match schema {
            Value::Object(map) => map
                .iter()
                .flat_map(|(key, inner)| match (key.as_str(), inner) {
                    ("enum", Value::Array(values)) => values
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect(),
                    ("$ref", Value::String(target)) => {
                        let name = target.rsplit('/').next().unwrap();
                        values_of(doc, &doc["components"]["schemas"][name])
                    }
                    _ => values_of(doc, inner),
                })
                .collect(),
            Value::Array(items) => items.iter().flat_map(|item| values_of(doc, item)).collect(),
            _ => Vec::new(),
        }
    }
    let codes = |all: Vec<&str>| all.into_iter().map(str::to_owned).collect::<Vec<_>>();
    use app::domain::{Certification, Location, ProjectStage};
    for (name, expected) in [
        (
            "location",
            codes(Location::ALL.iter().map(|c| c.code()).collect()),
        ),
        (
            "stage",
            codes(ProjectStage::ALL.iter().map(|c| c.code()).collect()),
        ),
        (
            "certification",
            codes(Certification::ALL.iter().map(|c| c.code()).collect()),
        ),
        (
            "kind",
            codes(vec!["scenario", "product", "project", "organisation"]),
        ),
    ] {
        let schema = parameter("/api/v1/search", name);
        assert_eq!(values_of(&doc, &schema), expected, "{name}: {schema}");
    }
    // Each bound is the one the server checks: the first value past it is refused.
    for (path, status) in [
        ("/api/v1/search?page=50", 200),
        ("/api/v1/search?page=51", 400),
        ("/api/v1/products?limit=500", 200),
        ("/api/v1/products?limit=501", 400),
        ("/api/v1/products?after=-1", 400),
        ("/api/v1/things", 404),
        ("/api/v1/calls?status=open", 200),
        ("/api/v1/calls?status=draft", 400),
    ] {
        assert_eq!(app.get(path).await.status(), status, "{path}");
    }
    // A state only unpublished records have is not among the API's values.
    let public_states = ["scheduled", "open", "closed", "finished"];
    let filter = values_of(&doc, &parameter("/api/v1/calls", "status"));
    assert_eq!(filter, public_states);
    let field = &doc["components"]["schemas"]["CallV1"]["properties"]["status"];
    assert_eq!(values_of(&doc, field), public_states, "{field}");
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
    let table = csv_table(&csv);
    assert_eq!(&table[0][..4], ["site", "kind", "id", "title"]);
    let exported: Vec<String> = table[1..]
        .iter()
        .map(|row| row.last().unwrap().clone())
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
async fn the_search_export_as_xlsx_holds_the_same_records_as_the_csv(pool: PgPool) {
    catalogue(&pool).await;
    let app = spawn_app(pool).await;
    let csv = csv_table(
        &app.get("/api/v1/search/export?q=%E6%9C%BA%E5%99%A8%E4%BA%BA")
            .await
            .text()
            .await
            .unwrap(),
    );
    assert!(csv.len() >= 3, "{csv:?}");

    let response = app
        .get("/api/v1/search/export.xlsx?q=%E6%9C%BA%E5%99%A8%E4%BA%BA&page=2")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert_eq!(
        disposition,
        format!(
            "attachment; filename=\"search-{}.xlsx\"",
            crate::helpers::test_today()
        )
    );
    let cells = xlsx_cells(&response.bytes().await.unwrap());
    let text = |value: &str| Data::String(value.to_owned());
    assert_eq!(
        cells[0][1],
        text("http://127.0.0.1:3000/search"),
        "the site"
    );
    assert_eq!(
        cells[2][1],
        text("q=机器人"),
        "the search, without its page"
    );
    let header = &cells[4];
    assert_eq!(header[0], text("来源网站 / site"));
    let rows = &cells[5..];
    assert_eq!(rows.len(), csv.len() - 1, "every record, every page");
    for (row, expected) in rows.iter().zip(&csv[1..]) {
        assert_eq!(
            row[2],
            Data::Float(expected[2].parse().unwrap()),
            "id as a number"
        );
        assert_eq!(row[3], text(&expected[3]), "title");
        assert_eq!(row[10], text(&expected[10]), "link");
    }

    let bad = app.get("/api/v1/search/export.xlsx?page=0").await;
    assert_eq!(bad.status(), 400);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_export_past_the_search_cap_says_how_many_matched(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let first = product(&pool, firm, None, "样品", "new_materials", "published").await;
    // 1,000 more like it: 1,001 match, one more than a search (and its export) holds.
    sqlx::query(
        "WITH copies AS (
             INSERT INTO products (organisation_id, status, name, procurement_code,
                                   procurement_name, industry, description, specifications,
                                   price_min_fen, price_max_fen, published_at)
             SELECT organisation_id, status, name || n, procurement_code, procurement_name,
                    industry, description, specifications, price_min_fen, price_max_fen,
                    published_at
             FROM products, generate_series(1, 1000) AS n WHERE id = $1
             RETURNING id)
         INSERT INTO product_revisions (product_id, revision, snapshot)
         SELECT id, 1, '{}' FROM copies",
    )
    .bind(first)
    .execute(&pool)
    .await
    .unwrap();
    index_everything(&pool).await;
    let app = spawn_app(pool).await;
    let csv = app
        .get("/api/v1/search/export?kind=product")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        csv_table(&csv).len(),
        1 + 1000,
        "the header and the first 1,000"
    );
    let last = csv.trim_end().lines().last().unwrap();
    assert!(
        last.starts_with("# 已截断 / truncated,") && last.contains("1001 matched, the first 1000"),
        "{last}"
    );
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
    // Three records in pages of three: one full page that is also the last, never a
    // `next_after` leading to an empty page. The same in every collection.
    for path in [
        "/api/v1/products?limit=3",
        "/api/v1/organisations?limit=1",
        "/api/v1/ocds/releases?limit=1",
        "/api/v1/removals?limit=1",
        "/api/v1/notices?limit=1",
    ] {
        let page: Value = app.get(path).await.json().await.unwrap();
        let next = if path.contains("ocds") {
            page["links"]["next"].clone()
        } else {
            page["next_after"].clone()
        };
        assert!(next.is_null(), "{path}: {page}");
    }
    let full: Value = app
        .get("/api/v1/products?limit=3")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&full), published);

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
