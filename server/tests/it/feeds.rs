//! The Atom feeds (`/feeds/*.atom`): valid Atom that feed readers can parse, the newest
//! listed records first and nothing unlisted, the search feed following the search's
//! parameters, entity tags for polling, and the pages that name them.

use crate::fixtures::*;
use crate::helpers::{spawn_app, TestApp};
use atom_syndication::Feed;
use sqlx::PgPool;

/// The feed at `path`, parsed as Atom, after checking its media type.
async fn feed(app: &TestApp, path: &str) -> Feed {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let media_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        media_type.starts_with("application/atom+xml"),
        "{media_type}"
    );
    let body = response.bytes().await.unwrap();
    // A strict XML 1.0 parser: atom_syndication's reader lets forbidden characters pass.
    let text = std::str::from_utf8(&body).unwrap();
    if let Err(error) = roxmltree::Document::parse(text) {
        panic!("{path} is not well-formed XML: {error}");
    }
    Feed::read_from(&body[..]).unwrap_or_else(|error| panic!("{path} is not Atom: {error}"))
}

/// The record paths of a feed's entries, in order (`/products/12`).
fn paths(feed: &Feed) -> Vec<String> {
    feed.entries()
        .iter()
        .map(|entry| url::Url::parse(entry.id()).unwrap().path().to_owned())
        .collect()
}

