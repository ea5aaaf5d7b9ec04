//! Organisations and platform administration over HTTP: registering an organisation,
//! asking to join and deciding, roles and the last admin, verification (and a code that
//! fails its check), claims, suspension, and the audit log with its CSV.

use crate::accounts::{location, signed_in, Browser, PASSWORD};
use crate::fixtures::organisation;
use crate::helpers::{csv_table, spawn_app, TestApp};
use reqwest::StatusCode;
use sqlx::PgPool;

/// A valid unified social credit code (check characters computed, GB 32100-2015).
fn valid_code() -> String {
    app::domain::credit_code::CreditCode::compose("91", "320411", "MA1XYW12")
        .unwrap()
        .as_str()
        .to_owned()
}

async fn platform_admin<'a>(app: &'a TestApp, pool: &PgPool) -> Browser<'a> {
    crate::second_factor::platform_admin(app, pool, "root@example.cn").await
}

async fn register<'a>(browser: &Browser<'a>, code: &str, reason: &str) -> reqwest::Response {
    browser
        .post(
            "/organisations/new",
            &[
                ("kind", "enterprise"),
                ("name", "常州新测科技有限公司"),
                ("credit_code", code),
                ("override_reason", reason),
                ("location", "320411"),
                ("public_phone", "0519-85681234"),
                ("public_email", "office@xince.example.cn"),
                ("website", "https://xince.example.cn"),
                ("description", "工业检测设备"),
            ],
        )
        .await
}

