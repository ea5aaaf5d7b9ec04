//! A buyer records a first purchase from the product's page: checked field by field,
//! judged on the signing date, never by the supplier itself, and the product becomes
//! first-purchased.

use crate::accounts::location;
use crate::fixtures::{at, batch, day, organisation, product, scenario};
use crate::helpers::spawn_app;
use crate::workflow::member;
use http::StatusCode;
use sqlx::PgPool;

/// A product of `supplier` published 200 days ago in a batch of `agency` valid from 150
/// days ago to 100 days ahead.
pub(crate) async fn listed(pool: &PgPool, agency: i64, supplier: i64, name: &str) -> i64 {
    let call = batch(
        pool,
        agency,
        &format!("B-{}", name.chars().map(u32::from).sum::<u32>()),
        -150,
        100,
    )
    .await;
    let id = product(pool, supplier, Some(call), name, "new_materials", "draft").await;
    crate::first_purchase_eligibility::drafted_long_ago(pool, id).await;
    sqlx::query("UPDATE products SET status = 'published', published_at = $2, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at(-200))
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO product_listings (product_id, call_id, listed_at) VALUES ($1, $2, $3)",
    )
    .bind(id)
    .bind(call)
    .bind(at(-200))
    .execute(pool)
    .await
    .unwrap();
    id
}

#[sqlx::test(migrations = "../migrations")]
async fn a_buyer_records_a_first_purchase_judged_on_its_signing_date(pool: PgPool) {
    let agency = organisation(&pool, "常州市水利局", "government_agency", "320400", true).await;
    let other_agency =
        organisation(&pool, "常州市交通局", "government_agency", "320400", true).await;
    let supplier = organisation(&pool, "常州水感科技有限公司", "enterprise", "320411", true).await;
    let app = spawn_app(pool.clone()).await;
    let buyer = member(&app, &pool, "buyer@slj.example", agency, "{member,buyer}").await;
    let staff = member(
        &app,
        &pool,
        "staff@shuigan.example",
        supplier,
        "{admin,member}",
    )
    .await;
    let product = listed(&pool, agency, supplier, "水质监测浮标").await;
    let own_scenario = scenario(&pool, agency, "河道水质监测", "environment", "published").await;
    let foreign_scenario =
        scenario(&pool, other_agency, "公路养护", "transport", "published").await;
    let form = format!("/products/{product}/first-purchases/new");

    // Offered to the buyer on the product's page; not to the supplier.
    let (_, page) = buyer.get(&format!("/products/{product}")).await;
    assert!(page.contains(&form));
    let (_, page) = staff.get(&format!("/products/{product}")).await;
    assert!(!page.contains(&form));
    assert_eq!(staff.get(&form).await.0, StatusCode::FORBIDDEN);
    let (status, page) = buyer.get(&form).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("河道水质监测") && !page.contains("公路养护"),
        "its own scenarios"
    );

    let agency_id = agency.to_string();
    let own = own_scenario.to_string();
    let foreign = foreign_scenario.to_string();
    let post = |fields: Vec<(&'static str, String)>| {
        let buyer = &buyer;
        let form = form.clone();
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let response = buyer.post(&form, &pairs).await;
            let status = response.status();
            (status, response.text().await.unwrap())
        }
    };
    let fields = |signed: i64, scenario: &str| {
        vec![
            ("organisation", agency_id.clone()),
            ("route", "first_purchase".to_owned()),
            ("scenario", scenario.to_owned()),
            ("contract_number", "CZSL-2026-018".to_owned()),
            ("signed_on", day(signed).to_string()),
            ("amount", "86.5万".to_owned()),
            (
                "notice_url",
                "https://www.ccgp-jiangsu.gov.cn/cz/2026/018.html".to_owned(),
            ),
            ("outcome", "awarded".to_owned()),
        ]
    };

    // Bad input, each named; nothing written.
    let (status, page) = post(vec![
        ("organisation", agency_id.clone()),
        ("notice_url", "ftp://x".into()),
    ])
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("合同签订日期: 请填写此项") && page.contains("采购公告链接"));
    assert!(page.contains("请填写金额或数量"));
    // Judged on the signing date: before the batch, in the future.
    let (status, page) = post(fields(-151, "")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("签订当日该产品不在任何有效的创新产品目录批次中"));
    let (status, page) = post(fields(3, "")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("签订日期不能晚于今天"));
    // Another agency's scenario is not the buyer's to name.
    let (status, _) = post(fields(-30, &foreign)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM first_purchases")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(none, 0);

    let pairs = fields(-30, &own);
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let recorded = buyer.post(&form, &pairs).await;
    assert_eq!(
        location(&recorded),
        format!(
            "/first-purchases/{}?notice=first_purchase_recorded",
            sqlx::query_scalar::<_, i64>("SELECT id FROM first_purchases")
                .fetch_one(&pool)
                .await
                .unwrap()
        )
    );
    let (first_purchased, revision, amount, recorder): (
        Option<chrono::NaiveDate>,
        i32,
        i64,
        String,
    ) = sqlx::query_as(
        "SELECT p.first_purchased_on, f.product_revision, f.amount_fen, u.email
             FROM first_purchases f JOIN products p ON p.id = f.product_id
             JOIN users u ON u.id = f.recorded_by",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        first_purchased,
        Some(day(-30)),
        "the product is first-purchased"
    );
    assert_eq!((revision, amount), (1, 86_500_000));
    assert_eq!(recorder, "buyer@slj.example");
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE subject_kind = 'first_purchase' AND action = 'record'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    let page = app
        .get(&format!("/products/{product}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("常州市水利局"), "the history names the buyer");
    let bought_by = page
        .split(r#"data-testid="bought-by""#)
        .nth(1)
        .unwrap_or_default();
    assert!(
        bought_by.contains("已成交单位（1 家）")
            && bought_by.contains(&format!("常州市水利局（{}）", day(-30))),
        "a second buyer sees who already bought it: {}",
        bought_by.chars().take(200).collect::<String>()
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_agency_does_not_record_a_purchase_of_its_own_product(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市某研究院",
        "public_institution",
        "320400",
        true,
    )
    .await;
    let app = spawn_app(pool.clone()).await;
    let buyer = member(&app, &pool, "buyer@yjy.example", agency, "{member,buyer}").await;
    let product = listed(&pool, agency, agency, "院内自研检测仪").await;
    let agency_id = agency.to_string();
    let signed = day(-10).to_string();
    let refused = buyer
        .post(
            &format!("/products/{product}/first-purchases/new"),
            &[
                ("organisation", agency_id.as_str()),
                ("route", "first_purchase"),
                ("signed_on", signed.as_str()),
                ("quantity", "2"),
                ("outcome", "awarded"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("供应商不能登记自己产品的首购"));
}
