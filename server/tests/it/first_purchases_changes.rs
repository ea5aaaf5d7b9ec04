//! After a first purchase is recorded: the supplier is told; the buyer's agency corrects it
//! within 30 days (audited with the fields changed) and cancels it later, nothing ever
//! deleted; the first-purchased flag and search follow the awarded records; the supplier
//! disputes, the agency stands by, a platform admin settles; the public list, its totals
//! and its CSV export.

use crate::accounts::location;
use crate::first_purchases_record::listed;
use crate::fixtures::{day, organisation};
use crate::helpers::{spawn_app, xlsx_cells};
use crate::workflow::member;
use http::StatusCode;
use sqlx::PgPool;

fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The recording form's fields for `agency`, signed `signed` days from today.
fn record_fields(
    agency: i64,
    signed: i64,
    amount: &str,
    outcome: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("organisation", agency.to_string()),
        ("route", "first_purchase".to_owned()),
        ("contract_number", "CZSL-2026-018".to_owned()),
        ("signed_on", day(signed).to_string()),
        ("amount", amount.to_owned()),
        ("outcome", outcome.to_owned()),
    ]
}

async fn first_purchased_on(pool: &PgPool, product: i64) -> Option<chrono::NaiveDate> {
    sqlx::query_scalar("SELECT first_purchased_on FROM products WHERE id = $1")
        .bind(product)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn queued_for_search(pool: &PgPool, product: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM search_outbox WHERE subject_kind = 'product' AND subject_id = $1",
    )
    .bind(product)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn corrections_are_audited_and_the_flag_follows_the_awarded_records(pool: PgPool) {
    let agency = organisation(&pool, "常州市水利局", "government_agency", "320400", true).await;
    let other = organisation(&pool, "常州市交通局", "government_agency", "320400", true).await;
    let supplier = organisation(&pool, "常州水感科技有限公司", "enterprise", "320411", true).await;
    let app = spawn_app(pool.clone()).await;
    let buyer = member(&app, &pool, "buyer@slj.example", agency, "{member,buyer}").await;
    let stranger = member(&app, &pool, "buyer@jtj.example", other, "{member,buyer}").await;
    let staff = member(
        &app,
        &pool,
        "staff@shuigan.example",
        supplier,
        "{admin,member}",
    )
    .await;
    let product = listed(&pool, agency, supplier, "水质监测浮标").await;

    let fields = record_fields(agency, -30, "86.5万", "awarded");
    let recorded = buyer
        .post(
            &format!("/products/{product}/first-purchases/new"),
            &pairs(&fields),
        )
        .await;
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
    let id: i64 = sqlx::query_scalar("SELECT id FROM first_purchases")
        .fetch_one(&pool)
        .await
        .unwrap();
    // The same contract again (a second click, a repeated post) is refused by name; so are
    // an awarded contract of 0 元 and one of more than 100 亿元.
    let again = buyer
        .post(
            &format!("/products/{product}/first-purchases/new"),
            &pairs(&fields),
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again
        .text()
        .await
        .unwrap()
        .contains("本单位已登记过该产品的这份合同"));
    for amount in ["0", "99999999万", "10000000001"] {
        let mut odd = record_fields(agency, -29, amount, "awarded");
        odd[2].1 = format!("CZSL-ODD-{amount}");
        let refused = buyer
            .post(
                &format!("/products/{product}/first-purchases/new"),
                &pairs(&odd),
            )
            .await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{amount}"
        );
        assert!(
            refused.text().await.unwrap().contains("不超过 100 亿元"),
            "{amount}"
        );
    }
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM first_purchases")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 1);
    // The supplier is told, in the site and by mail, with the record's address.
    let (event, link): (String, Option<String>) = sqlx::query_as(
        "SELECT n.event, n.link FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE u.email = 'staff@shuigan.example'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(event, "first_purchase_recorded");
    assert_eq!(
        link.as_deref(),
        Some(format!("/first-purchases/{id}").as_str())
    );
    let (_, notifications) = staff.get("/account/notifications").await;
    assert!(
        notifications.contains("采购单位: 常州市水利局"),
        "the supplier learns who bought"
    );
    assert!(
        notifications.contains("水质监测浮标")
            && notifications.contains(&format!("/first-purchases/{id}"))
    );

    let correct = format!("/first-purchases/{id}/correct");
    // Only the buyer's agency corrects: not another agency's buyer, not the supplier.
    let changed = record_fields(agency, -20, "90万", "awarded");
    assert_eq!(
        stranger.post(&correct, &pairs(&changed)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        staff.post(&correct, &pairs(&changed)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(stranger.get(&correct).await.0, StatusCode::FORBIDDEN);
    let (status, form) = buyer.get(&correct).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains("CZSL-2026-018") && form.contains(&day(-30).to_string()),
        "filled with the record"
    );
    // A bad correction is named and changes nothing.
    let bad = record_fields(agency, 5, "90万", "awarded");
    let refused = buyer.post(&correct, &pairs(&bad)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(first_purchased_on(&pool, product).await, Some(day(-30)));

    let cancelling = record_fields(agency, -30, "86.5万", "cancelled");
    let refused = buyer.post(&correct, &pairs(&cancelling)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("更正不能取消记录"));
    let unchanged = buyer.post(&correct, &pairs(&fields)).await;
    assert_eq!(
        location(&unchanged),
        format!("/first-purchases/{id}?notice=first_purchase_unchanged")
    );
    let saved = buyer.post(&correct, &pairs(&changed)).await;
    assert_eq!(
        location(&saved),
        format!("/first-purchases/{id}?notice=first_purchase_corrected")
    );
    let (signed, amount): (chrono::NaiveDate, i64) =
        sqlx::query_as("SELECT signed_on, amount_fen FROM first_purchases WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((signed, amount), (day(-20), 90_000_000));
    let audited: Vec<String> = sqlx::query_scalar(
        "SELECT unnest(changed_fields) FROM audit_log
         WHERE subject_kind = 'first_purchase' AND subject_id = $1 AND action = 'correct'",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(audited, ["signed_on", "amount"]);
    assert_eq!(
        first_purchased_on(&pool, product).await,
        Some(day(-20)),
        "the flag follows the signing date"
    );

    // A correction that removes the last awarded record: not first-purchased, and search
    // hears of it in the same transaction.
    let before = queued_for_search(&pool, product).await;
    let withdrawn = record_fields(agency, -20, "90万", "nothing_suitable");
    let saved = buyer.post(&correct, &pairs(&withdrawn)).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(first_purchased_on(&pool, product).await, None);
    assert!(queued_for_search(&pool, product).await > before);
    // And back.
    let saved = buyer.post(&correct, &pairs(&changed)).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(first_purchased_on(&pool, product).await, Some(day(-20)));

    // The page shows the corrections with their fields, never who recorded it to the public.
    let page = app
        .get(&format!("/first-purchases/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("合同签订日期") && page.contains("合同金额（元）"));
    assert!(!page.contains("buyer@slj.example") && !page.contains("登记人"));
    let (_, own_view) = buyer.get(&format!("/first-purchases/{id}")).await;
    assert!(
        own_view.contains("登记人"),
        "the agency sees who recorded it"
    );

    // After 30 days: no more corrections, with the reason; cancellation still.
    sqlx::query(
        "UPDATE first_purchases SET created_at = created_at - interval '31 days' WHERE id = $1",
    )
    .bind(id)
    .execute(&pool)
    .await
    .unwrap();
    let late = buyer.post(&correct, &pairs(&changed)).await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late
        .text()
        .await
        .unwrap()
        .contains("记录登记满 30 天或已取消"));
    let cancel = format!("/first-purchases/{id}/cancel");
    let empty = buyer.post(&cancel, &[("reason", "  ")]).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        stranger
            .post(&cancel, &[("reason", "不是我们的")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let cancelled = buyer.post(&cancel, &[("reason", "合同解除")]).await;
    assert_eq!(
        location(&cancelled),
        format!("/first-purchases/{id}?notice=first_purchase_cancelled")
    );
    assert_eq!(first_purchased_on(&pool, product).await, None);
    let (rows, outcome): (i64, String) =
        sqlx::query_as("SELECT count(*), min(outcome::text) FROM first_purchases")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (rows, outcome.as_str()),
        (1, "cancelled"),
        "nothing is deleted"
    );
    assert_eq!(
        buyer.post(&cancel, &[("reason", "再次")]).await.status(),
        StatusCode::CONFLICT
    );
    let page = app
        .get(&format!("/first-purchases/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("该记录已取消") && page.contains("合同解除"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_supplier_disputes_the_agency_stands_by_and_a_platform_admin_settles(pool: PgPool) {
    let agency = organisation(&pool, "常州市水利局", "government_agency", "320400", true).await;
    let supplier = organisation(&pool, "常州水感科技有限公司", "enterprise", "320411", true).await;
    let app = spawn_app(pool.clone()).await;
    let buyer = member(&app, &pool, "buyer@slj.example", agency, "{member,buyer}").await;
    let staff = member(&app, &pool, "staff@shuigan.example", supplier, "{member}").await;
    let admin = crate::second_factor::platform_admin(&app, &pool, "root@example.cn").await;
    let product = listed(&pool, agency, supplier, "水质监测浮标").await;
    let fields = record_fields(agency, -30, "86.5万", "awarded");
    buyer
        .post(
            &format!("/products/{product}/first-purchases/new"),
            &pairs(&fields),
        )
        .await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM first_purchases")
        .fetch_one(&pool)
        .await
        .unwrap();
    let dispute = format!("/first-purchases/{id}/dispute");

    // The buyer does not dispute its own record; the supplier names a ground and a reason.
    assert_eq!(
        buyer
            .post(&dispute, &[("ground", "wrong_amount"), ("reason", "x")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let bad = staff
        .post(&dispute, &[("ground", "bribe"), ("reason", "")])
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = bad.text().await.unwrap();
    assert!(text.contains("异议类型") && text.contains("理由"));
    let filed = staff
        .post(
            &dispute,
            &[
                ("ground", "wrong_amount"),
                ("reason", "合同金额为 68.5 万元"),
            ],
        )
        .await;
    assert_eq!(
        location(&filed),
        format!("/first-purchases/{id}?notice=first_purchase_disputed")
    );
    let told: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE u.email = 'buyer@slj.example' AND n.event = 'first_purchase_disputed'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(told, 1, "the agency that recorded it is told");
    // While it is under way, the record is marked contested wherever it is listed.
    let list = app.get("/first-purchases").await.text().await.unwrap();
    assert!(list.contains(r#"data-testid="disputed""#));
    let product_page = app
        .get(&format!("/products/{product}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(product_page.contains(r#"data-testid="disputed""#));
    let csv = app
        .get("/first-purchases/export.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains(",true,"), "the export says so too");
    // One dispute under way at a time.
    let again = staff
        .post(&dispute, &[("ground", "never_signed"), ("reason", "再来")])
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    // The admin settles only what is under way; nobody else settles.
    let settle = format!("/first-purchases/{id}/settle");
    assert_eq!(
        buyer
            .post(&settle, &[("decision", "dismissed"), ("settlement", "x")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let stood = buyer
        .post(
            &format!("/first-purchases/{id}/stand-by"),
            &[("answer", "合同原件为 86.5 万元")],
        )
        .await;
    assert_eq!(
        location(&stood),
        format!("/first-purchases/{id}?notice=dispute_answered")
    );
    // Standing by leaves it to the platform: a later correction does not close it.
    let corrected = record_fields(agency, -30, "86.5万", "awarded");
    let mut corrected = corrected;
    corrected.push(("notice_on", day(-35).to_string()));
    let saved = buyer
        .post(
            &format!("/first-purchases/{id}/correct"),
            &pairs(&corrected),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let state: String = sqlx::query_scalar("SELECT state::text FROM first_purchase_disputes")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(state, "stood_by");
    let (_, queue) = admin.get("/admin/first-purchase-disputes").await;
    assert!(
        queue.contains(&format!("/first-purchases/{id}")) && queue.contains("stood_by"),
        "the dispute waits in the admins' queue"
    );
    let told: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE u.email = 'root@example.cn' AND n.event = 'dispute_stood_by'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(told, 1, "platform admins are told a dispute waits for them");
    let (_, page) = admin.get(&format!("/first-purchases/{id}")).await;
    assert!(page.contains(r#"data-testid="settle-form""#));
    let upheld = admin
        .post(
            &settle,
            &[
                ("decision", "upheld"),
                ("settlement", "供应商提供的合同为 68.5 万元"),
            ],
        )
        .await;
    assert_eq!(
        location(&upheld),
        format!("/first-purchases/{id}?notice=dispute_settled")
    );
    let (state, outcome): (String, String) = sqlx::query_as(
        "SELECT d.state::text, f.outcome::text FROM first_purchase_disputes d
         JOIN first_purchases f ON f.id = d.first_purchase_id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((state.as_str(), outcome.as_str()), ("upheld", "cancelled"));
    assert_eq!(first_purchased_on(&pool, product).await, None);
    assert_eq!(
        admin
            .post(&settle, &[("decision", "dismissed"), ("settlement", "x")])
            .await
            .status(),
        StatusCode::CONFLICT,
        "nothing left to settle"
    );
    let (_, queue) = admin.get("/admin/first-purchase-disputes").await;
    assert!(
        !queue.contains(&format!("/first-purchases/{id}")),
        "settled: out of the queue"
    );
    // Everyone sees the dispute and how it ended.
    let page = app
        .get(&format!("/first-purchases/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("金额或数量不符") && page.contains("异议成立，记录已取消"));
    assert!(page.contains("合同原件为 86.5 万元") && page.contains("供应商提供的合同为 68.5 万元"));
    let audited: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE subject_kind = 'first_purchase' AND subject_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        audited,
        [
            "record",
            "dispute",
            "stand_by",
            "correct",
            "settle_dispute",
            "cancel"
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_public_list_filters_totals_and_exports(pool: PgPool) {
    let water = organisation(&pool, "常州市水利局", "government_agency", "320400", true).await;
    let roads = organisation(&pool, "常州市交通局", "government_agency", "320400", true).await;
    let xinbei = organisation(&pool, "常州水感科技有限公司", "enterprise", "320411", true).await;
    let wujin = organisation(
        &pool,
        "=HYPERLINK(\"x\") 科技有限公司",
        "enterprise",
        "320412",
        true,
    )
    .await;
    let app = spawn_app(pool.clone()).await;
    let water_buyer = member(&app, &pool, "buyer@slj.example", water, "{member,buyer}").await;
    let roads_buyer = member(&app, &pool, "buyer@jtj.example", roads, "{member,buyer}").await;
    let buoy = listed(&pool, water, xinbei, "水质监测浮标").await;
    let sensor = listed(&pool, roads, wujin, "路面结冰传感器").await;
    for (buyer, agency, product, amount, outcome) in [
        (&water_buyer, water, buoy, "86.5万", "awarded"),
        (&roads_buyer, roads, buoy, "10万", "awarded"),
        (&roads_buyer, roads, sensor, "5万", "cancelled"),
    ] {
        let fields = record_fields(agency, -30, amount, outcome);
        let response = buyer
            .post(
                &format!("/products/{product}/first-purchases/new"),
                &pairs(&fields),
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    let totals = |page: &str| {
        let at = page.find(r#"data-testid="first-purchase-totals""#).unwrap();
        page[at..at + 300].to_owned()
    };
    let page = app.get("/first-purchases").await.text().await.unwrap();
    let all = totals(&page);
    assert!(
        all.contains(r#"data-count="3""#) && all.contains(r#"data-awarded="2""#),
        "{all}"
    );
    assert!(
        all.contains(r#"data-amount-fen="96500000""#),
        "awarded amounts only: {all}"
    );
    let page = app
        .get(&format!("/first-purchases?supplier={xinbei}&buyer={roads}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(totals(&page).contains(r#"data-count="1""#));
    let page = app
        .get("/first-purchases?district=320412&outcome=cancelled")
        .await
        .text()
        .await
        .unwrap();
    assert!(totals(&page).contains(r#"data-count="1""#) && page.contains("路面结冰传感器"));
    let bad = app.get("/first-purchases?year=1900").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let export = app
        .get("/first-purchases/export.csv?route=first_purchase&sort=oldest")
        .await;
    assert_eq!(export.status(), StatusCode::OK);
    assert!(export.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = export.text().await.unwrap();
    assert!(body.starts_with('\u{feff}'));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&records[1][0], "# 导出时间 / exported at");
    assert_eq!(
        &records[2][1], "route=first_purchase&sort=oldest",
        "the filter is in the file"
    );
    assert_eq!(&records[3][0], "id");
    assert_eq!(records.len(), 4 + 3);
    let supplier_column = records[3].iter().position(|h| h == "supplier").unwrap();
    assert!(
        records[4..]
            .iter()
            .any(|r| r[supplier_column].starts_with("'=HYPERLINK")),
        "a formula-looking cell is defused"
    );
    assert_eq!(
        app.get("/first-purchases/export.csv?buyer=abc")
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );

    // The same list as XLSX: the same rows, the same filter; the formula-looking name is
    // kept as it is, as text (a text cell never runs).
    let xlsx = app
        .get("/first-purchases/export.xlsx?route=first_purchase&sort=oldest")
        .await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    let cells = xlsx_cells(&xlsx.bytes().await.unwrap());
    let text = |value: &str| calamine::Data::String(value.to_owned());
    assert_eq!(cells[2][1], text("route=first_purchase&sort=oldest"));
    assert_eq!(cells[4][0], text("编号 / id"));
    let rows = &cells[5..];
    assert_eq!(rows.len(), 3);
    for (row, expected) in rows.iter().zip(&records[4..]) {
        assert_eq!(row[0], calamine::Data::Float(expected[0].parse().unwrap()));
        assert_eq!(
            row[supplier_column],
            text(expected[supplier_column].trim_start_matches('\'')),
            "the supplier, not defused but a text cell"
        );
        let amount = match &expected[10] {
            "" => calamine::Data::Empty,
            yuan => calamine::Data::Float(yuan.parse().unwrap()),
        };
        assert_eq!(row[10], amount, "the amount in yuan, as a number");
    }
    assert_eq!(
        app.get("/first-purchases/export.xlsx?buyer=abc")
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );

    // A record of a product whose page is no longer public leaves the list.
    sqlx::query("UPDATE organisations SET verified_at = NULL WHERE id = $1")
        .bind(wujin)
        .execute(&pool)
        .await
        .unwrap();
    let page = app.get("/first-purchases").await.text().await.unwrap();
    assert!(totals(&page).contains(r#"data-count="2""#));
    let hidden: i64 = sqlx::query_scalar("SELECT id FROM first_purchases WHERE product_id = $1")
        .bind(sensor)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        app.get(&format!("/first-purchases/{hidden}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/first-purchases/999999").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/first-purchases/abc").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_buying_agency_attaches_the_contract_and_everyone_reads_it(pool: PgPool) {
    use crate::attachments::{upload, PDF};
    let agency = organisation(&pool, "常州市水利局", "government_agency", "320400", true).await;
    let other = organisation(&pool, "常州市交通局", "government_agency", "320400", true).await;
    let supplier = organisation(&pool, "常州水感科技有限公司", "enterprise", "320411", true).await;
    let app = spawn_app(pool.clone()).await;
    let buyer = member(&app, &pool, "buyer@slj.example", agency, "{member,buyer}").await;
    let stranger = member(&app, &pool, "buyer@jtj.example", other, "{member,buyer}").await;
    let staff = member(
        &app,
        &pool,
        "staff@shuigan.example",
        supplier,
        "{admin,member}",
    )
    .await;
    let product = listed(&pool, agency, supplier, "水质监测浮标").await;
    let fields = record_fields(agency, -30, "86.5万", "awarded");
    buyer
        .post(
            &format!("/products/{product}/first-purchases/new"),
            &pairs(&fields),
        )
        .await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM first_purchases")
        .fetch_one(&pool)
        .await
        .unwrap();
    let page = format!("/first-purchases/{id}");

    let (_, own) = buyer.get(&page).await;
    assert!(
        own.contains(&format!("{page}/attachments")),
        "the agency gets the upload form"
    );
    let (_, theirs) = staff.get(&page).await;
    assert!(!theirs.contains(&format!("{page}/attachments")));
    for refused in [&stranger, &staff] {
        let response = upload(refused, &page, "合同.pdf", PDF.to_vec(), None).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    let exe = upload(
        &buyer,
        &page,
        "合同.pdf",
        b"MZ\x90\x00 not a pdf".to_vec(),
        None,
    )
    .await;
    assert_eq!(exe.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let forged = upload(&buyer, &page, "合同.pdf", PDF.to_vec(), Some("forged")).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let added = upload(&buyer, &page, "中标公告.pdf", PDF.to_vec(), None).await;
    assert_eq!(location(&added), format!("{page}?notice=attachment_added"));

    let file: i64 = sqlx::query_scalar(
        "SELECT id FROM attachments WHERE record_kind = 'first_purchase' AND record_id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let public = app.get(&page).await.text().await.unwrap();
    assert!(public.contains("中标公告.pdf") && public.contains(&format!("/attachments/{file}")));
    let download = app.get(&format!("/attachments/{file}")).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
    // Once the product's page is not public, neither is the record's file.
    sqlx::query("UPDATE organisations SET verified_at = NULL WHERE id = $1")
        .bind(supplier)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        app.get(&format!("/attachments/{file}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let (status, _) = buyer.get(&format!("/attachments/{file}")).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the agency still reads its own record's file"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_dismissed_dispute_settles_the_record(pool: PgPool) {
    let agency = organisation(&pool, "常州市水利局", "government_agency", "320400", true).await;
    let supplier = organisation(&pool, "常州水感科技有限公司", "enterprise", "320411", true).await;
    let app = spawn_app(pool.clone()).await;
    let buyer = member(&app, &pool, "buyer@slj.example", agency, "{member,buyer}").await;
    let staff = member(&app, &pool, "staff@shuigan.example", supplier, "{member}").await;
    let admin = crate::second_factor::platform_admin(&app, &pool, "root@example.cn").await;
    let product = listed(&pool, agency, supplier, "水质监测浮标").await;
    let fields = record_fields(agency, -30, "86.5万", "awarded");
    buyer
        .post(
            &format!("/products/{product}/first-purchases/new"),
            &pairs(&fields),
        )
        .await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM first_purchases")
        .fetch_one(&pool)
        .await
        .unwrap();
    let dispute = format!("/first-purchases/{id}/dispute");
    let filed = staff
        .post(
            &dispute,
            &[("ground", "never_signed"), ("reason", "我们没有签过")],
        )
        .await;
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    let dismissed = admin
        .post(
            &format!("/first-purchases/{id}/settle"),
            &[
                ("decision", "dismissed"),
                ("settlement", "采购单位提供了合同原件"),
            ],
        )
        .await;
    assert_eq!(dismissed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        first_purchased_on(&pool, product).await,
        Some(day(-30)),
        "the record stands"
    );
    let again = staff
        .post(&dispute, &[("ground", "wrong_amount"), ("reason", "再议")])
        .await;
    assert_eq!(
        again.status(),
        StatusCode::CONFLICT,
        "the platform's ruling settles it"
    );
    let (_, page) = staff.get(&format!("/first-purchases/{id}")).await;
    assert!(!page.contains(r#"data-testid="dispute-form""#));
    assert!(page.contains("异议不成立，记录维持"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_record_that_is_not_public_is_a_404_for_those_who_may_not_see_it(pool: PgPool) {
    let agency = organisation(&pool, "常州市水利局", "government_agency", "320400", true).await;
    let other = organisation(&pool, "常州市交通局", "government_agency", "320400", true).await;
    let supplier = organisation(&pool, "常州水感科技有限公司", "enterprise", "320411", true).await;
    let rival = organisation(&pool, "常州对手科技有限公司", "enterprise", "320411", true).await;
    let app = spawn_app(pool.clone()).await;
    let buyer = member(&app, &pool, "buyer@slj.example", agency, "{member,buyer}").await;
    let stranger = member(&app, &pool, "buyer@jtj.example", other, "{member,buyer}").await;
    let staff = member(&app, &pool, "staff@shuigan.example", supplier, "{member}").await;
    let outsider = member(&app, &pool, "staff@rival.example", rival, "{admin,member}").await;
    let product = listed(&pool, agency, supplier, "水质监测浮标").await;
    let fields = record_fields(agency, -30, "86.5万", "awarded");
    buyer
        .post(
            &format!("/products/{product}/first-purchases/new"),
            &pairs(&fields),
        )
        .await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM first_purchases")
        .fetch_one(&pool)
        .await
        .unwrap();
    // An earlier year's record of the same product, to see the year options follow.
    sqlx::query(
        "INSERT INTO first_purchases (product_id, product_revision, buyer_organisation_id,
             supplier_organisation_id, route, signed_on, amount_fen, outcome)
         SELECT id, revision, $2, organisation_id, 'catalogue', DATE '2021-06-01', 100, 'awarded'
         FROM products WHERE id = $1",
    )
    .bind(product)
    .bind(agency)
    .execute(&pool)
    .await
    .unwrap();
    let page = app.get("/first-purchases").await.text().await.unwrap();
    assert!(page.contains(r#"<option value="2021""#));
    sqlx::query("UPDATE organisations SET verified_at = NULL WHERE id = $1")
        .bind(supplier)
        .execute(&pool)
        .await
        .unwrap();
    let page = app.get("/first-purchases").await.text().await.unwrap();
    assert!(
        !page.contains(r#"<option value="2021""#),
        "no year of a hidden record"
    );
    assert!(!page.contains("常州水感科技有限公司") && !page.contains("水质监测浮标"));
    let csv = app
        .get("/first-purchases/export.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(!csv.contains("水质监测浮标"));

    let record = format!("/first-purchases/{id}");
    for (path, form) in [
        (format!("{record}/correct"), vec![("route", "catalogue")]),
        (format!("{record}/cancel"), vec![("reason", "x")]),
        (
            format!("{record}/dispute"),
            vec![("ground", "never_signed"), ("reason", "x")],
        ),
        (format!("{record}/stand-by"), vec![("answer", "x")]),
        (format!("{record}/attachments"), vec![]),
    ] {
        for who in [&stranger, &outsider] {
            assert_eq!(
                who.post(&path, &form).await.status(),
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
    }
    assert_eq!(stranger.get(&record).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&record).await.status(), StatusCode::NOT_FOUND);
    // Those it concerns still see it.
    assert_eq!(buyer.get(&record).await.0, StatusCode::OK);
    assert_eq!(staff.get(&record).await.0, StatusCode::OK);
}
