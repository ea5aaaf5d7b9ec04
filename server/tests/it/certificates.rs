//! Proof of listing: the supplier opens a certificate of a product listed in a valid batch
//! (a stable, unguessable code and a QR code), and anyone checks it at `/verify/{code}`,
//! which follows the listing's state and shows nothing that is no longer public.
//! Government traction on the pages and cards that show a supplier's products.

use crate::first_purchases_record::listed;
use crate::fixtures::{day, index_all, organisation, project};
use crate::helpers::spawn_app;
use crate::workflow::member;
use http::StatusCode;
use sqlx::PgPool;

fn code_in(page: &str) -> String {
    let at = page
        .find(r#"data-testid="verification-code""#)
        .expect("a code");
    let printed = page[at..]
        .split("<code>")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .unwrap();
    assert_eq!(printed.len(), 19, "four groups of four: {printed}");
    let code: String = printed.chars().filter(|c| *c != '-').collect();
    assert!(
        code.chars()
            .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c)),
        "{code}"
    );
    code
}

#[sqlx::test(migrations = "../migrations")]
async fn the_supplier_prints_a_certificate_and_anyone_verifies_it(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let supplier = organisation(&pool, "常州水感科技有限公司", "enterprise", "320411", true).await;
    let other = organisation(
        &pool,
        "常州另一家科技有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let app = spawn_app(pool.clone()).await;
    let staff = member(&app, &pool, "staff@shuigan.example", supplier, "{member}").await;
    let outsider = member(&app, &pool, "staff@other.example", other, "{admin,member}").await;
    let product = listed(&pool, agency, supplier, "水质监测浮标").await;
    let address = format!("/products/{product}/certificate");

    let (_, page) = staff.get(&format!("/products/{product}")).await;
    assert!(
        page.contains(&address),
        "offered to the supplier on the product's page"
    );
    let (_, page) = outsider.get(&format!("/products/{product}")).await;
    assert!(!page.contains(&address));
    assert_eq!(outsider.get(&address).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&address).await.status(), StatusCode::UNAUTHORIZED);

    let (status, page) = staff.get(&address).await;
    assert_eq!(status, StatusCode::OK);
    let credit_code: String =
        sqlx::query_scalar("SELECT credit_code FROM organisations WHERE id = $1")
            .bind(supplier)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(
        page.contains("创新产品入库证明") && page.contains(&credit_code) && page.contains("<svg")
    );
    assert!(page.contains(&day(0).to_string()), "dated the day of issue");
    let code = code_in(&page);
    let (_, again) = staff.get(&address).await;
    assert_eq!(code_in(&again), code, "the code is stable");
    assert!(page.contains(&format!("/verify/{code}")));

    let verify = format!("/verify/{code}");
    let page = app.get(&verify).await.text().await.unwrap();
    assert!(page.contains(r#"data-state="valid""#) && page.contains("水质监测浮标"));
    let lower = app.get(&format!("/verify/{}", code.to_lowercase())).await;
    assert_eq!(
        lower.status(),
        StatusCode::OK,
        "a code typed in lower case still reads"
    );
    // As typed from paper: grouped, with spaces, 0 for O.
    let typed = format!("{} {}", &code[..8], &code[8..]).replace('O', "0");
    let page = app
        .get(&format!("/verify?code={}", typed.replace(' ', "+")))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"data-state="valid""#), "typed as printed");
    let unknown = app.get("/verify/AAAAAAAAAAAAAAAA").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert!(unknown.text().await.unwrap().contains("未找到该验证码"));
    let form = app.get("/verify").await;
    assert_eq!(form.status(), StatusCode::OK);
    assert!(form.text().await.unwrap().contains(r#"name="code""#));
    assert_eq!(
        app.get("/verify/not-a-code").await.status(),
        StatusCode::NOT_FOUND
    );

    // The batch lapses: expired. The product is withdrawn: withdrawn.
    sqlx::query("UPDATE calls SET valid_until = $1")
        .bind(day(-1))
        .execute(&pool)
        .await
        .unwrap();
    let page = app.get(&verify).await.text().await.unwrap();
    assert!(page.contains(r#"data-state="expired""#));
    let (status, page) = staff.get(&address).await;
    assert_eq!(status, StatusCode::CONFLICT, "nothing to certify today");
    assert!(page.contains("暂不能出具入库证明"));
    sqlx::query("UPDATE products SET status = 'withdrawn' WHERE id = $1")
        .bind(product)
        .execute(&pool)
        .await
        .unwrap();
    let page = app.get(&verify).await.text().await.unwrap();
    assert!(page.contains(r#"data-state="withdrawn""#));
    // The supplier is no longer verified: withdrawn, and nothing of the listing shown.
    sqlx::query("UPDATE organisations SET verified_at = NULL WHERE id = $1")
        .bind(supplier)
        .execute(&pool)
        .await
        .unwrap();
    let page = app.get(&verify).await.text().await.unwrap();
    assert!(page.contains(r#"data-state="withdrawn""#));
    assert!(!page.contains("水质监测浮标") && !page.contains(&credit_code));
}

#[sqlx::test(migrations = "../migrations")]
async fn government_traction_shows_on_pages_and_cards(pool: PgPool) {
    let water = organisation(&pool, "常州市水利局", "government_agency", "320400", true).await;
    let roads = organisation(&pool, "常州市交通局", "government_agency", "320400", true).await;
    let supplier = organisation(&pool, "常州水感科技有限公司", "enterprise", "320411", true).await;
    let app = spawn_app(pool.clone()).await;
    let product = listed(&pool, water, supplier, "水质监测浮标").await;
    let project = project(
        &pool,
        supplier,
        "智慧水务项目",
        "series_a",
        "published",
        true,
    )
    .await;
    let traction = |page: &str| {
        page.find(r#"data-testid="traction""#)
            .map(|at| page[at..].chars().take(300).collect::<String>())
    };
    let page = app
        .get(&format!("/products/{product}"))
        .await
        .text()
        .await
        .unwrap();
    let before = traction(&page).expect("listed once: traction shows");
    assert!(before.contains(r#"data-awarded="0""#) && before.contains(r#"data-listings="1""#));

    for (agency, outcome) in [(water, "awarded"), (roads, "awarded"), (roads, "cancelled")] {
        sqlx::query(
            "INSERT INTO first_purchases (product_id, product_revision, buyer_organisation_id,
                 supplier_organisation_id, route, signed_on, amount_fen, outcome)
             SELECT id, revision, $2, organisation_id, 'first_purchase', $3, 100000, $4::purchase_outcome
             FROM products WHERE id = $1",
        )
        .bind(product)
        .bind(agency)
        .bind(day(-20))
        .bind(outcome)
        .execute(&pool)
        .await
        .unwrap();
    }
    let expect = |page: &str, what: &str| {
        let line = traction(page).unwrap_or_else(|| panic!("{what}: no traction"));
        assert!(
            line.contains(r#"data-awarded="2""#) && line.contains(r#"data-agencies="2""#),
            "{what}: {line}"
        );
        assert!(
            line.contains("首购成交 2 次（2 家采购单位）"),
            "{what}: {line}"
        );
    };
    // A product whose page is not public adds nothing, whatever its records.
    let hidden = crate::fixtures::product(
        &pool,
        supplier,
        None,
        "未发布的样机",
        "new_materials",
        "draft",
    )
    .await;
    sqlx::query(
        "INSERT INTO first_purchases (product_id, product_revision, buyer_organisation_id,
             supplier_organisation_id, route, signed_on, amount_fen, outcome)
         SELECT id, revision, $2, organisation_id, 'first_purchase', $3, 100000, 'awarded'
         FROM products WHERE id = $1",
    )
    .bind(hidden)
    .bind(water)
    .bind(day(-20))
    .execute(&pool)
    .await
    .unwrap();
    index_all(&pool).await;
    let page = app
        .get(&format!("/products/{product}"))
        .await
        .text()
        .await
        .unwrap();
    expect(&page, "product page");
    let page = app
        .get(&format!("/organisations/{supplier}"))
        .await
        .text()
        .await
        .unwrap();
    expect(&page, "organisation page");
    assert!(page.contains(&format!("/first-purchases?supplier={supplier}")));
    let page = app
        .get(&format!("/projects/{project}"))
        .await
        .text()
        .await
        .unwrap();
    expect(&page, "project page");
    let page = app.get("/products").await.text().await.unwrap();
    expect(&page, "product card");
    let page = app.get("/organisations").await.text().await.unwrap();
    expect(&page, "organisation card");
    let page = app.get("/projects").await.text().await.unwrap();
    expect(&page, "project card");
}
