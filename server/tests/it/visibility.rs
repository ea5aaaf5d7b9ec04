//! One visibility rule: an organisation that is not (or no longer) verified is not public,
//! and neither is anything it published: not in lists, counts, pages, search or the API.
//! Verifying it again brings everything back. (Before, `/products?organisation=<id>` and
//! every detail page still showed an unverified organisation's records.)

use crate::fixtures::*;
use crate::helpers::{spawn_app, test_clock, TestApp};
use app::domain::OrganisationId;
use app::publication;
use sqlx::PgPool;

async fn status(app: &TestApp, path: &str) -> u16 {
    app.get(path).await.status().as_u16()
}

async fn text(app: &TestApp, path: &str) -> String {
    app.get(path).await.text().await.unwrap()
}

async fn set_verified(pool: &PgPool, organisation: i64, verified: bool) {
    let mut tx = pool.begin().await.unwrap();
    let now = test_clock().now();
    let changed = if verified {
        publication::verify_organisation(&mut tx, OrganisationId(organisation), None, now).await
    } else {
        publication::unverify_organisation(
            &mut tx,
            OrganisationId(organisation),
            None,
            "营业执照已吊销",
            now,
        )
        .await
    };
    assert_eq!(changed, Ok(true));
    tx.commit().await.unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn unverifying_an_organisation_takes_everything_it_published_out_of_public_view(
    pool: PgPool,
) {
    let firm = organisation(
        &pool,
        "常州数联云科信息技术有限公司",
        "enterprise",
        "320404",
        true,
    )
    .await;
    let product = product(
        &pool,
        firm,
        None,
        "政务数据治理平台",
        "digital_economy",
        "published",
    )
    .await;
    let scenario = scenario(&pool, firm, "园区数据中台建设", "digital", "published").await;
    let project = project(&pool, firm, "数据安全网关", "series_a", "published", true).await;
    for (kind, id) in [
        ("organisation", firm),
        ("product", product),
        ("scenario", scenario),
        ("project", project),
    ] {
        sqlx::query(
            "INSERT INTO search_outbox (subject_kind, subject_id, operation) VALUES ($1::subject_kind, $2, 'upsert')",
        )
        .bind(kind)
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    }
    drain_all(&pool).await;
    let app = spawn_app(pool.clone()).await;
    let pages = [
        format!("/organisations/{firm}"),
        format!("/products/{product}"),
        format!("/scenarios/{scenario}"),
        format!("/projects/{project}"),
    ];
    for page in &pages {
        assert_eq!(status(&app, page).await, 200, "{page}");
    }
    let search = "/api/v1/search?q=%E6%95%B0%E6%8D%AE";
    let found = |json: &serde_json::Value| json["total"].as_i64().unwrap();
    let before: serde_json::Value = app.get(search).await.json().await.unwrap();
    assert_eq!(found(&before), 3, "{before}");

    set_verified(&pool, firm, false).await;
    drain_all(&pool).await;
    for page in &pages {
        assert_eq!(status(&app, page).await, 404, "{page} is not public");
    }
    for list in [
        format!("/products?organisation={firm}"),
        format!("/scenarios?organisation={firm}"),
        format!("/projects?organisation={firm}"),
        "/products".to_owned(),
        "/".to_owned(),
    ] {
        let body = text(&app, &list).await;
        for name in ["政务数据治理平台", "园区数据中台建设", "数据安全网关"] {
            assert!(!body.contains(name), "{list} still shows {name}");
        }
    }
    let after: serde_json::Value = app.get(search).await.json().await.unwrap();
    assert_eq!(found(&after), 0, "{after}");
    for kind in ["products", "scenarios", "projects", "organisations"] {
        let listing: serde_json::Value = app
            .get(&format!("/api/v1/{kind}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(listing["items"], serde_json::json!([]), "{kind}");
    }

    set_verified(&pool, firm, true).await;
    drain_all(&pool).await;
    for page in &pages {
        assert_eq!(status(&app, page).await, 200, "{page} is public again");
    }
    let again: serde_json::Value = app.get(search).await.json().await.unwrap();
    assert_eq!(found(&again), 3, "{again}");
    assert!(text(&app, &format!("/products?organisation={firm}"))
        .await
        .contains("政务数据治理平台"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_first_purchase_names_an_unverified_buyer_without_linking_to_it(pool: PgPool) {
    let buyer = organisation(&pool, "待认证医院", "public_institution", "320402", false).await;
    let firm = organisation(
        &pool,
        "常州康宁医疗器械有限公司",
        "enterprise",
        "320412",
        true,
    )
    .await;
    let id = product(&pool, firm, None, "电子内窥镜", "biomedicine", "published").await;
    first_purchase(&pool, id, buyer, firm, "awarded", -5).await;
    let app = spawn_app(pool).await;
    let body = text(&app, &format!("/products/{id}")).await;
    assert!(body.contains("待认证医院"), "the record names its buyer");
    assert!(
        !body.contains(&format!("/organisations/{buyer}\"")),
        "no link to a page that answers 404"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_unverified_agency_is_not_named_on_the_products_of_its_batches(pool: PgPool) {
    let agency = organisation(&pool, "常州市财政局", "government_agency", "320400", true).await;
    let firm = organisation(
        &pool,
        "常州烯创新材料科技有限公司",
        "enterprise",
        "320413",
        true,
    )
    .await;
    let batch = batch(&pool, agency, "CZCX-2025-02", -30, 300).await;
    let id = product(
        &pool,
        firm,
        Some(batch),
        "石墨烯导热膜",
        "new_materials",
        "published",
    )
    .await;
    queue_product_for_index(&pool, id).await;
    drain_all(&pool).await;
    let app = spawn_app(pool.clone()).await;
    let agencies = |json: serde_json::Value| json["facets"]["agency"].to_string();
    let search = "/api/v1/search?kind=product";
    let before: serde_json::Value = app.get(search).await.json().await.unwrap();
    assert!(agencies(before).contains("常州市财政局"));

    set_verified(&pool, agency, false).await;
    drain_all(&pool).await;
    let after: serde_json::Value = app.get(search).await.json().await.unwrap();
    assert_eq!(after["total"], 1, "the product stays public: {after}");
    assert!(!agencies(after.clone()).contains("常州市财政局"), "{after}");
    let listing = text(&app, "/api/v1/products").await;
    assert!(!listing.contains("常州市财政局"), "{listing}");
}
