//! `PUBLIC_URL`: canonical links are built on it (never on the request's `Host`), and an
//! https origin makes the language cookie `Secure` and turns HSTS on. Stored links become
//! links only when they are http(s).

use crate::fixtures::*;
use crate::helpers::{spawn_app_at, test_clock, TestApp};
use app::state::Site;
use server::startup::RouterOptions;
use sqlx::PgPool;

async fn spawn_at(pool: PgPool, public_url: &str) -> TestApp {
    let site = Site {
        public_url: public_url.to_owned(),
        ..Site::local()
    };
    spawn_app_at(pool, test_clock(), None, RouterOptions::for_tests(), site).await
}

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "{path}: {body}");
    body
}

fn canonical(body: &str) -> Option<&str> {
    let start = body.find(r#"<link rel="canonical" href=""#)? + 28;
    let end = start + body[start..].find('"')?;
    Some(&body[start..end])
}

#[sqlx::test(migrations = "../migrations")]
async fn every_page_names_its_address_on_the_public_origin(pool: PgPool) {
    let app = spawn_at(pool, "https://kjcx.example.cn").await;
    for (path, expected) in [
        ("/", "https://kjcx.example.cn/"),
        ("/products", "https://kjcx.example.cn/products"),
        (
            "/products?industry=new_materials&page=1",
            "https://kjcx.example.cn/products?industry=new_materials&amp;page=1",
        ),
        ("/scenarios", "https://kjcx.example.cn/scenarios"),
        ("/projects", "https://kjcx.example.cn/projects"),
        ("/organisations", "https://kjcx.example.cn/organisations"),
        (
            "/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA",
            "https://kjcx.example.cn/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA",
        ),
    ] {
        let body = page(&app, path).await;
        assert_eq!(canonical(&body), Some(expected), "{path}");
        assert_eq!(
            body.matches(r#"rel="canonical""#).count(),
            1,
            "one canonical link on {path}"
        );
    }
    // Not from the Host header the request came with.
    let spoofed = app
        .client
        .get(app.url("/products"))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        canonical(&spoofed),
        Some("https://kjcx.example.cn/products")
    );
    // The 404 page has one too, and the language switch still comes back to the page.
    let missing = app.get("/nothing-here").await;
    assert_eq!(missing.status(), 404);
    let missing = missing.text().await.unwrap();
    assert_eq!(
        canonical(&missing),
        Some("https://kjcx.example.cn/nothing-here")
    );
    let products = page(&app, "/products?page=1").await;
    assert!(
        products.contains(r#"href="/lang/en?next=/products%3Fpage%3D1""#),
        "{products}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_https_site_sends_hsts_and_a_secure_language_cookie(pool: PgPool) {
    let app = spawn_at(pool, "https://kjcx.example.cn").await;
    let home = app.get("/").await;
    assert_eq!(
        home.headers()["strict-transport-security"],
        "max-age=63072000"
    );
    let api = app.get("/api/v1/search").await;
    assert!(api.headers().contains_key("strict-transport-security"));
    let switch = app.get("/lang/en?next=/").await;
    assert_eq!(switch.status(), 303);
    assert!(switch.headers().contains_key("strict-transport-security"));
    let cookie = switch.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    assert!(cookie.ends_with("; Secure"), "{cookie}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_plain_http_site_sends_neither(pool: PgPool) {
    let app = spawn_at(pool, "http://127.0.0.1:3000").await;
    let home = app.get("/").await;
    assert!(!home.headers().contains_key("strict-transport-security"));
    let body = home.text().await.unwrap();
    assert_eq!(canonical(&body), Some("http://127.0.0.1:3000/"));
    let switch = app.get("/lang/en?next=/").await;
    assert!(!switch.headers().contains_key("strict-transport-security"));
    let cookie = switch.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    assert!(
        !cookie.to_ascii_lowercase().contains("secure"),
        "a Secure cookie would never come back over http: {cookie}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stored_link_is_a_link_only_when_it_is_http(pool: PgPool) {
    let supplier = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let buyer = organisation(
        &pool,
        "常州市第一人民医院",
        "public_institution",
        "320402",
        true,
    )
    .await;
    let product = product(
        &pool,
        supplier,
        None,
        "示例产品",
        "new_materials",
        "published",
    )
    .await;
    first_purchase(&pool, product, buyer, supplier, "awarded", -30).await;
    first_purchase(&pool, product, buyer, supplier, "cancelled", -60).await;
    // Two records of the same product: one with a script for a link, one with a real notice.
    sqlx::query(
        "UPDATE first_purchases
            SET notice_url = CASE outcome WHEN 'awarded' THEN 'javascript:alert(1)'
                                          ELSE 'https://www.ccgp.gov.cn/cggg/t20261120_1.htm' END
          WHERE product_id = $1",
    )
    .bind(product)
    .execute(&pool)
    .await
    .unwrap();
    let app = spawn_at(pool, "http://127.0.0.1:3000").await;
    let body = page(&app, &format!("/products/{product}")).await;
    assert!(
        !body.contains("javascript:"),
        "neither as a link nor in the page's data"
    );
    assert!(
        body.contains(r#"href="https://www.ccgp.gov.cn/cggg/t20261120_1.htm""#),
        "{body}"
    );
    assert!(
        body.contains(&format!("CZCG-TEST-{product}")),
        "the contract number is still shown, as text"
    );
}

/// The footer shows the configured filing numbers on every page, each linked where it is
/// looked up, and nothing when none is configured.
#[sqlx::test(migrations = "../migrations")]
async fn the_footer_shows_the_configured_filing_numbers(pool: PgPool) {
    let site = Site {
        filings: app::state::Filings {
            icp: Some("苏ICP备12345678号-1".to_owned()),
            public_security: Some("苏公网安备32040202000001号".to_owned()),
            site_identifier: Some("3204000001".to_owned()),
        },
        ..Site::local()
    };
    let app = spawn_app_at(
        pool.clone(),
        test_clock(),
        None,
        RouterOptions::for_tests(),
        site,
    )
    .await;
    for path in ["/", "/products", "/search", "/no-such-page"] {
        let body = app.get(path).await.text().await.unwrap();
        assert!(
            body.contains(r#"<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer" target="_blank">苏ICP备12345678号-1</a>"#),
            "{path}: {body}"
        );
        assert!(
            body.contains(
                r#"href="https://beian.mps.gov.cn/#/query/webSearch?code=32040202000001""#
            ),
            "{path}"
        );
        assert!(body.contains("网站标识码 3204000001"), "{path}");
    }
    let plain = spawn_at(pool, "http://127.0.0.1:3000").await;
    let body = page(&plain, "/").await;
    assert!(
        !body.contains("site-filings"),
        "nothing configured, nothing shown"
    );
}
