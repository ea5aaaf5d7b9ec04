//! The one limiter and the other limits, end to end on the real router: per-client budgets
//! with 429 and `Retry-After`, what spends nothing, whose `X-Forwarded-For` counts, the
//! export's own budget, the request timeout and the concurrency limit; and the parameters
//! every public server function checks.

use crate::helpers::{spawn_app_on, test_clock, TestApp};
use serde_json::Value;
use server::limits::{parse_proxies, LimitSettings};
use server::startup::RouterOptions;
use sqlx::PgPool;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

fn n(value: u32) -> NonZeroU32 {
    NonZeroU32::new(value).unwrap()
}

/// Production options with these limits; the rest as in every other test (none reached).
fn options(limits: LimitSettings) -> RouterOptions {
    RouterOptions {
        limits,
        ..RouterOptions::for_tests()
    }
}

/// A budget of `burst` requests at once, refilled by one a minute: however slowly a busy
/// machine runs the test, the budget does not come back during it.
fn tight(burst: u32, trusted_proxies: &str) -> LimitSettings {
    LimitSettings {
        refill_every: Duration::from_secs(60),
        burst: n(burst),
        trusted_proxies: parse_proxies(trusted_proxies).unwrap(),
        ..RouterOptions::for_tests().limits
    }
}

async fn spawn(pool: PgPool, limits: LimitSettings) -> TestApp {
    spawn_app_on(pool, test_clock(), None, options(limits)).await
}

async fn get_from(app: &TestApp, path: &str, forwarded_for: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.expect("request failed")
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response
        .headers()
        .get("retry-after")
        .expect("a 429 says when to come back")
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After in whole seconds")
}

