use crate::helpers::{figure, insert_organisation, spawn_app};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_home_figure_counts_only_verified_organisations(pool: PgPool) {
    insert_organisation(
        &pool,
        "常州星辰智能装备有限公司",
        "91320411MA1XXXXX01",
        true,
    )
    .await;
    insert_organisation(&pool, "常州市智慧交通研究院", "12320400MB1XXXXX02", true).await;
    insert_organisation(&pool, "未认证企业", "91320412MA1XXXXX03", false).await;

    let search = app::search::SearchBackend::embedded(pool.clone(), crate::helpers::test_clock());
    let figures = app::home::db::home_figures(
        &pool,
        &search,
        &Default::default(),
        crate::helpers::test_today(),
    )
    .await
    .unwrap();
    assert_eq!(figures.verified_organisations, 2);
    assert_eq!(figures.latest_organisations.len(), 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_home_page_shows_the_figure_from_postgres(pool: PgPool) {
    insert_organisation(
        &pool,
        "常州星辰智能装备有限公司",
        "91320411MA1XXXXX01",
        true,
    )
    .await;
    let app = spawn_app(pool.clone()).await;

    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert_eq!(figure(&body, "verified-organisations"), Some(1), "{body}");
    assert!(
        body.contains(r#"<html lang="zh-CN""#),
        "Chinese by default: {body}"
    );
    assert!(body.contains("<title>常州市创新产品与应用场景库</title>"));

    // The figures are kept for a few seconds; a publication invalidates them.
    insert_organisation(&pool, "常州市智慧交通研究院", "12320400MB1XXXXX02", true).await;
    let body = app.get("/").await.text().await.unwrap();
    assert_eq!(
        figure(&body, "verified-organisations"),
        Some(1),
        "from the cache"
    );
    app.state.home_figures.invalidate();
    let body = app.get("/").await.text().await.unwrap();
    assert_eq!(
        figure(&body, "verified-organisations"),
        Some(2),
        "read again"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_home_page_is_english_with_the_language_cookie(pool: PgPool) {
    let app = spawn_app(pool).await;
    let body = app
        .client
        .get(app.url("/"))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains(r#"<html lang="en""#), "{body}");
    assert!(body.contains("Changzhou Innovation Products &amp; Application Scenarios"));
    assert_eq!(figure(&body, "verified-organisations"), Some(0));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_figures_server_function_answers_a_plain_get(pool: PgPool) {
    insert_organisation(
        &pool,
        "常州星辰智能装备有限公司",
        "91320411MA1XXXXX01",
        true,
    )
    .await;
    let app = spawn_app(pool).await;

    let response = app.get("/api/home/figures").await;
    assert_eq!(response.status(), 200);
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(json["verified_organisations"], 1);
    assert_eq!(json["published_scenarios"], 0);
}
