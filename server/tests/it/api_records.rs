//! The API's records (`/api/v1/{kind}`, `/api/v1/{kind}/{id}`, `/notices`, `/removals`):
//! their own shapes, who sees what, filters, following changes so a mirror stays exact,
//! and `Last-Modified` with `If-Modified-Since`.

use crate::fixtures::*;
use crate::helpers::{spawn_app, test_clock, TestApp};
use app::domain::{OrganisationId, ProductId};
use app::publication::{self, Subject};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;
use sqlx::PgPool;

async fn json(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {page}"))
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

/// `at` as a query value (RFC 3339 in UTC, `Z`: nothing to escape).
fn query_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Sets when a record (and its organisation) last changed, so a test knows every time.
async fn changed(pool: &PgPool, table: &str, id: i64, at: DateTime<Utc>) {
    sqlx::query(&format!("UPDATE {table} SET updated_at = $2 WHERE id = $1"))
        .bind(id)
        .bind(at)
        .execute(pool)
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn each_kind_answers_in_its_own_shape_with_only_what_is_public(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let hidden = organisation(&pool, "未核验公司", "enterprise", "320412", false).await;
    let batch_id = batch(&pool, agency, "CZ-2026-P01", -30, 300).await;
    let published = product(
        &pool,
        firm,
        Some(batch_id),
        "工业视觉检测仪",
        "new_materials",
        "published",
    )
    .await;
    sqlx::query(
        "INSERT INTO product_listings (product_id, call_id, listed_at) VALUES ($1, $2, $3)",
    )
    .bind(published)
    .bind(batch_id)
    .bind(at(-1))
    .execute(&pool)
    .await
    .unwrap();
    let other = product(
        &pool,
        firm,
        None,
        "储能电池管理系统",
        "new_energy",
        "published",
    )
    .await;
    let withdrawn = product(
        &pool,
        firm,
        None,
        "已撤回的产品",
        "new_materials",
        "withdrawn",
    )
    .await;
    let noticed = product(
        &pool,
        firm,
        None,
        "公示中的产品",
        "new_materials",
        "in_notice",
    )
    .await;
    let draft = product(&pool, firm, None, "草稿产品", "new_materials", "draft").await;
    let reviewed = product(
        &pool,
        firm,
        None,
        "审核中的产品",
        "new_materials",
        "in_review",
    )
    .await;
    let unverified = product(
        &pool,
        hidden,
        None,
        "未核验的产品",
        "new_materials",
        "published",
    )
    .await;
    first_purchase(&pool, published, agency, firm, "awarded", -3).await;
    let scene = scenario(&pool, agency, "园区数据中台建设", "digital", "published").await;
    let scene_draft = scenario(&pool, agency, "草稿场景", "digital", "draft").await;
    let project_id = project(&pool, firm, "智能焊接机器人", "angel", "published", true).await;
    let app = spawn_app(pool.clone()).await;

    let products = json(&app, "/api/v1/products").await;
    assert_eq!(ids(&products), vec![published, other]);
    let first = &products["items"][0];
    assert_eq!(first["status"], "published");
    assert_eq!(first["name"], "工业视觉检测仪");
    assert_eq!(first["industry"], "new_materials");
    assert_eq!(first["price_min_fen"], 5_000_000);
    assert_eq!(first["organisation"]["id"], firm);
    assert_eq!(first["organisation"]["name"], "常州示例科技有限公司");
    assert_eq!(first["batch"]["code"], "CZ-2026-P01");
    assert_eq!(first["first_purchased_on"], day(-3).to_string());
    assert!(
        first["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/products/{published}")),
        "{first}"
    );
    // The API's own type, not the search index's document.
    for field in ["title", "body", "eligible", "category"] {
        assert!(
            first.get(field).is_none(),
            "{field} leaked from the index: {first}"
        );
    }
    for (text, kind) in [
        ("草稿", "draft"),
        ("审核中", "in review"),
        ("未核验", "unverified"),
    ] {
        assert!(
            !products.to_string().contains(text),
            "a {kind} record is listed"
        );
    }

    // Items: every public page's record, with its status; the rest is missing.
    assert_eq!(
        json(&app, &format!("/api/v1/products/{withdrawn}")).await["status"],
        "withdrawn"
    );
    assert_eq!(
        json(&app, &format!("/api/v1/products/{noticed}")).await["status"],
        "in_notice"
    );
    for path in [
        format!("/api/v1/products/{draft}"),
        format!("/api/v1/products/{reviewed}"),
        format!("/api/v1/products/{unverified}"),
        format!("/api/v1/scenarios/{scene_draft}"),
        format!("/api/v1/organisations/{hidden}"),
        "/api/v1/products/999999".to_owned(),
        "/api/v1/products/abc".to_owned(),
        "/api/v1/products/-1".to_owned(),
        "/api/v1/things".to_owned(),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 404, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found", "{path}: {body}");
    }

    let scenarios = json(&app, "/api/v1/scenarios").await;
    assert_eq!(ids(&scenarios), vec![scene]);
    assert_eq!(scenarios["items"][0]["sector"], "digital");
    assert!(
        !scenarios.to_string().contains("0519-85681234"),
        "no contact: {scenarios}"
    );

    // A project's contact never leaves through the API, consent or not.
    let projects = json(&app, "/api/v1/projects").await;
    assert_eq!(ids(&projects), vec![project_id]);
    let item = json(&app, &format!("/api/v1/projects/{project_id}")).await;
    for answer in [&projects, &item] {
        assert!(!answer.to_string().contains("13900001111"), "{answer}");
    }

    let organisations = json(&app, "/api/v1/organisations").await;
    assert_eq!(ids(&organisations), vec![agency, firm]);
    assert_eq!(organisations["items"][1]["kind"], "enterprise");
    assert_eq!(
        ids(&json(&app, "/api/v1/organisations?kind=government_agency").await),
        vec![agency]
    );

    let calls = json(&app, "/api/v1/calls").await;
    assert_eq!(ids(&calls), vec![batch_id]);
    assert_eq!(calls["items"][0]["kind"], "product_batch");
    assert_eq!(calls["items"][0]["valid_until"], day(300).to_string());

    let purchases = json(&app, "/api/v1/first-purchases").await;
    assert_eq!(
        purchases["items"].as_array().unwrap().len(),
        1,
        "{purchases}"
    );
    let purchase = &purchases["items"][0];
    assert_eq!(purchase["product_id"], published);
    assert_eq!(purchase["buyer_name"], "常州市工业和信息化局");
    assert_eq!(purchase["outcome"], "awarded");
    assert!(purchase.get("recorded_by").is_none(), "{purchase}");
    let id = purchase["id"].as_i64().unwrap();
    assert_eq!(
        json(&app, &format!("/api/v1/first-purchases/{id}")).await["amount_fen"],
        12_000_000
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn collections_filter_like_the_search_facets_and_name_a_bad_parameter(pool: PgPool) {
    let agency = organisation(&pool, "常州市科技局", "government_agency", "320400", true).await;
    let firm = organisation(&pool, "常州新材料有限公司", "enterprise", "320412", true).await;
    let batch_id = batch(&pool, agency, "CZ-2026-P02", -30, 300).await;
    let material = product(
        &pool,
        firm,
        Some(batch_id),
        "石墨烯导热膜",
        "new_materials",
        "published",
    )
    .await;
    sqlx::query(
        "INSERT INTO product_listings (product_id, call_id, listed_at) VALUES ($1, $2, $3)",
    )
    .bind(material)
    .bind(batch_id)
    .bind(at(-1))
    .execute(&pool)
    .await
    .unwrap();
    let energy = product(&pool, firm, None, "储能变流器", "new_energy", "published").await;
    first_purchase(&pool, energy, agency, firm, "awarded", -2).await;
    let app = spawn_app(pool).await;

    for (query, expected) in [
        ("industry=new_materials", vec![material]),
        ("industry=new_energy", vec![energy]),
        ("batch=CZ-2026-P02", vec![material]),
        ("batch=NO-SUCH-BATCH", vec![]),
        ("location=320412", vec![material, energy]),
        ("location=320411", vec![]),
        ("procurement=A0210", vec![material, energy]),
        ("procurement=A03", vec![]),
        ("first_purchased=true", vec![energy]),
        ("first_purchased=false", vec![material]),
        (&format!("organisation={firm}"), vec![material, energy]),
        ("limit=1", vec![material]),
    ] {
        let page = json(&app, &format!("/api/v1/products?{query}")).await;
        assert_eq!(ids(&page), expected, "{query}");
    }
    let buyer = json(
        &app,
        &format!("/api/v1/first-purchases?buyer={agency}&route=first_purchase"),
    )
    .await;
    assert_eq!(buyer["items"][0]["product_id"], energy);

    for (path, param) in [
        ("/api/v1/products?industry=plastics", "industry"),
        ("/api/v1/products?colour=red", "colour"),
        ("/api/v1/products?limit=1&limit=2", "limit"),
        ("/api/v1/products?limit=0", "limit"),
        ("/api/v1/products?limit=501", "limit"),
        ("/api/v1/products?after=-1", "after"),
        ("/api/v1/products?after=abc", "after"),
        ("/api/v1/products?updated_since=yesterday", "updated_since"),
        ("/api/v1/products?first_purchased=maybe", "first_purchased"),
        ("/api/v1/scenarios?stage=seed", "stage"),
        (
            "/api/v1/first-purchases?signed_from=2026-13-01",
            "signed_from",
        ),
        ("/api/v1/notices?record_kind=person", "record_kind"),
        ("/api/v1/removals?industry=new_energy", "industry"),
        ("/api/v1/products?batch=CZ%00", "batch"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 400, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["param"], param, "{path}: {body}");
    }
}

/// A program mirroring the catalogue reads each collection with `updated_since` and
/// applies `/removals` since the same time: withdrawals, an organisation losing its
/// verification and getting it back all reach it, and nothing else does.
#[sqlx::test(migrations = "../migrations")]
async fn a_mirror_follows_changes_and_removals_exactly(pool: PgPool) {
    let now = test_clock().now();
    let long_ago = now - TimeDelta::days(10);
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let kept = product(
        &pool,
        firm,
        None,
        "工业视觉检测仪",
        "new_materials",
        "published",
    )
    .await;
    let leaving = product(
        &pool,
        firm,
        None,
        "储能电池管理系统",
        "new_energy",
        "published",
    )
    .await;
    let scene = scenario(&pool, firm, "园区数据中台建设", "digital", "published").await;
    for (table, id) in [
        ("products", kept),
        ("products", leaving),
        ("scenarios", scene),
        ("organisations", firm),
    ] {
        changed(&pool, table, id, long_ago).await;
    }
    let app = spawn_app(pool.clone()).await;
    let since = query_time(now - TimeDelta::days(1));

    let quiet = json(&app, &format!("/api/v1/products?updated_since={since}")).await;
    assert_eq!(
        ids(&quiet),
        Vec::<i64>::new(),
        "nothing changed since: {quiet}"
    );
    assert_eq!(
        quiet["as_of"]
            .as_str()
            .unwrap()
            .parse::<DateTime<Utc>>()
            .unwrap(),
        now - TimeDelta::seconds(server::routes::api::FOLLOW_OVERLAP_SECONDS),
        "as_of overlaps the writes in flight"
    );
    let everything = json(&app, "/api/v1/products").await;
    assert_eq!(ids(&everything), vec![kept, leaving]);
    assert_eq!(
        json(&app, "/api/v1/removals").await["items"],
        serde_json::json!([])
    );

    // A withdrawal: out of the collection, into the removals with its reason.
    let mut tx = pool.begin().await.unwrap();
    publication::withdraw(
        &mut tx,
        Subject::Product(ProductId(leaving)),
        None,
        "停产",
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let removals = json(&app, &format!("/api/v1/removals?updated_since={since}")).await;
    assert_eq!(removals["items"].as_array().unwrap().len(), 1, "{removals}");
    assert_eq!(removals["items"][0]["kind"], "products");
    assert_eq!(removals["items"][0]["id"], leaving);
    assert_eq!(removals["items"][0]["reason"], "withdrawn");
    assert_eq!(ids(&json(&app, "/api/v1/products").await), vec![kept]);
    let later = query_time(now + TimeDelta::seconds(1));
    assert_eq!(
        json(&app, &format!("/api/v1/removals?updated_since={later}")).await["items"],
        serde_json::json!([]),
        "removals before the time asked are not repeated"
    );

    // The organisation loses its verification: it and everything it listed leave.
    let mut tx = pool.begin().await.unwrap();
    publication::unverify_organisation(&mut tx, OrganisationId(firm), None, "营业执照已吊销", now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let removals = json(&app, &format!("/api/v1/removals?updated_since={since}")).await;
    let mut gone: Vec<(String, i64, String)> = removals["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["kind"].as_str().unwrap().to_owned(),
                item["id"].as_i64().unwrap(),
                item["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    gone.sort();
    let unverified = || "organisation_unverified".to_owned();
    let mut expected = vec![
        ("organisations".to_owned(), firm, unverified()),
        ("products".to_owned(), kept, unverified()),
        ("products".to_owned(), leaving, "withdrawn".to_owned()),
        ("scenarios".to_owned(), scene, unverified()),
    ];
    expected.sort();
    assert_eq!(gone, expected);
    assert_eq!(
        ids(&json(&app, "/api/v1/products").await),
        Vec::<i64>::new()
    );

    // Verified again: back in the collections as changed, out of the removals.
    let back = now + TimeDelta::hours(1);
    let mut tx = pool.begin().await.unwrap();
    publication::verify_organisation(&mut tx, OrganisationId(firm), None, back)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let returned = json(&app, &format!("/api/v1/products?updated_since={since}")).await;
    assert_eq!(ids(&returned), vec![kept], "the withdrawn one stays out");
    assert_eq!(
        returned["items"][0]["updated_at"]
            .as_str()
            .unwrap()
            .parse::<DateTime<Utc>>()
            .unwrap(),
        back
    );
    assert_eq!(
        ids(&json(&app, &format!("/api/v1/scenarios?updated_since={since}")).await),
        vec![scene]
    );
    let removals = json(&app, &format!("/api/v1/removals?updated_since={since}")).await;
    assert_eq!(removals["items"].as_array().unwrap().len(), 1, "{removals}");
    assert_eq!(removals["items"][0]["id"], leaving);
}

#[sqlx::test(migrations = "../migrations")]
async fn items_answer_if_modified_since_from_their_last_modified(pool: PgPool) {
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let id = product(
        &pool,
        firm,
        None,
        "工业视觉检测仪",
        "new_materials",
        "published",
    )
    .await;
    let when = test_clock().now() - TimeDelta::days(2);
    changed(&pool, "products", id, when).await;
    changed(&pool, "organisations", firm, when - TimeDelta::days(1)).await;
    sqlx::query("UPDATE organisations SET verified_at = $2 WHERE id = $1")
        .bind(firm)
        .bind(when - TimeDelta::days(3))
        .execute(&pool)
        .await
        .unwrap();
    let app = spawn_app(pool).await;
    let path = format!("/api/v1/products/{id}");
    let http_date = |at: DateTime<Utc>| at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();

    let first = app.get(&path).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["last-modified"], http_date(when).as_str());
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();

    let ask = |since: String, tag: Option<&str>| {
        let mut request = app
            .client
            .get(app.url(&path))
            .header("if-modified-since", since);
        if let Some(tag) = tag {
            request = request.header("if-none-match", tag);
        }
        request.send()
    };
    let unchanged = ask(http_date(when), None).await.unwrap();
    assert_eq!(unchanged.status(), 304);
    assert_eq!(
        unchanged.headers()["last-modified"],
        http_date(when).as_str()
    );
    assert_eq!(
        ask(http_date(when + TimeDelta::days(1)), None)
            .await
            .unwrap()
            .status(),
        304
    );
    assert_eq!(
        ask(http_date(when - TimeDelta::seconds(1)), None)
            .await
            .unwrap()
            .status(),
        200
    );
    // If-None-Match takes precedence (RFC 9110 §13.2.2): a stale tag gets the body.
    assert_eq!(
        ask(http_date(when), Some("W/\"stale\""))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        ask(http_date(when - TimeDelta::days(9)), Some(&etag))
            .await
            .unwrap()
            .status(),
        304
    );

    // A collection has no single time of change: it is never answered by date.
    let collection = app.get("/api/v1/products").await;
    assert!(collection.headers().get("last-modified").is_none());
}

#[sqlx::test(migrations = "../migrations")]
async fn notices_list_what_is_open_to_objection_until_its_last_day(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(&pool, "常州示例科技有限公司", "enterprise", "320411", true).await;
    let batch_id = batch(&pool, agency, "CZ-2026-P03", -30, 300).await;
    let mut notices = Vec::new();
    let mut noticed = Vec::new();
    for (until, state) in [(5, "in_notice"), (-1, "in_notice"), (5, "in_review")] {
        let record = product(
            &pool,
            firm,
            Some(batch_id),
            "公示中的产品",
            "new_materials",
            "in_notice",
        )
        .await;
        noticed.push(record);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO submissions (record_kind, record_id, organisation_id, call_id, purpose,
                                      snapshot, state, required_reviews, submitted_at, notice_until)
             VALUES ('product', $1, $2, $3, 'listing', '{\"name\": \"公示中的产品\"}',
                     $4::submission_state, 1, $5, $6)
             RETURNING id",
        )
        .bind(record)
        .bind(firm)
        .bind(batch_id)
        .bind(state)
        .bind(at(-10))
        .bind(day(until))
        .fetch_one(&pool)
        .await
        .unwrap();
        notices.push(id);
    }
    let app = spawn_app(pool).await;
    let page = json(&app, "/api/v1/notices").await;
    assert_eq!(
        ids(&page),
        vec![notices[0]],
        "only a window still open: {page}"
    );
    let notice = &page["items"][0];
    assert_eq!(notice["record_kind"], "product");
    assert_eq!(notice["record_id"], noticed[0]);
    assert_eq!(notice["name"], "公示中的产品");
    assert_eq!(notice["notice_until"], day(5).to_string());
    assert_eq!(notice["call"]["code"], "CZ-2026-P03");
    assert!(notice["record_url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/products/{}", noticed[0])));
    assert_eq!(
        ids(&json(&app, "/api/v1/notices?record_kind=scenario").await),
        Vec::<i64>::new()
    );
}
