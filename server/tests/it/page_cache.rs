//! Catalogue pages for anonymous readers are rendered once per change of the catalogue
//! (`server::page_cache`): kept until a table they show is written (on this server at
//! once, on another as soon as Postgres notifies it) or the day turns, each answer with a
//! nonce of its own; signed-in readers, other languages and other pages are not served
//! from it.

use crate::fixtures::*;
use crate::helpers::{spawn_app_on, TestApp};
use chrono::TimeDelta;
use server::startup::RouterOptions;
use sqlx::PgPool;
use std::time::Duration;

/// Tables no anonymous page shows, which notify nothing; every other table must. (`users`
/// notifies only when accounts come or go: the demo's home page shows the demo accounts.)
const PRIVATE: [&str; 16] = [
    "account_tokens",
    // Read only by the API's `/removals`, never by a page; every row comes with a change
    // of a record or organisation whose own table notifies.
    "api_removals",
    "audit_log",
    "call_reviewers",
    "drafts",
    "join_requests",
    "mail_outbox",
    "memberships",
    "notifications",
    "platform_roles",
    "recovery_codes",
    "review_scores",
    "reviews",
    "scheduler_steps",
    "second_factors",
    "sign_ins",
];

#[sqlx::test(migrations = "../migrations")]
async fn every_table_is_classified(pool: PgPool) {
    let unclassified: Vec<String> = sqlx::query_scalar(
        "SELECT t.tablename::text FROM pg_tables t
         WHERE t.schemaname = 'public' AND t.tablename NOT LIKE '\\_sqlx%'
           AND NOT t.tablename = ANY($1)
           AND NOT EXISTS (SELECT 1 FROM pg_trigger g
                           WHERE g.tgrelid = ('public.' || t.tablename)::regclass
                             AND g.tgname = t.tablename || '_catalogue_changed')
         ORDER BY 1",
    )
    .bind(PRIVATE)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        unclassified,
        Vec::<String>::new(),
        "tables neither notifying `catalogue_changed` nor listed as private"
    );
}

async fn cached_app(pool: &PgPool) -> (TestApp, app::clock::Clock) {
    let clock = crate::helpers::test_clock();
    let app = spawn_app_on(
        pool.clone(),
        clock.clone(),
        None,
        RouterOptions {
            cache_pages: true,
            ..RouterOptions::for_tests()
        },
    )
    .await;
    (app, clock)
}

/// A plain anonymous GET (no cookie jar): status, policy nonce, body.
async fn read(app: &TestApp, path: &str, cookie: Option<&str>) -> (u16, String, String) {
    let mut request = reqwest::Client::new().get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_default()
        .to_owned();
    (status, nonce, response.text().await.unwrap())
}

