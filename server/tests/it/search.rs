//! Search on the embedded index: Chinese words, filters and facets, the page, the JSON
//! API, and input that must never become query syntax.

use crate::fixtures::*;
use crate::helpers::{spawn_app, TestApp};
use sqlx::PgPool;

/// Queues every public record for the index and drains the outbox, as the server does.
pub async fn index_everything(pool: &PgPool) {
    sqlx::query(
        "INSERT INTO search_outbox (subject_kind, subject_id, operation)
         SELECT 'product'::subject_kind, id, 'upsert'::outbox_operation FROM products
         UNION ALL SELECT 'scenario', id, 'upsert' FROM scenarios
         UNION ALL SELECT 'project', id, 'upsert' FROM projects
         UNION ALL SELECT 'organisation', id, 'upsert' FROM organisations",
    )
    .execute(pool)
    .await
    .unwrap();
    drain_all(pool).await;
}

pub async fn catalogue(pool: &PgPool) -> (i64, i64) {
    let agency = organisation(
        pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(
        pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let robot = product(
        pool,
        firm,
        None,
        "工业机器人视觉检测系统",
        "intelligent_manufacturing",
        "published",
    )
    .await;
    product(
        pool,
        firm,
        None,
        "石墨烯导热膜",
        "new_materials",
        "published",
    )
    .await;
    product(
        pool,
        firm,
        None,
        "机器人草稿产品",
        "intelligent_manufacturing",
        "draft",
    )
    .await;
    product(
        pool,
        firm,
        None,
        "已撤回的机器人",
        "intelligent_manufacturing",
        "withdrawn",
    )
    .await;
    let scenario = scenario(pool, agency, "社区养老机器人陪护", "health", "published").await;
    index_everything(pool).await;
    (robot, scenario)
}

async fn api(app: &TestApp, query: &str) -> (u16, serde_json::Value) {
    let response = app.get(&format!("/api/v1/search{query}")).await;
    (response.status().as_u16(), response.json().await.unwrap())
}

#[sqlx::test(migrations = "../migrations")]
async fn a_chinese_phrase_finds_records_about_its_words_and_never_a_draft(pool: PgPool) {
    let (robot, scenario) = catalogue(&pool).await;
    let app = spawn_app(pool).await;
    let (status, json) = api(
        &app,
        "?q=%E5%B7%A5%E4%B8%9A%E6%9C%BA%E5%99%A8%E4%BA%BA%E8%A7%86%E8%A7%89%E6%A3%80%E6%B5%8B",
    )
    .await;
    assert_eq!(status, 200, "{json}");
    let hits = json["hits"].as_array().unwrap();
    assert_eq!(
        hits[0]["url"],
        format!("/products/{robot}"),
        "the best match first: {json}"
    );
    let urls: Vec<&str> = hits.iter().map(|h| h["url"].as_str().unwrap()).collect();
    assert!(
        urls.contains(&format!("/scenarios/{scenario}").as_str()),
        "机器人 alone matches too"
    );
    let text = json.to_string();
    assert!(
        !text.contains("草稿") && !text.contains("已撤回"),
        "only published records: {text}"
    );
    assert!(hits[0]["title"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["hit"] == true && f["text"].as_str().unwrap().contains("机器人")));
}

#[sqlx::test(migrations = "../migrations")]
async fn filters_narrow_the_hits_and_facets_count_them(pool: PgPool) {
    let (robot, _) = catalogue(&pool).await;
    let app = spawn_app(pool).await;
    let (_, all) = api(&app, "?q=%E6%9C%BA%E5%99%A8%E4%BA%BA").await;
    assert_eq!(all["total"], 2);
    let kinds = all["facets"]["kind"].as_array().unwrap();
    assert_eq!(kinds.len(), 2, "{all}");
    let (_, products) = api(&app, "?q=%E6%9C%BA%E5%99%A8%E4%BA%BA&kind=product").await;
    assert_eq!(products["total"], 1);
    assert_eq!(products["hits"][0]["url"], format!("/products/{robot}"));
    let (_, by_category) = api(&app, "?category=new_materials").await;
    assert_eq!(by_category["total"], 1);
    // No query: everything published, newest first, with facets over all of it.
    let (_, everything) = api(&app, "").await;
    assert_eq!(
        everything["total"], 5,
        "3 records and 2 verified organisations: {everything}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_search_page_works_as_a_plain_get_form_with_highlights(pool: PgPool) {
    catalogue(&pool).await;
    let app = spawn_app(pool).await;
    let response = app.get("/search?q=%E7%9F%B3%E5%A2%A8%E7%83%AF").await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(page.contains("<mark>石墨烯</mark>"), "{page}");
    assert!(page.contains(r#"data-testid="search-hit""#));
    let empty = app.get("/search?q=zzzzqqq").await.text().await.unwrap();
    assert!(empty.contains(r#"data-testid="search-empty-hint""#));
    assert!(!empty.contains("search-drop-filters"), "no filter to drop");
    // Nothing found with filters: each can be dropped with one link that keeps the rest.
    let narrowed = app
        .get("/search?q=%E7%9F%B3%E5%A2%A8%E7%83%AF&kind=scenario&location=320412")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        narrowed.contains(r#"data-testid="search-empty-hint""#),
        "{narrowed}"
    );
    for link in [
        "/search?q=%E7%9F%B3%E5%A2%A8%E7%83%AF&amp;location=320412",
        "/search?q=%E7%9F%B3%E5%A2%A8%E7%83%AF&amp;kind=scenario",
    ] {
        assert!(
            narrowed.contains(&format!(r#"href="{link}""#)),
            "{link} in {narrowed}"
        );
    }
    assert!(narrowed.contains("去掉条件："));
    assert_eq!(app.get("/search?kind=people").await.status(), 400);
}

#[sqlx::test(migrations = "../migrations")]
async fn query_syntax_in_the_input_is_only_text(pool: PgPool) {
    catalogue(&pool).await;
    let app = spawn_app(pool).await;
    for q in [
        "%27",
        "%22%20OR%20%221%22%3D%221",
        "a%20%7C%20b",
        "!%26(",
        "%27%3A*",
        "OR",
        "%3D",
        "((((",
        "kind%3Dproduct",
        "%E2%80%AE%EF%BF%BD",
    ] {
        let (status, json) = api(&app, &format!("?q={q}")).await;
        assert_eq!(status, 200, "q={q}: {json}");
    }
    let long = "a".repeat(201);
    let (status, json) = api(&app, &format!("?q={long}")).await;
    assert_eq!(status, 400);
    assert_eq!(json["error"]["code"], "invalid_parameter");
    assert_eq!(json["error"]["param"], "q");
    let (status, json) = api(&app, "?kind=people").await;
    assert_eq!(
        (status, json["error"]["param"].as_str()),
        (400, Some("kind"))
    );
}