async fn organisation_id(pool: &PgPool, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM organisations WHERE credit_code = $1")
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_registered_organisation_waits_unlisted_until_a_platform_admin_verifies_it(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let code = valid_code();
    let founder = signed_in(&app, "founder@example.cn", "创始人").await;
    let created = register(&founder, &code, "").await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let id = organisation_id(&pool, &code).await;
    assert_eq!(
        location(&created),
        format!("/organisations/{id}/members?notice=organisation_created")
    );
    let (status, page) = founder.get(&format!("/organisations/{id}/members")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("创始人"));
    assert_eq!(
        founder.get(&format!("/organisations/{id}")).await.0,
        StatusCode::NOT_FOUND,
        "unverified: not public"
    );

    // The same code again: refused, with the way to ask to join.
    let again = register(
        &signed_in(&app, "second@example.cn", "第二人").await,
        &code,
        "",
    )
    .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = again.text().await.unwrap();
    assert!(page.contains("该统一社会信用代码已登记"));
    assert!(page.contains("/organisations/join?credit_code="));

    // A code failing its check characters needs the registrant's reason, then an admin's.
    let mut bad = valid_code();
    bad.replace_range(17..18, if bad.ends_with('1') { "2" } else { "1" });
    let other = signed_in(&app, "old@example.cn", "老代码").await;
    let refused = register(&other, &bad, "").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("第18位校验码"));
    assert_eq!(
        register(&other, &bad, "2015 年登记，营业执照如此")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let old = organisation_id(&pool, &bad).await;

    let admin = platform_admin(&app, &pool).await;
    let (status, queue) = admin.get("/admin/organisations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(queue.contains("常州新测科技有限公司") && queue.contains("代码未通过校验"));
    assert_eq!(
        admin
            .post(&format!("/admin/organisations/{id}/verify"), &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let no_reason = admin
        .post(
            &format!("/admin/organisations/{old}/verify"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.text().await.unwrap().contains("请写明理由"));
    let with_reason = admin
        .post(
            &format!("/admin/organisations/{old}/verify"),
            &[("reason", "核对了营业执照原件")],
        )
        .await;
    assert_eq!(with_reason.status(), StatusCode::SEE_OTHER);
    let accepted: Option<String> = sqlx::query_scalar(
        "SELECT reason FROM audit_log WHERE action = 'accept_credit_code_failing_checksum' AND subject_id = $1",
    )
    .bind(old)
    .fetch_optional(&pool)
    .await
    .unwrap();
    assert_eq!(accepted.as_deref(), Some("核对了营业执照原件"));

    assert_eq!(
        founder.get(&format!("/organisations/{id}")).await.0,
        StatusCode::OK,
        "verified: public"
    );
    crate::fixtures::drain_all(&pool).await;
    let (_, search) = founder.get("/search?q=新测").await;
    assert!(search.contains("常州新测科技有限公司"), "and in search");

    // Unverifying takes it out again, with a reason.
    let unverified = admin
        .post(
            "/admin/organisations/unverify",
            &[("credit_code", &code), ("reason", "营业执照已吊销")],
        )
        .await;
    assert_eq!(
        location(&unverified),
        "/admin/organisations?notice=unverified"
    );
    assert_eq!(
        founder.get(&format!("/organisations/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_member_asks_to_join_the_admin_accepts_and_the_last_admin_stays(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let code = valid_code();
    let founder = signed_in(&app, "founder@example.cn", "创始人").await;
    register(&founder, &code, "").await;
    let id = organisation_id(&pool, &code).await;
    // Until it is verified, asking to join is a claim the platform admins decide.
    let early = signed_in(&app, "early@example.cn", "早到").await;
    let claimed = early
        .post("/organisations/join", &[("credit_code", &code)])
        .await;
    assert_eq!(location(&claimed), "/account?notice=claim_requested");
    let admin = platform_admin(&app, &pool).await;
    admin
        .post(&format!("/admin/organisations/{id}/verify"), &[])
        .await;

    let applicant = signed_in(&app, "applicant@example.cn", "申请人").await;
    let asked = applicant
        .post(
            "/organisations/join",
            &[
                ("credit_code", &code.to_lowercase()),
                ("message", "研发部工程师"),
            ],
        )
        .await;
    assert_eq!(location(&asked), "/account?notice=join_requested");
    let unknown = applicant
        .post(
            "/organisations/join",
            &[("credit_code", "91320411MA1XYZ9999")],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let (status, page) = founder.get(&format!("/organisations/{id}/members")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("研发部工程师"));
    assert_eq!(
        applicant
            .get(&format!("/organisations/{id}/members"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let request: i64 = sqlx::query_scalar(
        "SELECT r.id FROM join_requests r JOIN users u ON u.id = r.user_id
         WHERE u.email = 'applicant@example.cn'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let accepted = founder
        .post(
            &format!("/organisations/{id}/requests/{request}/accept"),
            &[],
        )
        .await;
    assert_eq!(
        location(&accepted),
        format!("/organisations/{id}/members?notice=request_decided")
    );
    let (_, page) = applicant.get("/account").await;
    assert!(
        page.contains("常州新测科技有限公司"),
        "the new member sees the organisation"
    );

    let member: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'applicant@example.cn'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let founder_id: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'founder@example.cn'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let buyer = founder
        .post(
            &format!("/organisations/{id}/members/{member}/roles"),
            &[("roles", "member"), ("roles", "buyer")],
        )
        .await;
    assert_eq!(
        buyer.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "firms have no buyers"
    );
    let last_admin = founder
        .post(
            &format!("/organisations/{id}/members/{founder_id}/roles"),
            &[("roles", "member")],
        )
        .await;
    assert_eq!(last_admin.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(last_admin.text().await.unwrap().contains("唯一的管理员"));
    let leave = founder
        .post(
            &format!("/organisations/{id}/members/{founder_id}/remove"),
            &[],
        )
        .await;
    assert_eq!(
        leave.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the last admin cannot leave"
    );

    let promoted = founder
        .post(
            &format!("/organisations/{id}/members/{member}/roles"),
            &[("roles", "admin"), ("roles", "member")],
        )
        .await;
    assert_eq!(
        location(&promoted),
        format!("/organisations/{id}/members?notice=roles_saved")
    );
    let left = founder
        .post(
            &format!("/organisations/{id}/members/{founder_id}/remove"),
            &[],
        )
        .await;
    assert_eq!(location(&left), "/account?notice=left");
    let roles: Vec<String> = sqlx::query_scalar(
        "SELECT array_to_string(roles, ',') FROM memberships WHERE organisation_id = $1",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(roles, ["admin,member"]);
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE subject_kind = 'organisation' AND subject_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "register_organisation",
            "grant_roles",
            "claim_organisation",
            "verify",
            "ask_to_join",
            "accept_member",
            "set_roles",
            "leave"
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_organisation_without_an_admin_is_claimed_and_a_platform_admin_decides(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let agency = organisation(&pool, "常州市某局", "government_agency", "320400", true).await;
    let code: String = sqlx::query_scalar("SELECT credit_code FROM organisations WHERE id = $1")
        .bind(agency)
        .fetch_one(&pool)
        .await
        .unwrap();
    let claimant = signed_in(&app, "clerk@example.cn", "办事员").await;
    let claimed = claimant
        .post(
            "/organisations/join",
            &[("credit_code", &code), ("message", "授权书编号 2026-17")],
        )
        .await;
    assert_eq!(location(&claimed), "/account?notice=claim_requested");

    let admin = platform_admin(&app, &pool).await;
    let (_, queue) = admin.get("/admin/organisations").await;
    assert!(queue.contains("授权书编号 2026-17"));
    let request: i64 = sqlx::query_scalar("SELECT id FROM join_requests")
        .fetch_one(&pool)
        .await
        .unwrap();
    // The claim is not the organisation's to decide (it has no admin), nor anyone else's.
    assert_eq!(
        claimant
            .post(&format!("/admin/claims/{request}/accept"), &[])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let accepted = admin
        .post(&format!("/admin/claims/{request}/accept"), &[])
        .await;
    assert_eq!(
        location(&accepted),
        "/admin/organisations?notice=request_decided"
    );
    let roles: String = sqlx::query_scalar(
        "SELECT array_to_string(roles, ',') FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE u.email = 'clerk@example.cn' AND m.organisation_id = $1",
    )
    .bind(agency)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(roles, "admin,member", "the claimant is its first admin");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_suspended_account_is_signed_out_and_cannot_sign_in_until_lifted(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let person = signed_in(&app, "person@example.cn", "某人").await;
    let admin = platform_admin(&app, &pool).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'person@example.cn'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let (status, page) = admin.get("/admin/users?email=person").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("person@example.cn"));
    let no_reason = admin
        .post(&format!("/admin/users/{id}/suspend"), &[("reason", " ")])
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let suspended = admin
        .post(
            &format!("/admin/users/{id}/suspend"),
            &[("reason", "冒用单位名义")],
        )
        .await;
    assert_eq!(location(&suspended), "/admin/users?notice=suspended");
    assert_eq!(
        person.get("/account").await.0,
        StatusCode::UNAUTHORIZED,
        "its sign-ins ended"
    );
    let again = Browser::new(&app);
    assert_eq!(
        again.sign_in("person@example.cn", PASSWORD).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    assert_eq!(
        location(&admin.post(&format!("/admin/users/{id}/lift"), &[]).await),
        "/admin/users?notice=lifted"
    );
    assert_eq!(
        again.sign_in("person@example.cn", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );

    // The audit log shows both, filtered by record, and exports the same as CSV.
    let (status, log) = admin
        .get(&format!("/admin/audit?kind=user&record={id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        log.contains("suspend") && log.contains("lift_suspension") && log.contains("冒用单位名义")
    );
    let csv = admin
        .client
        .get(app.url(&format!(
            "/admin/audit.csv?kind=user&record={id}&action=suspend"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    let table = csv_table(&text);
    assert_eq!(&table[0][..3], ["id", "at", "actor_kind"]);
    assert_eq!(table.len(), 2, "{text}");
    assert!(table[1].iter().any(|cell| cell == "suspend"));
    assert!(table[1].iter().any(|cell| cell.contains("冒用单位名义")));
    assert_eq!(
        admin.get("/admin/audit?from=yesterday").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(person.get("/admin/audit").await.0, StatusCode::UNAUTHORIZED);
}

/// A multipart form as a browser sends it, with the session's token among its fields.
fn multipart_claim(
    code: &str,
    token: Option<&str>,
    file: &[u8],
    name: &str,
) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new()
        .text("credit_code", code.to_owned())
        .text("message", "授权书见附件".to_owned())
        .part(
            "evidence",
            reqwest::multipart::Part::bytes(file.to_vec()).file_name(name.to_owned()),
        );
    if let Some(token) = token {
        form = form.text("csrf_token", token.to_owned());
    }
    form
}

#[sqlx::test(migrations = "../migrations")]
async fn a_claim_carries_its_authorisation_letter_to_the_platform_admin(pool: PgPool) {
    let folder = tempfile::tempdir().unwrap();
    let evidence_dir = folder.path().to_owned();
    let app = crate::helpers::spawn_app_configured(
        pool.clone(),
        crate::helpers::test_clock(),
        None,
        server::startup::RouterOptions::for_tests(),
        app::state::Site::local(),
        move |state| state.accounts.evidence_dir = evidence_dir,
    )
    .await;
    let agency = organisation(&pool, "常州市某中心", "public_institution", "320400", true).await;
    let code: String = sqlx::query_scalar("SELECT credit_code FROM organisations WHERE id = $1")
        .bind(agency)
        .fetch_one(&pool)
        .await
        .unwrap();
    let claimant = signed_in(&app, "clerk@example.cn", "办事员").await;
    let (_, page) = claimant.get("/organisations/join").await;
    assert!(page.contains("enctype=\"multipart/form-data\""));
    let token = crate::accounts::csrf_token(&page).unwrap();
    let letter = b"%PDF-1.7\n% authorisation letter\n";
    let origin = format!("http://{}", app.address);
    let post = |form| {
        claimant
            .client
            .post(app.url("/organisations/join"))
            .header("origin", origin.clone())
            .multipart(form)
            .send()
    };

    // Without the session's token a file form is refused like any other.
    let forged = post(multipart_claim(&code, None, letter, "授权书.pdf"))
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    // Not a PDF, JPEG or PNG (whatever its name says): refused whole, naming the field.
    let script = post(multipart_claim(
        &code,
        Some(&token),
        b"<script>alert(1)</script>",
        "letter.pdf",
    ))
    .await
    .unwrap();
    assert_eq!(script.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(script
        .text()
        .await
        .unwrap()
        .contains("请上传 PDF、JPG 或 PNG 文件"));
    let requests: i64 = sqlx::query_scalar("SELECT count(*) FROM join_requests")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(requests, 0);
    assert_eq!(
        std::fs::read_dir(folder.path())
            .map(|d| d.count())
            .unwrap_or(0),
        0,
        "no file kept"
    );

    let claimed = post(multipart_claim(&code, Some(&token), letter, "授权书.pdf"))
        .await
        .unwrap();
    assert_eq!(location(&claimed), "/account?notice=claim_requested");
    let request: i64 = sqlx::query_scalar("SELECT id FROM join_requests")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        claimant
            .get(&format!("/admin/claims/{request}/evidence"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );

    let admin = platform_admin(&app, &pool).await;
    let (_, queue) = admin.get("/admin/organisations").await;
    assert!(queue.contains(&format!("/admin/claims/{request}/evidence")));
    let file = admin
        .client
        .get(app.url(&format!("/admin/claims/{request}/evidence")))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    assert!(file.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert!(
        file.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with(".pdf"),
        "named by the type read from the bytes"
    );
    assert_eq!(file.bytes().await.unwrap().as_ref(), letter);

    // Decided: the letter has served its purpose and leaves the disk.
    let accepted = admin
        .post(&format!("/admin/claims/{request}/accept"), &[])
        .await;
    assert_eq!(
        location(&accepted),
        "/admin/organisations?notice=request_decided"
    );
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);
}