/// Runs `statement` (binding `id`) without any trigger firing, as if no server could know.
async fn unnoticed(pool: &PgPool, statement: &str, id: i64) {
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("SET LOCAL session_replication_role = replica")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(statement)
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// The product's name in the database.
async fn name(pool: &PgPool, id: i64) -> String {
    sqlx::query_scalar("SELECT name FROM products WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Waits until the server keeps the product's page (it starts listening for changes
/// shortly after it starts): read, renamed behind its back, read again, the same name.
/// Leaves the database with a name the kept page does not show.
async fn until_kept(app: &TestApp, path: &str, id: i64) {
    for _ in 0..100 {
        read(app, path, None).await;
        unnoticed(
            &app.state.pool,
            "UPDATE products SET name = name || '改' WHERE id = $1",
            id,
        )
        .await;
        let (_, _, after) = read(app, path, None).await;
        if !after.contains(&name(&app.state.pool, id).await) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the server never started keeping pages");
}

/// A listed product whose page the server (with its cache on) keeps, and that page's path.
async fn kept_product(pool: &PgPool) -> (TestApp, app::clock::Clock, i64, String) {
    let firm = organisation(
        pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let id = product(
        pool,
        firm,
        None,
        "工业机器人",
        "intelligent_manufacturing",
        "published",
    )
    .await;
    index_all(pool).await;
    let (app, clock) = cached_app(pool).await;
    let path = format!("/products/{id}");
    until_kept(&app, &path, id).await;
    (app, clock, id, path)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_page_is_kept_until_the_catalogue_changes_with_a_nonce_per_answer(pool: PgPool) {
    let (app, _, id, path) = kept_product(&pool).await;
    let renamed = name(&pool, id).await;

    // Kept: each answer has its own nonce, the same in its policy and its scripts.
    let (status, one, first) = read(&app, &path, None).await;
    let (_, two, second) = read(&app, &path, None).await;
    assert_eq!(status, 200);
    assert!(!first.contains(&renamed));
    assert_ne!(one, two);
    assert!(first.contains(&format!("nonce=\"{one}\"")), "{first}");
    assert!(second.contains(&format!("nonce=\"{two}\"")) && !second.contains(&one));
    assert_eq!(first.replace(&one, ""), second.replace(&two, ""));

    // Readers with a session and readers of another language take the usual path.
    let (_, _, with_session) = read(&app, &path, Some("catalogue_session=abc")).await;
    assert!(with_session.contains(&renamed), "rendered for a session");
    let (_, _, english) = read(&app, &path, Some("lang=en")).await;
    assert!(english.contains(r#"lang="en""#), "{english}");

    // A refused request changed nothing, and empties nothing.
    let refused = reqwest::Client::new()
        .post(app.url("/api/v1/search"))
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_client_error());
    assert!(
        !read(&app, &path, None).await.2.contains(&renamed),
        "still kept"
    );
    // A write on this server shows on the next request, whatever it wrote (here a
    // password-reset request, which always succeeds).
    let write = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/reset"))
        .header("origin", format!("http://{}", app.address))
        .form(&[("email", "nobody@example.cn")])
        .send()
        .await
        .unwrap();
    assert!(write.status().is_redirection(), "{}", write.status());
    assert!(
        read(&app, &path, None).await.2.contains(&renamed),
        "fresh after a write"
    );

    // A write elsewhere shows as soon as Postgres notifies it.
    until_kept(&app, &path, id).await;
    sqlx::query("UPDATE products SET name = '协作机器人' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    for _ in 0..100 {
        if read(&app, &path, None).await.2.contains("协作机器人") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the notified change never showed");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_kept_page_lasts_the_day_only(pool: PgPool) {
    let (app, clock, id, path) = kept_product(&pool).await;
    let renamed = name(&pool, id).await;
    assert!(!read(&app, &path, None).await.2.contains(&renamed));
    clock.advance(TimeDelta::days(1)).unwrap();
    assert!(
        read(&app, &path, None).await.2.contains(&renamed),
        "rendered again the next day"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_search_page_is_never_kept(pool: PgPool) {
    let (app, _, id, _) = kept_product(&pool).await;
    // Partners' indexes change without this database knowing: search is rendered for
    // each request, and so shows a change no server was told about.
    let path = "/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA";
    let (_, _, before) = read(&app, path, None).await;
    // (The matched word is marked: 工业<mark>机器人</mark>.)
    assert!(
        before.contains("工业<mark>") && !before.contains("六轴"),
        "{before}"
    );
    unnoticed(
        &pool,
        "UPDATE search_documents SET title = '六轴机器人',
                revision = nextval('search_documents_revision')
         WHERE kind = 'product' AND id = $1",
        id,
    )
    .await;
    let (_, _, after) = read(&app, path, None).await;
    assert!(after.contains("六轴<mark>"), "{after}");
}

/// Polls `path` until its page contains `text` (2 s at most).
async fn until_shown(app: &TestApp, path: &str, text: &str) -> bool {
    for _ in 0..100 {
        if read(app, path, None).await.2.contains(text) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

/// Publishes "协作机器人" from the supplier of the product `id`, and indexes it.
async fn publish_second_product(pool: &PgPool, id: i64) {
    let firm: i64 = sqlx::query_scalar("SELECT organisation_id FROM products WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap();
    product(
        pool,
        firm,
        None,
        "协作机器人",
        "intelligent_manufacturing",
        "published",
    )
    .await;
    index_all(pool).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_page_rendered_after_a_change_reads_no_figures_kept_from_before(pool: PgPool) {
    let (app, _, id, _) = kept_product(&pool).await;
    let home = read(&app, "/", None).await.2;
    assert_eq!(crate::helpers::figure(&home, "published-products"), Some(1));
    // Published and indexed: the home page's figures (kept a few seconds on their own)
    // must not carry the old count into the new generation's page.
    publish_second_product(&pool, id).await;
    assert!(
        until_shown(&app, "/", "协作机器人").await,
        "the new product never reached the home page"
    );
    let home = read(&app, "/", None).await.2;
    assert_eq!(crate::helpers::figure(&home, "published-products"), Some(2));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_page_of_one_language_is_never_kept_under_another(pool: PgPool) {
    let (app, _, _, _) = kept_product(&pool).await;
    // Two `Cookie` headers: the rendering reads one, a cache might key by the other.
    let response = reqwest::Client::new()
        .get(app.url("/products"))
        .header("cookie", "lang=en")
        .header("cookie", "lang=zh-CN")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let plain = read(&app, "/products", None).await.2;
    assert!(plain.contains(r#"<html lang="zh-CN""#), "{plain}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_list_rendered_while_the_index_catches_up_is_rendered_again_once_it_has(pool: PgPool) {
    let (app, _, id, _) = kept_product(&pool).await;
    assert!(read(&app, "/products", None).await.2.contains("工业机器人"));
    // Far behind (a reindex's worth of revisions): the list answers from the copy as it
    // is while it catches up in the background, after the last notification.
    sqlx::query(
        "SELECT setval('search_documents_revision', nextval('search_documents_revision') + 5000)",
    )
    .execute(&pool)
    .await
    .unwrap();
    publish_second_product(&pool, id).await;
    assert!(
        until_shown(&app, "/products", "协作机器人").await,
        "the list kept from the copy before it caught up was never rendered again"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_home_page_shows_demo_accounts_added_by_another_process(pool: PgPool) {
    use app::accounts::demo::DEMO_PASSWORD;
    let (app, _, _, _) = kept_product(&pool).await;
    assert!(!read(&app, "/", None).await.2.contains(DEMO_PASSWORD));
    // As `catalogue seed --demo-accounts` run beside the server would.
    sqlx::query(
        "INSERT INTO users (email, display_name, email_confirmed_at, is_demo)
         VALUES ('buyer@demo.example', '演示采购人', now(), true)",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert!(
        until_shown(&app, "/", DEMO_PASSWORD).await,
        "the home page kept from before the demo accounts never showed them"
    );
}

/// The awarded first purchases an organisation card on the signed-in `/organisations`
/// shows (its traction line), 0 without one.
async fn awarded_on_card(app: &TestApp) -> u32 {
    // Any session cookie takes the path around the kept pages: rendered each time.
    let page = read(app, "/organisations", Some("catalogue_session=reader"))
        .await
        .2;
    page.split("data-awarded=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map_or(0, |n| n.parse().unwrap())
}

#[sqlx::test(migrations = "../migrations")]
async fn organisations_traction_is_kept_until_the_catalogue_changes(pool: PgPool) {
    // The buyer first: its insertion is a change, which must be heard of before the
    // figures are first read.
    let buyer = organisation(
        &pool,
        "常州市第一人民医院",
        "public_institution",
        "320402",
        true,
    )
    .await;
    let (app, _, id, _) = kept_product(&pool).await;
    let firm: i64 = sqlx::query_scalar("SELECT organisation_id FROM products WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    let first_read = std::time::Instant::now();
    assert_eq!(awarded_on_card(&app).await, 0);
    // Written where no server can hear of it: the kept figure stands (it is kept).
    // Signed on the test clock's yesterday, never the database's `current_date`.
    let insert = format!(
        "INSERT INTO first_purchases (product_id, product_revision, buyer_organisation_id,
             supplier_organisation_id, route, contract_number, signed_on, amount_fen, outcome)
         SELECT p.id, 1, b.id, p.organisation_id, 'first_purchase', 'CZCG-UNNOTICED',
                DATE '{}', 12000000, 'awarded'
         FROM products p, organisations b
         WHERE p.id = $1 AND b.name = '常州市第一人民医院'",
        day(-1)
    );
    unnoticed(&pool, &insert, id).await;
    assert_eq!(
        awarded_on_card(&app).await,
        0,
        "kept until a change is heard of"
    );
    // A change the server hears of: the next rendering reads the figures again.
    first_purchase(&pool, id, buyer, firm, "awarded", -1).await;
    // Well within the time a figure may be kept at most (5 s from its reading), so that
    // only hearing of the change can bring it.
    let deadline = first_read + Duration::from_secs(3);
    let mut awarded = 0;
    while std::time::Instant::now() < deadline {
        awarded = awarded_on_card(&app).await;
        if awarded == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        awarded, 2,
        "both first purchases once the change is heard of"
    );
}
