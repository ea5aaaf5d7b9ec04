//! Attachments of a draft: the kind read from the bytes, 10 MiB and 10 files at most, the
//! CSRF token checked before anything is stored, files seen only by who may see the record,
//! and a refused upload leaving nothing behind.

use crate::accounts::{csrf_token, location, signed_in, Browser};
use crate::fixtures::organisation;
use crate::helpers::{spawn_app, TestApp};
use http::StatusCode;
use reqwest::multipart::{Form, Part};
use sqlx::PgPool;

pub(crate) const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

async fn member<'a>(
    app: &'a TestApp,
    pool: &PgPool,
    email: &str,
    organisation: i64,
) -> Browser<'a> {
    let browser = signed_in(app, email, "成员").await;
    sqlx::query(
        "INSERT INTO memberships (user_id, organisation_id, roles)
         SELECT id, $2, '{member}' FROM users WHERE email = $1",
    )
    .bind(email)
    .bind(organisation)
    .execute(pool)
    .await
    .unwrap();
    browser
}

/// Posts `bytes` named `name` to the draft's upload form, with the session's token unless
/// `token` says otherwise.
pub(crate) async fn upload(
    browser: &Browser<'_>,
    draft: &str,
    name: &str,
    bytes: Vec<u8>,
    token: Option<&str>,
) -> reqwest::Response {
    let (_, page) = browser.get(draft).await;
    let real = csrf_token(&page).unwrap_or_default();
    let form = Form::new()
        .text("csrf_token", token.map_or(real, str::to_owned))
        .part("file", Part::bytes(bytes).file_name(name.to_owned()));
    browser
        .client
        .post(browser.app.url(&format!("{draft}/attachments")))
        .header("origin", format!("http://{}", browser.app.address))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn stored(app: &TestApp, pool: &PgPool) -> (i64, usize) {
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM attachments")
        .fetch_one(pool)
        .await
        .unwrap();
    (rows, app.state.attachments.list_keys().await.unwrap().len())
}

#[sqlx::test(migrations = "../migrations")]
async fn files_are_checked_by_content_and_size_and_seen_only_by_their_organisation(pool: PgPool) {
    let firm = organisation(&pool, "常州甲科技有限公司", "enterprise", "320411", true).await;
    let other_firm = organisation(&pool, "常州乙科技有限公司", "enterprise", "320411", true).await;
    let app = spawn_app(pool.clone()).await;
    let staff = member(&app, &pool, "staff@a.example", firm).await;
    let outsider = member(&app, &pool, "staff@b.example", other_firm).await;
    let draft = location(
        &staff
            .post(
                "/drafts",
                &[("kind", "product"), ("organisation", &firm.to_string())],
            )
            .await,
    );

    let sent = upload(&staff, &draft, "报价单.pdf", PDF.to_vec(), None).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&sent), format!("{draft}?notice=attachment_added"));
    assert_eq!(stored(&app, &pool).await, (1, 1));
    let (sha, size): (String, i64) = sqlx::query_as("SELECT sha256, size_bytes FROM attachments")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(size, PDF.len() as i64);
    assert_eq!(sha.len(), 64);
    let id: i64 = sqlx::query_scalar("SELECT id FROM attachments")
        .fetch_one(&pool)
        .await
        .unwrap();
    let download = staff
        .client
        .get(app.url(&format!("/attachments/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert!(download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
    // Another organisation, or nobody signed in: as if it did not exist.
    let theirs = outsider
        .client
        .get(app.url(&format!("/attachments/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("/attachments/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        upload(&outsider, &draft, "x.pdf", PDF.to_vec(), None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // An executable renamed .pdf, an 11 MB file, a forged token: refused, nothing stored.
    let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
    elf.resize(4096, 0);
    let renamed = upload(&staff, &draft, "说明书.pdf", elf, None).await;
    assert_eq!(renamed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(renamed.text().await.unwrap().contains("按文件内容判断类型"));
    let mut big = PDF.to_vec();
    big.resize(11 * 1024 * 1024, b' ');
    let too_big = upload(&staff, &draft, "大文件.pdf", big, None).await;
    assert_eq!(too_big.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let forged = upload(&staff, &draft, "x.pdf", PDF.to_vec(), Some("forged")).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(stored(&app, &pool).await, (1, 1));

    // Ten at most.
    for n in 2..=10 {
        let sent = upload(&staff, &draft, &format!("附件{n}.pdf"), PDF.to_vec(), None).await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER, "file {n}");
    }
    let eleventh = upload(&staff, &draft, "附件11.pdf", PDF.to_vec(), None).await;
    assert_eq!(eleventh.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(eleventh.text().await.unwrap().contains("最多 10 个附件"));
    assert_eq!(stored(&app, &pool).await, (10, 10));

    // Removing one removes its file; deleting the draft removes the rest.
    let removed = staff.post(&format!("/attachments/{id}/delete"), &[]).await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored(&app, &pool).await, (9, 9));
    let deleted = staff.post(&format!("{draft}/delete"), &[]).await;
    assert_eq!(
        location(&deleted),
        "/account/submissions?notice=draft_deleted"
    );
    assert_eq!(stored(&app, &pool).await, (0, 0));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_revisions_files_stay_private_until_it_is_accepted_and_count_with_the_records(
    pool: PgPool,
) {
    let firm = organisation(&pool, "常州丁科技有限公司", "enterprise", "320411", true).await;
    let product = crate::fixtures::product(
        &pool,
        firm,
        None,
        "已发布的产品",
        "new_materials",
        "published",
    )
    .await;
    sqlx::query(
        "INSERT INTO product_revisions (product_id, revision, snapshot)
         SELECT id, 1, jsonb_build_object('name', name) FROM products WHERE id = $1
         ON CONFLICT DO NOTHING",
    )
    .bind(product)
    .execute(&pool)
    .await
    .unwrap();
    let app = spawn_app(pool.clone()).await;
    let staff = member(&app, &pool, "staff@d.example", firm).await;
    // A change to the published product: a draft of it (as a return or withdrawal leaves).
    let fields = serde_json::json!({
        "name": "已发布的产品（第二版）", "procurement_code": "A02100000", "procurement_name": "专用设备",
        "industry": "new_materials", "description": "新版说明", "specifications": "新版参数"
    });
    let draft: i64 = sqlx::query_scalar(
        "INSERT INTO drafts (record_kind, organisation_id, record_id, fields) VALUES ('product', $1, $2, $3)
         RETURNING id",
    )
    .bind(firm)
    .bind(product)
    .bind(fields)
    .fetch_one(&pool)
    .await
    .unwrap();
    let draft_url = format!("/drafts/{draft}");
    // The record's files count with the draft's: nine already, so one more and no more.
    for n in 0..9 {
        sqlx::query(
            "INSERT INTO attachments (record_kind, record_id, organisation_id, storage_key, sha256,
                                      size_bytes, file_kind, original_name, uploaded_at)
             VALUES ('product', $1, $2, $3, repeat('0', 64), 10, 'pdf', 'old.pdf', now())",
        )
        .bind(product)
        .bind(firm)
        .bind(format!("old/{n}"))
        .execute(&pool)
        .await
        .unwrap();
    }
    assert_eq!(
        upload(&staff, &draft_url, "新版.pdf", PDF.to_vec(), None)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let over = upload(&staff, &draft_url, "再一个.pdf", PDF.to_vec(), None).await;
    assert_eq!(over.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let new_file: i64 =
        sqlx::query_scalar("SELECT id FROM attachments WHERE record_kind = 'draft'")
            .fetch_one(&pool)
            .await
            .unwrap();

    // Submitted as a revision: the page stays public, the new file does not.
    let submitted = staff
        .post(
            &format!("{draft_url}/submit"),
            &[
                ("name", "已发布的产品（第二版）"),
                ("procurement_code", "A02100000"),
                ("procurement_name", "专用设备"),
                ("industry", "new_materials"),
                ("description", "新版说明"),
                ("specifications", "新版参数"),
            ],
        )
        .await;
    assert_eq!(
        location(&submitted),
        "/account/submissions?notice=submitted"
    );
    assert_eq!(
        app.get(&format!("/attachments/{new_file}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let purpose: String = sqlx::query_scalar("SELECT purpose::text FROM submissions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(purpose, "revision");

    // A platform reviewer (no call: the shared queue) reviews and approves it.
    let reviewer = signed_in(&app, "reviewer@platform.example", "平台评审").await;
    sqlx::query("INSERT INTO platform_roles (user_id, role) SELECT id, 'reviewer' FROM users WHERE email = 'reviewer@platform.example'")
        .execute(&pool)
        .await
        .unwrap();
    let reviewer = {
        drop(reviewer);
        let browser = Browser::new(&app);
        browser
            .sign_in("reviewer@platform.example", crate::accounts::PASSWORD)
            .await;
        browser
    };
    let submission: i64 = sqlx::query_scalar("SELECT id FROM submissions")
        .fetch_one(&pool)
        .await
        .unwrap();
    // The file went with the submission: frozen, shown to its reviewer, no longer the
    // draft's (which is gone, so nothing can change what is being reviewed).
    let (kind, of): (String, i64) =
        sqlx::query_as("SELECT record_kind, record_id FROM attachments WHERE id = $1")
            .bind(new_file)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((kind.as_str(), of), ("submission", submission));
    assert_eq!(
        staff.get(&draft_url).await.0,
        StatusCode::NOT_FOUND,
        "the draft went with the submission"
    );
    let (_, review_page) = reviewer.get(&format!("/review/{submission}")).await;
    assert!(
        review_page.contains("新版.pdf"),
        "the reviewer sees the new file"
    );
    assert_eq!(
        reviewer.get(&format!("/attachments/{new_file}")).await.0,
        StatusCode::OK
    );
    let reviewed = reviewer
        .post(
            &format!("/review/{submission}"),
            &[("score_1", "80"), ("comment", "可以更新。")],
        )
        .await;
    assert_eq!(reviewed.status(), StatusCode::SEE_OTHER);
    let decided = reviewer
        .post(
            &format!("/review/{submission}/decide"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(decided.status(), StatusCode::SEE_OTHER);
    // Accepted: the new text is public, and the file with it.
    let (name, revision): (String, i32) =
        sqlx::query_as("SELECT name, revision FROM products WHERE id = $1")
            .bind(product)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((name.as_str(), revision), ("已发布的产品（第二版）", 2));
    assert_eq!(
        app.get(&format!("/attachments/{new_file}")).await.status(),
        StatusCode::OK
    );
    let drafts: i64 = sqlx::query_scalar("SELECT count(*) FROM drafts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(drafts, 0);
}