#[sqlx::test(migrations = "../migrations")]
async fn past_its_burst_a_client_gets_429_with_retry_after(pool: PgPool) {
    let app = spawn(pool, tight(3, "")).await;
    for _ in 0..3 {
        let response = app.get("/lang/en?next=/").await;
        assert_eq!(response.status(), 303, "within the burst");
    }
    let page = app.get("/lang/en?next=/").await;
    assert_eq!(page.status(), 429);
    let wait = retry_after(&page);
    assert!(
        (50..=60).contains(&wait),
        "one request a minute comes back: {wait}"
    );
    assert_eq!(page.headers()["cache-control"], "no-store");
    let text = page.text().await.unwrap();
    assert!(text.contains("Too many requests"), "{text}");

    // The same budget covers the API, which answers in its own error format.
    let api = app.get("/api/v1/search").await;
    assert_eq!(api.status(), 429);
    assert!((50..=60).contains(&retry_after(&api)));
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited", "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_bundle_is_never_limited_and_health_checks_are(pool: PgPool) {
    let app = spawn(pool, tight(1, "")).await;
    std::fs::write(app.pkg_dir().join("catalogue.testjs.js"), "// bundle").unwrap();
    assert_eq!(app.get("/lang/en?next=/").await.status(), 303);
    assert_eq!(
        app.get("/lang/en?next=/").await.status(),
        429,
        "the budget is spent"
    );
    for _ in 0..5 {
        assert_eq!(app.get("/pkg/catalogue.testjs.js").await.status(), 200);
        assert_ne!(app.get("/favicon.svg").await.status(), 429);
    }
    // A health check queries the database and the search backend: one client may not
    // hammer it (a load balancer polls far below any budget).
    assert_eq!(app.get("/healthz").await.status(), 429);
    assert_eq!(app.get("/lang/en?next=/").await.status(), 429);
}

#[sqlx::test(migrations = "../migrations")]
async fn forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(pool: PgPool) {
    // No trusted proxy: whatever X-Forwarded-For says, the client is the connection's
    // address (127.0.0.1), so a new header does not buy a new budget.
    let direct = spawn(pool.clone(), tight(1, "")).await;
    let first = get_from(&direct, "/lang/en?next=/", Some("198.51.100.1")).await;
    assert_eq!(first.status(), 303);
    let spoofed = get_from(&direct, "/lang/en?next=/", Some("198.51.100.2")).await;
    assert_eq!(spoofed.status(), 429, "a forged header changes nothing");

    // Behind a trusted proxy (the test client connects from 127.0.0.1), each forwarded
    // address has its own budget.
    let proxied = spawn(pool, tight(1, "127.0.0.1")).await;
    let a = get_from(&proxied, "/lang/en?next=/", Some("198.51.100.1")).await;
    assert_eq!(a.status(), 303);
    let a_again = get_from(&proxied, "/lang/en?next=/", Some("198.51.100.1")).await;
    assert_eq!(
        a_again.status(),
        429,
        "the forwarded client's budget is spent"
    );
    let b = get_from(&proxied, "/lang/en?next=/", Some("198.51.100.2")).await;
    assert_eq!(b.status(), 303, "another client behind the proxy");
    // A client cannot pick its address by prepending one: the proxy appends the peer.
    let prepended = get_from(
        &proxied,
        "/lang/en?next=/",
        Some("203.0.113.50, 198.51.100.1"),
    )
    .await;
    assert_eq!(prepended.status(), 429);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_export_has_a_tighter_budget_of_its_own(pool: PgPool) {
    let app = spawn(
        pool,
        LimitSettings {
            exports_per_minute: n(1),
            ..RouterOptions::for_tests().limits
        },
    )
    .await;
    for round in 1..=3 {
        let export = app.get("/api/v1/search/export?q=robot").await;
        assert_eq!(
            export.status(),
            200,
            "export {round} is within the burst of 3"
        );
    }
    let fourth = app.get("/api/v1/search/export?q=robot").await;
    assert_eq!(fourth.status(), 429);
    let wait = retry_after(&fourth);
    assert!((1..=60).contains(&wait), "one export a minute: {wait}");
    let body: Value = fourth.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");

    // Searches spend only the general budget.
    for _ in 0..5 {
        assert_eq!(app.get("/api/v1/search?q=robot").await.status(), 200);
    }
}

/// Holds an exclusive lock on `table` so every query that reads it waits: a slow request
/// without a test-only route. Dropping the transaction releases it.
async fn lock(pool: &PgPool, table: &str) -> sqlx::Transaction<'static, sqlx::Postgres> {
    let mut transaction = pool.begin().await.unwrap();
    sqlx::query(&format!("LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
        .execute(&mut *transaction)
        .await
        .unwrap();
    transaction
}

#[sqlx::test(migrations = "../migrations")]
async fn a_request_that_takes_too_long_is_answered_503(pool: PgPool) {
    let app = spawn(
        pool.clone(),
        LimitSettings {
            request_timeout: Duration::from_millis(500),
            ..RouterOptions::for_tests().limits
        },
    )
    .await;
    let held = lock(&pool, "products").await;
    // Without the timeout these would wait for the lock, which goes only after them.
    let within = |request| async move {
        tokio::time::timeout(Duration::from_secs(10), request)
            .await
            .expect("answered at the request timeout, not when the lock went")
    };
    let page = within(app.get("/products")).await;
    assert_eq!(page.status(), 503);
    assert!(page.text().await.unwrap().contains("busy"));
    let api = within(app.get("/api/v1/products")).await;
    assert_eq!(api.status(), 503);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable", "{body}");
    held.rollback().await.unwrap();
    assert_eq!(app.get("/products").await.status(), 200);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_upload_over_a_slow_link_is_given_longer_than_a_page(pool: PgPool) {
    use futures_util::StreamExt;
    use reqwest::multipart::{Form, Part};
    let firm =
        crate::fixtures::organisation(&pool, "常州慢网科技有限公司", "enterprise", "320411", true)
            .await;
    let app = spawn(
        pool.clone(),
        LimitSettings {
            request_timeout: Duration::from_secs(3),
            upload_timeout: Duration::from_secs(30),
            ..RouterOptions::for_tests().limits
        },
    )
    .await;
    let staff = crate::workflow::member(&app, &pool, "staff@slow.example", firm, "{member}").await;
    let draft = crate::accounts::location(
        &staff
            .post(
                "/drafts",
                &[("kind", "product"), ("organisation", &firm.to_string())],
            )
            .await,
    );
    let (_, page) = staff.get(&draft).await;
    let token = crate::accounts::csrf_token(&page).unwrap();
    // A PDF arriving in four pieces 1.2 s apart: past a page's deadline, well within an
    // upload's.
    let pdf: &[u8] =
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let pieces: Vec<Vec<u8>> = pdf
        .chunks(pdf.len().div_ceil(4))
        .map(<[u8]>::to_vec)
        .collect();
    let slowly = futures_util::stream::iter(pieces).then(|piece| async move {
        tokio::time::sleep(Duration::from_millis(1200)).await;
        Ok::<_, std::io::Error>(piece)
    });
    let form = Form::new().text("csrf_token", token).part(
        "file",
        Part::stream(reqwest::Body::wrap_stream(slowly)).file_name("检测报告.pdf"),
    );
    let started = Instant::now();
    let response = staff
        .client
        .post(app.url(&format!("{draft}/attachments")))
        .header("origin", format!("http://{}", app.address))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(
        started.elapsed() > Duration::from_secs(3),
        "slower than a page may be"
    );
    assert_eq!(response.status(), 303, "the upload was not cut off");
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM attachments")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn past_the_concurrency_limit_requests_are_shed_with_503(pool: PgPool) {
    let app = spawn(
        pool.clone(),
        LimitSettings {
            max_concurrent: 1,
            request_timeout: Duration::from_secs(5),
            ..RouterOptions::for_tests().limits
        },
    )
    .await;
    let held = lock(&pool, "products").await;
    let slow = tokio::spawn({
        let (client, url) = (app.client.clone(), app.url("/api/v1/products"));
        async move { client.get(url).send().await.unwrap().status() }
    });
    // Until the slow request is in flight, the next one may still get through. The limit is
    // the whole site's: another route (the language switch) is shed too.
    let deadline = Instant::now() + Duration::from_secs(4);
    let shed = loop {
        let response = app.get("/lang/en?next=/").await;
        if response.status() == 503 || Instant::now() > deadline {
            break response;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(shed.status(), 503, "the one slot is taken");
    let also = app.get("/api/v1/organisations").await;
    assert_eq!(also.status(), 503);
    let body: Value = also.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable", "{body}");
    held.rollback().await.unwrap();
    assert_eq!(slow.await.unwrap(), 200);
    assert_eq!(app.get("/api/v1/organisations").await.status(), 200);
}

/// The server functions behind the lists and the search, called as the hydrated pages
/// call them (`GetUrl`: the argument struct as `name[field]=value` pairs).
const SERVER_FUNCTIONS: [(&str, &str); 5] = [
    (
        "/api/products/list",
        "filter[eligible]=false&filter[first_purchased]=false&filter[page]=",
    ),
    ("/api/scenarios/list", "filter[page]="),
    ("/api/projects/list", "filter[page]="),
    ("/api/organisations/list", "filter[page]="),
    ("/api/search", "query[page]="),
];

#[sqlx::test(migrations = "../migrations")]
async fn every_public_server_function_checks_its_page(pool: PgPool) {
    let app = spawn_app_on(pool, test_clock(), None, RouterOptions::for_tests()).await;
    for (endpoint, query) in SERVER_FUNCTIONS {
        let first = app.get(&format!("{endpoint}?{query}1")).await;
        assert_eq!(first.status(), 200, "{endpoint} page 1");
        for page in ["0", "99999"] {
            let response = app.get(&format!("{endpoint}?{query}{page}")).await;
            assert_eq!(response.status(), 400, "{endpoint} page {page}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(
                body,
                serde_json::json!({"kind": "invalid_parameter", "param": "page"}),
                "{endpoint} page {page}"
            );
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_server_function_names_the_argument_it_cannot_read(pool: PgPool) {
    let app = spawn_app_on(pool, test_clock(), None, RouterOptions::for_tests()).await;
    for (call, param) in [
        (
            "/api/products/list?filter[eligible]=false&filter[first_purchased]=false\
             &filter[page]=1&filter[industry]=steel",
            "industry",
        ),
        ("/api/products/list?filter[page]=1", "eligible"),
        (
            "/api/scenarios/list?filter[page]=1&filter[sector]=%E9%92%A2",
            "sector",
        ),
        ("/api/organisations/list?filter[page]=abc", "page"),
        ("/api/search?query[kind]=people", "kind"),
        ("/api/search?query[q]=%01", "q"),
        ("/api/products/get?id=abc", "id"),
    ] {
        let response = app.get(call).await;
        assert_eq!(response.status(), 400, "{call}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body,
            serde_json::json!({"kind": "invalid_parameter", "param": param}),
            "{call}"
        );
    }
}

#[test]
fn forwarded_addresses_may_carry_a_port_and_ipv6_clients_count_per_network() {
    use server::limits::Limiter;
    let limiter = Limiter::new(&tight(1, "10.0.0.0/8"));
    let proxy: std::net::SocketAddr = "10.0.0.2:5000".parse().unwrap();
    let mut headers = http::HeaderMap::new();
    headers.insert("x-forwarded-for", "198.51.100.7:4444".parse().unwrap());
    assert_eq!(
        limiter.client(Some(proxy), &headers),
        "198.51.100.7".parse::<std::net::IpAddr>().unwrap()
    );
    headers.insert("x-forwarded-for", "[2001:db8::7]:4444".parse().unwrap());
    assert_eq!(
        limiter.client(Some(proxy), &headers),
        "2001:db8::7".parse::<std::net::IpAddr>().unwrap()
    );
    // Two addresses of one /64 share a budget; another /64 has its own.
    let one: std::net::IpAddr = "2001:db8:1:2::1".parse().unwrap();
    let same_network: std::net::IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
    let other_network: std::net::IpAddr = "2001:db8:1:3::1".parse().unwrap();
    use server::limits::Budget;
    assert!(limiter.check(Budget::General, one).is_ok());
    assert!(limiter.check(Budget::General, same_network).is_err());
    assert!(limiter.check(Budget::General, other_network).is_ok());
}
