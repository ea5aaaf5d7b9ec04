use crate::helpers::spawn_app;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn an_unknown_path_is_a_real_404_page(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status(), 404);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let body = response.text().await.unwrap();
    assert!(body.contains(r#"data-testid="not-found""#), "{body}");
    assert!(body.contains("页面不存在"));
}

#[sqlx::test(migrations = "../migrations")]
async fn health_reports_the_database(pool: PgPool) {
    let app = spawn_app(pool).await;
    // As the server does at start-up: while the embedded index builds its copy, a search
    // may take more than the check's second, and `/healthz` rightly says `degraded`.
    app.state.search.prepare().await.unwrap();
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["database"], "ok");
    assert_eq!(
        json["search"]["lag"]["pending"], 0,
        "nothing waits for the index: {json}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_carry_a_nonce_policy_that_matches_their_scripts(pool: PgPool) {
    let app = spawn_app(pool).await;
    // The search page has an island, so scripts; the others carry the policy all the same.
    for path in ["/search", "/", "/no-such-page"] {
        let response = app.get(path).await;
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("no nonce in {policy}"))
            .to_owned();
        assert!(nonce.len() >= 16, "nonce too short: {nonce}");
        for directive in [
            "script-src 'self' 'nonce-",
            "'wasm-unsafe-eval'",
            "'unsafe-eval'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ] {
            assert!(
                policy.contains(directive),
                "{path}: {directive} missing from {policy}"
            );
        }
        assert!(!policy.contains("'unsafe-inline'"), "{policy}");

        let headers = response.headers().clone();
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(
            headers["referrer-policy"],
            "strict-origin-when-cross-origin"
        );
        assert_eq!(headers["x-frame-options"], "DENY");

        let body = response.text().await.unwrap();
        if path == "/search" {
            assert!(
                body.contains(&format!(r#"nonce="{nonce}""#)),
                "{path}: scripts lack the nonce"
            );
        }
        // Every inline script carries the nonce, or the browser would refuse it.
        assert_eq!(
            body.matches("<script").count(),
            body.matches(&format!(r#"nonce="{nonce}""#)).count(),
            "{path}: {body}"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_fresh_nonce_is_made_for_each_response(pool: PgPool) {
    let app = spawn_app(pool).await;
    let first = app.get("/").await.headers()["content-security-policy"].clone();
    let second = app.get("/").await.headers()["content-security-policy"].clone();
    assert_ne!(first, second);
}

#[sqlx::test(migrations = "../migrations")]
async fn responses_that_are_not_pages_get_the_strict_default_policy(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get("/healthz").await;
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_are_compressed_for_browsers_that_accept_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    for (accept, expected) in [("br", "br"), ("gzip", "gzip")] {
        let response = app
            .client
            .get(app.url("/"))
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-encoding"], expected);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn any_method_on_an_unknown_path_is_a_404_and_production_has_no_test_clock(pool: PgPool) {
    let app = spawn_app(pool).await;
    for path in ["/no-such-page", "/_test/clock"] {
        let post = app.client.post(app.url(path)).send().await.unwrap();
        assert_eq!(post.status(), 404, "POST {path}");
        assert_eq!(app.get(path).await.status(), 404, "GET {path}");
    }
}

/// Only pages with islands load the wasm bundle, and every page with an island loads it
/// (`app::app::PAGES_WITH_ISLANDS` must name each such page).
#[sqlx::test(migrations = "../migrations")]
async fn only_pages_with_islands_load_the_bundle(pool: PgPool) {
    use crate::fixtures::{organisation, product};
    let firm = organisation(
        &pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let product = product(
        &pool,
        firm,
        None,
        "工业机器人视觉检测系统",
        "intelligent_manufacturing",
        "published",
    )
    .await;
    let app = spawn_app(pool.clone()).await;
    let product_page = format!("/products/{product}");
    let organisation_page = format!("/organisations/{firm}");
    for path in [
        "/",
        &product_page,
        &organisation_page,
        "/products",
        "/scenarios",
        "/projects",
        "/organisations",
        "/search",
        "/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA&kind=product",
        "/no-such-page",
        "/products?industry=nonsense",
    ] {
        let body = app.get(path).await.text().await.unwrap();
        let has_island = body.contains("<leptos-island");
        let loads_bundle = body.contains(r#"rel="modulepreload""#) && body.contains("<script");
        assert_eq!(
            has_island, loads_bundle,
            "{path}: islands {has_island}, bundle {loads_bundle}"
        );
        assert_eq!(has_island, path.starts_with("/search"), "{path}");
    }
}

/// A query value is decoded once: `%2541` is the text `%41` (the router's own query map
/// decoded it twice, leptos-rs/leptos#4731, and searched for `A`).
#[sqlx::test(migrations = "../migrations")]
async fn query_values_are_decoded_exactly_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let body = app.get("/search?q=%2541+x").await.text().await.unwrap();
    assert!(body.contains(r#"value="%41 x""#), "{body}");
    assert!(
        body.contains(r#"{&quot;params&quot;:[[&quot;q&quot;,&quot;%41 x&quot;]]"#)
            || body.contains(r#"[["q","%41 x"]]"#),
        "the island's props carry the same text"
    );
}