async fn published_at(pool: &PgPool, table: &str, id: i64, days: i64) {
    sqlx::query(&format!(
        "UPDATE {table} SET published_at = $2 WHERE id = $1"
    ))
    .bind(id)
    .bind(at(days))
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn record_feeds_hold_the_newest_listed_records_first_and_nothing_unlisted(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let hidden = organisation(&pool, "未核验公司", "enterprise", "320412", false).await;
    let older = product(
        &pool,
        firm,
        None,
        "石墨烯导热膜",
        "new_materials",
        "published",
    )
    .await;
    published_at(&pool, "products", older, -20).await;
    let newer = product(
        &pool,
        firm,
        None,
        "工业视觉检测仪",
        "new_energy",
        "published",
    )
    .await;
    published_at(&pool, "products", newer, -2).await;
    // Characters XML forbids, as a submission may carry them: left out of the feed.
    let garbled = product(
        &pool,
        firm,
        None,
        "控制\u{1}字符\u{1b}",
        "new_materials",
        "published",
    )
    .await;
    published_at(&pool, "products", garbled, -10).await;
    sqlx::query("UPDATE products SET description = '说明\u{b}\u{FFFE}完' WHERE id = $1")
        .bind(garbled)
        .execute(&pool)
        .await
        .unwrap();
    let mut unlisted = Vec::new();
    for status in ["draft", "in_review", "withdrawn", "expired"] {
        unlisted.push(product(&pool, firm, None, "不该出现", "new_materials", status).await);
    }
    unlisted.push(
        product(
            &pool,
            hidden,
            None,
            "不该出现",
            "new_materials",
            "published",
        )
        .await,
    );
    let scenario_listed = scenario(
        &pool,
        firm,
        "园区无人巡检",
        "smart_manufacturing",
        "published",
    )
    .await;
    scenario(&pool, firm, "草稿场景", "smart_manufacturing", "draft").await;
    let project_listed = project(&pool, firm, "储能项目", "seed", "published", false).await;
    project(&pool, firm, "审核中项目", "seed", "in_review", false).await;
    let app = spawn_app(pool).await;

    let products = feed(&app, "/feeds/products.atom").await;
    assert_eq!(
        paths(&products),
        vec![
            format!("/products/{newer}"),
            format!("/products/{garbled}"),
            format!("/products/{older}")
        ],
        "newest first, only listed products"
    );
    assert_eq!(products.lang(), Some("zh-CN"));
    assert!(products.title().as_str().contains("创新产品"));
    let self_link = products
        .links()
        .iter()
        .find(|link| link.rel() == "self")
        .unwrap();
    assert!(self_link.href().ends_with("/feeds/products.atom"));
    let entry = &products.entries()[0];
    assert_eq!(entry.title().as_str(), "工业视觉检测仪");
    assert_eq!(entry.authors()[0].name(), "常州示例科技有限公司");
    assert_eq!(entry.categories()[0].term(), "new_energy");
    assert_eq!(entry.links()[0].rel(), "alternate");
    assert_eq!(entry.links()[0].href(), entry.id());
    assert_eq!(entry.published().unwrap().to_utc(), at(-2));
    assert!(entry.summary().unwrap().as_str().contains("工业视觉检测仪"));
    assert_eq!(products.entries()[1].title().as_str(), "控制字符");
    assert_eq!(products.entries()[1].summary().unwrap().as_str(), "说明完");

    assert_eq!(
        paths(&feed(&app, "/feeds/scenarios.atom").await),
        vec![format!("/scenarios/{scenario_listed}")]
    );
    let projects = feed(&app, "/feeds/projects.atom").await;
    assert_eq!(
        paths(&projects),
        vec![format!("/projects/{project_listed}")]
    );
    assert!(
        !projects.to_string().contains("13900001111"),
        "a project's contact never reaches a feed"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_polling_reader_gets_304_while_the_feed_is_unchanged(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    product(
        &pool,
        firm,
        None,
        "石墨烯导热膜",
        "new_materials",
        "published",
    )
    .await;
    let app = spawn_app(pool.clone()).await;
    let first = app.get("/feeds/products.atom").await;
    let tag = first.headers()["etag"].to_str().unwrap().to_owned();
    let again = app
        .client
        .get(app.url("/feeds/products.atom"))
        .header("if-none-match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    product(
        &pool,
        firm,
        None,
        "工业视觉检测仪",
        "new_energy",
        "published",
    )
    .await;
    let changed = app
        .client
        .get(app.url("/feeds/products.atom"))
        .header("if-none-match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200, "a new product changes the feed");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_notices_feed_holds_what_is_in_public_notice_now(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let mut notices = Vec::new();
    for (until, state) in [(5, "in_notice"), (-1, "in_notice"), (5, "in_review")] {
        let record = product(
            &pool,
            firm,
            None,
            "公示中的产品",
            "new_materials",
            "in_notice",
        )
        .await;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO submissions (record_kind, record_id, organisation_id, purpose,
                                      snapshot, state, required_reviews, submitted_at, notice_until)
             VALUES ('product', $1, $2, 'listing', '{\"name\": \"公示中的产品\"}',
                     $3::submission_state, 1, $4, $5)
             RETURNING id",
        )
        .bind(record)
        .bind(firm)
        .bind(state)
        .bind(at(-10))
        .bind(day(until))
        .fetch_one(&pool)
        .await
        .unwrap();
        notices.push(id);
    }
    let app = spawn_app(pool).await;
    let feed = feed(&app, "/feeds/notices.atom").await;
    assert_eq!(paths(&feed), vec![format!("/notices/{}", notices[0])]);
    let entry = &feed.entries()[0];
    assert!(entry.title().as_str().contains("公示中的产品"));
    assert!(
        entry
            .summary()
            .unwrap()
            .as_str()
            .contains(&day(5).to_string()),
        "the summary gives the day objections close"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_search_feed_follows_the_search_and_its_pages_name_it(pool: PgPool) {
    let firm = organisation(
        &pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let older = product(
        &pool,
        firm,
        None,
        "工业机器人视觉检测系统",
        "intelligent_manufacturing",
        "published",
    )
    .await;
    published_at(&pool, "products", older, -30).await;
    let newer = product(
        &pool,
        firm,
        None,
        "协作机器人",
        "intelligent_manufacturing",
        "published",
    )
    .await;
    product(
        &pool,
        firm,
        None,
        "石墨烯导热膜",
        "new_materials",
        "published",
    )
    .await;
    product(
        &pool,
        firm,
        None,
        "机器人草稿产品",
        "intelligent_manufacturing",
        "draft",
    )
    .await;
    index_all(&pool).await;
    let app = spawn_app(pool).await;

    let query = "q=%E6%9C%BA%E5%99%A8%E4%BA%BA&kind=product";
    let found = feed(&app, &format!("/feeds/search.atom?{query}")).await;
    assert_eq!(
        paths(&found),
        vec![format!("/products/{newer}"), format!("/products/{older}")],
        "the search's hits, newest first, never a draft"
    );
    assert!(found.title().as_str().contains("机器人"));
    let self_link = found
        .links()
        .iter()
        .find(|link| link.rel() == "self")
        .unwrap();
    assert!(
        self_link
            .href()
            .ends_with(&format!("/feeds/search.atom?{query}")),
        "{}",
        self_link.href()
    );
    let page = found
        .links()
        .iter()
        .find(|link| link.rel() == "alternate")
        .unwrap();
    assert!(page.href().ends_with(&format!("/search?{query}")));

    let refused = app.get("/feeds/search.atom?kind=bogus").await;
    assert_eq!(refused.status(), 400);
    assert!(
        refused.text().await.unwrap().contains("kind"),
        "the error names the parameter"
    );
    // Strict like the API: unknown and repeated parameters are refused by name.
    for (path, words) in [
        (
            "/feeds/products.atom?industry=new_materials",
            "未知参数 industry",
        ),
        ("/feeds/notices.atom?x=1", "未知参数 x"),
        ("/feeds/search.atom?q=a&kidn=product", "未知参数 kidn"),
        (
            "/feeds/search.atom?kind=product&kind=scenario",
            "参数 kind 重复出现",
        ),
    ] {
        let refused = app.get(path).await;
        assert_eq!(refused.status(), 400, "{path}");
        let text = refused.text().await.unwrap();
        assert!(text.contains(words), "{path}: {text}");
    }
    // The search page's order and page are the search's parameters: taken and ignored.
    feed(
        &app,
        &format!("/feeds/search.atom?{query}&sort=newest&page=2"),
    )
    .await;

    // The page names its feed, which keeps the search but not its order, page or
    // foreign parameters.
    let link = format!(
        r#"<link rel="alternate" type="application/atom+xml" href="/feeds/search.atom?{}""#,
        query.replace('&', "&amp;")
    );
    for page in [
        format!("/search?{query}"),
        format!("/search?{query}&sort=newest&page=1&utm_source=mail"),
    ] {
        let html = app.get(&page).await.text().await.unwrap();
        assert!(html.contains(&link), "{page}: {html}");
    }
    let list_page = app
        .get("/products?industry=new_materials")
        .await
        .text()
        .await
        .unwrap();
    assert!(list_page.contains(
        r#"<link rel="alternate" type="application/atom+xml" href="/feeds/products.atom""#
    ));
    let detail_page = app
        .get(&format!("/products/{newer}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!detail_page.contains("application/atom+xml"));
}
