//! The workflow end to end on the server: a firm drafts and submits a product into an open
//! batch, a reviewer returns it, the firm fixes and resubmits it, both reviewers review,
//! two deciders approve at once (one wins), someone objects and the lead dismisses it, the
//! notice ends at 24:00 on its last day, and the product is published in its batch.

use crate::accounts::{location, signed_in, Browser};
use crate::fixtures::{drain_all, organisation};
use crate::helpers::{spawn_app, test_today, TestApp};
use crate::second_factor::agency_admin;
use chrono::{TimeDelta, TimeZone};
use http::StatusCode;
use server::scheduler::Scheduler;
use sqlx::PgPool;

/// An open product batch of `agency` with two criteria, 2 reviews per decision and a
/// notice of 5 working days; `lead` leads, `other` reviews.
async fn open_batch(pool: &PgPool, agency: i64, lead: &str, other: &str) -> i64 {
    let call: i64 = sqlx::query_scalar(
        "INSERT INTO calls (kind, organisation_id, code, title, opens_on, closes_on, valid_from,
                            valid_until, status, required_reviews, notice_days, notice_count,
                            eligible_kinds, announced_at)
         VALUES ('product_batch', $1, 'CZCX-TEST-01', '创新产品推荐目录（测试批）', $2, $3, $2, $4,
                 'open', 2, 5, 'working', '{enterprise}', now())
         RETURNING id",
    )
    .bind(agency)
    .bind(test_today() - TimeDelta::days(1))
    .bind(test_today() + TimeDelta::days(30))
    .bind(test_today() + TimeDelta::days(700))
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO call_criteria (call_id, position, title, weight)
         VALUES ($1, 1, '技术先进性', 60), ($1, 2, '市场前景', 40)",
    )
    .bind(call)
    .execute(pool)
    .await
    .unwrap();
    for (email, lead) in [(lead, true), (other, false)] {
        sqlx::query(
            "INSERT INTO call_reviewers (call_id, user_id, is_lead)
             SELECT $1, id, $3 FROM users WHERE email = $2",
        )
        .bind(call)
        .bind(email)
        .bind(lead)
        .execute(pool)
        .await
        .unwrap();
    }
    call
}

/// A confirmed account that belongs to `organisation` with `roles`, signed in.
pub(crate) async fn member<'a>(
    app: &'a TestApp,
    pool: &PgPool,
    email: &str,
    organisation: i64,
    roles: &str,
) -> Browser<'a> {
    let browser = signed_in(app, email, "成员").await;
    sqlx::query(
        "INSERT INTO memberships (user_id, organisation_id, roles)
         SELECT id, $2, $3::text::membership_role[] FROM users WHERE email = $1",
    )
    .bind(email)
    .bind(organisation)
    .bind(roles)
    .execute(pool)
    .await
    .unwrap();
    browser
}

async fn page_of(app: &TestApp, product: i64) -> String {
    app.get(&format!("/products/{product}"))
        .await
        .text()
        .await
        .unwrap()
}

/// A new browser signed in as `email` (after the clock moved past the sign-in's life).
pub(crate) async fn sign_in_again<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let browser = Browser::new(app);
    let response = browser.sign_in(email, crate::accounts::PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    browser
}

fn product_fields(call: i64) -> Vec<(&'static str, String)> {
    vec![
        ("name", "智能变电站巡检机器人".into()),
        ("procurement_code", "A02100000".into()),
        ("procurement_name", "专用设备".into()),
        ("industry", "intelligent_manufacturing".into()),
        ("description", "用于变电站的自主巡检，识别设备缺陷。".into()),
        ("specifications", "续航 8 小时，防护等级 IP65".into()),
        ("price_min", "12.5万".into()),
        ("price_max", "150000".into()),
        ("certifications", "first_set".into()),
        ("call", call.to_string()),
    ]
}

fn refs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn state_of(pool: &PgPool, submission: i64) -> (String, String) {
    sqlx::query_as(
        "SELECT s.state::text, p.status::text FROM submissions s
         JOIN products p ON p.id = s.record_id WHERE s.id = $1",
    )
    .bind(submission)
    .fetch_one(pool)
    .await
    .unwrap()
}

fn review_form(first: &'static str, second: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("score_1", first),
        ("score_2", second),
        ("comment", "技术成熟，建议列入。"),
    ]
}

#[sqlx::test(migrations = "../migrations")]
async fn a_product_goes_from_draft_through_review_and_notice_to_publication(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(&pool, "常州智巡科技有限公司", "enterprise", "320411", true).await;
    let reviewers_firm =
        organisation(&pool, "常州评审咨询有限公司", "enterprise", "320402", true).await;
    let app = spawn_app(pool.clone()).await;
    let lead = member(
        &app,
        &pool,
        "lead@review.example",
        reviewers_firm,
        "{member}",
    )
    .await;
    let other = member(
        &app,
        &pool,
        "other@review.example",
        reviewers_firm,
        "{member}",
    )
    .await;
    let call = open_batch(&pool, agency, "lead@review.example", "other@review.example").await;
    let firm_member = member(&app, &pool, "staff@zhixun.example", firm, "{member}").await;

    // A draft: saved incomplete, refused when submitted incomplete, each field named.
    let created = firm_member
        .post(
            "/drafts",
            &[("kind", "product"), ("organisation", &firm.to_string())],
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let draft = location(&created);
    let saved = firm_member
        .post(&draft, &[("name", "智能变电站巡检机器人")])
        .await;
    assert_eq!(location(&saved), format!("{draft}?notice=draft_saved"));
    let incomplete = firm_member
        .post(
            &format!("{draft}/submit"),
            &[("name", "智能变电站巡检机器人"), ("price_min", "lots")],
        )
        .await;
    assert_eq!(incomplete.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = incomplete.text().await.unwrap();
    assert!(page.contains("请输入以元为单位的金额"), "price named");
    assert!(
        page.contains("政府采购品目编码: 请填写此项"),
        "each missing field named"
    );
    // Nobody else sees the draft.
    assert_eq!(other.get(&draft).await.0, StatusCode::NOT_FOUND);

    let fields = product_fields(call);
    let submitted = firm_member
        .post(&format!("{draft}/submit"), &refs(&fields))
        .await;
    assert_eq!(
        location(&submitted),
        "/account/submissions?notice=submitted"
    );
    let (submission, product): (i64, i64) = sqlx::query_as("SELECT id, record_id FROM submissions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        state_of(&pool, submission).await,
        ("submitted".into(), "submitted".into())
    );
    assert_eq!(app.get(&format!("/products/{product}")).await.status(), 404);
    let (_, dashboard) = firm_member.get("/account/submissions").await;
    assert!(dashboard.contains("智能变电站巡检机器人") && dashboard.contains("已提交，待评审"));

    // The lead reviews; deciding before both reviews are in is refused.
    let (_, queue) = lead.get("/review").await;
    assert!(
        queue.contains(&format!("/review/{submission}")),
        "in the lead's queue"
    );
    let reviewed = lead
        .post(&format!("/review/{submission}"), &review_form("80", "70"))
        .await;
    assert_eq!(reviewed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        state_of(&pool, submission).await,
        ("in_review".into(), "in_review".into())
    );
    let early = lead
        .post(
            &format!("/review/{submission}/decide"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early
        .text()
        .await
        .unwrap()
        .contains("需要 2 份评审，目前 1 份"));
    other
        .post(&format!("/review/{submission}"), &review_form("60", "90"))
        .await;

    // Returned with what to fix: the firm gets a draft with the reason and the comments.
    let no_reason = lead
        .post(
            &format!("/review/{submission}/decide"),
            &[("decision", "return")],
        )
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let returned = lead
        .post(
            &format!("/review/{submission}/decide"),
            &[("decision", "return"), ("reason", "请补充防爆认证信息。")],
        )
        .await;
    assert_eq!(returned.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        state_of(&pool, submission).await,
        ("returned".into(), "returned".into())
    );
    let mailed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM mail_outbox WHERE recipient = 'staff@zhixun.example'
           AND subject LIKE '%退回修改%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(mailed, 1, "the submitter is mailed");
    let (_, notifications) = firm_member.get("/account/notifications").await;
    assert!(notifications.contains("请补充防爆认证信息"));
    let returned_draft: i64 = sqlx::query_scalar("SELECT id FROM drafts WHERE record_id = $1")
        .bind(product)
        .fetch_one(&pool)
        .await
        .unwrap();
    let (_, page) = firm_member.get(&format!("/drafts/{returned_draft}")).await;
    assert!(page.contains("请补充防爆认证信息") && page.contains("技术成熟，建议列入"));
    assert!(
        page.contains("智能变电站巡检机器人"),
        "the submitted text is back"
    );

    // Fixed and submitted again into the same call: a new round.
    let mut fixed = product_fields(call);
    fixed.push((
        "specifications",
        "续航 8 小时，防护等级 IP65，防爆认证 Ex d IIB T4".into(),
    ));
    fixed.retain(|(k, v)| *k != "specifications" || v.contains("防爆"));
    let again = firm_member
        .post(&format!("/drafts/{returned_draft}/submit"), &refs(&fixed))
        .await;
    assert_eq!(location(&again), "/account/submissions?notice=submitted");
    let round: i16 = sqlx::query_scalar("SELECT round FROM submissions WHERE id = $1")
        .bind(submission)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(round, 2);
    lead.post(&format!("/review/{submission}"), &review_form("85", "80"))
        .await;
    other
        .post(&format!("/review/{submission}"), &review_form("75", "85"))
        .await;

    // Two deciders at the same moment: exactly one wins, the other is told it changed.
    let admin = agency_admin(&app, &pool, "admin@gxj.example", agency).await;
    let path = format!("/review/{submission}/decide");
    let (a, b) = tokio::join!(
        lead.post(&path, &[("decision", "approve")]),
        admin.post(&path, &[("decision", "approve")]),
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [303, 409]);
    assert_eq!(
        state_of(&pool, submission).await,
        ("in_notice".into(), "in_notice".into())
    );
    let decisions: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE subject_kind = 'submission' AND action = 'approve'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(decisions, 1);

    // In notice: public page with its banner, and the notice list.
    let in_notice = app.get(&format!("/products/{product}")).await;
    assert_eq!(in_notice.status(), 200);
    let in_notice = in_notice.text().await.unwrap();
    assert!(
        in_notice.contains(&format!("href=\"/notices/{submission}\"")),
        "its page links the notice, where objections go"
    );
    let notices = app.get("/notices").await.text().await.unwrap();
    assert!(notices.contains("智能变电站巡检机器人"));

    // Objections: signed, by a confirmed account; unconfirmed ones are refused.
    let objector = signed_in(&app, "citizen@example.cn", "市民").await;
    let objected = objector
        .post(
            &format!("/notices/{submission}/objections"),
            &[("reason", "该产品的防爆认证尚在办理中。")],
        )
        .await;
    assert_eq!(objected.status(), StatusCode::SEE_OTHER);
    sqlx::query("UPDATE users SET email_confirmed_at = NULL WHERE email = 'citizen@example.cn'")
        .execute(&pool)
        .await
        .unwrap();
    let unconfirmed = objector
        .post(
            &format!("/notices/{submission}/objections"),
            &[("reason", "再次异议")],
        )
        .await;
    assert_eq!(unconfirmed.status(), StatusCode::FORBIDDEN);
    let (_, review_page) = lead.get(&format!("/review/{submission}")).await;
    assert!(review_page.contains("市民"), "the lead sees who signed");
    // The agency's dashboard counts it in notice, with its open objection.
    let (status, dashboard) = admin.get("/agency").await;
    assert_eq!(status, StatusCode::OK);
    assert!(dashboard.contains("公示中 1"), "{dashboard}");
    assert!(dashboard.contains(r#"data-testid="open-objections">1<"#));
    let objection: i64 = sqlx::query_scalar("SELECT id FROM objections")
        .fetch_one(&pool)
        .await
        .unwrap();
    let dismissed = lead
        .post(
            &format!("/objections/{objection}/rule"),
            &[
                ("outcome", "dismiss"),
                ("ruling", "认证证书已于公示前取得。"),
            ],
        )
        .await;
    assert_eq!(dismissed.status(), StatusCode::SEE_OTHER);

    // The window ends at 24:00 on its last day: an objection one minute before is taken,
    // one a second after is refused.
    let last_day: chrono::NaiveDate =
        sqlx::query_scalar("SELECT notice_until FROM submissions WHERE id = $1")
            .bind(submission)
            .fetch_one(&pool)
            .await
            .unwrap();
    let zone = app.state.clock.zone();
    let minute_before = zone
        .from_local_datetime(&last_day.and_hms_opt(23, 59, 0).unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    app.state
        .clock
        .advance(minute_before - app.state.clock.now())
        .unwrap();
    // Days went by: sign-ins lapsed, so both sign in again.
    let objector = sign_in_again(&app, "citizen@example.cn").await;
    let lead = sign_in_again(&app, "lead@review.example").await;
    sqlx::query("UPDATE users SET email_confirmed_at = now() WHERE email = 'citizen@example.cn'")
        .execute(&pool)
        .await
        .unwrap();
    let in_time = objector
        .post(
            &format!("/notices/{submission}/objections"),
            &[("reason", "补充异议。")],
        )
        .await;
    assert_eq!(in_time.status(), StatusCode::SEE_OTHER);
    app.state.clock.advance(TimeDelta::seconds(61)).unwrap();
    let late = objector
        .post(
            &format!("/notices/{submission}/objections"),
            &[("reason", "迟到的异议。")],
        )
        .await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.text().await.unwrap().contains("公示期已结束"));

    // An objection still open when the window ends: the item waits for the ruling.
    let scheduler = Scheduler::from_state(&app.state);
    scheduler.tick().await;
    assert_eq!(
        state_of(&pool, submission).await,
        ("in_notice".into(), "in_notice".into())
    );
    let firm_member = sign_in_again(&app, "staff@zhixun.example").await;
    let (_, dashboard) = firm_member.get("/account/submissions").await;
    assert!(
        dashboard.contains("公示期已结束，等待异议处理"),
        "the firm sees why it waits"
    );
    let second: i64 = sqlx::query_scalar("SELECT id FROM objections WHERE state = 'open'")
        .fetch_one(&pool)
        .await
        .unwrap();
    lead.post(
        &format!("/objections/{second}/rule"),
        &[("outcome", "dismiss"), ("ruling", "与前一异议相同。")],
    )
    .await;
    app.state.clock.advance(TimeDelta::days(1)).unwrap();
    scheduler.tick().await;
    assert_eq!(
        state_of(&pool, submission).await,
        ("accepted".into(), "published".into())
    );
    let listed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM product_listings WHERE product_id = $1 AND call_id = $2",
    )
    .bind(product)
    .bind(call)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(listed, 1);
    drain_all(&pool).await;
    let published = app
        .get(&format!("/calls/{call}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        published.contains(&format!("/products/{product}")),
        "the call lists what it published"
    );
    let page = app
        .get(&format!("/products/{product}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("创新产品推荐目录（测试批）"),
        "the page names its batch"
    );
    let firm_member = sign_in_again(&app, "staff@zhixun.example").await;
    let (_, notifications) = firm_member.get("/account/notifications").await;
    assert!(notifications.contains("已发布"));
    // The objector heard both rulings.
    let objector = sign_in_again(&app, "citizen@example.cn").await;
    let (_, heard) = objector.get("/account/notifications").await;
    assert!(heard.contains("认证证书已于公示前取得。") && heard.contains("与前一异议相同。"));

    // Its owner withdraws it with a reason: the page stays, with the banner and reason.
    let (_, page) = firm_member.get(&format!("/products/{product}")).await;
    assert!(
        page.contains("withdraw-record"),
        "the owner is offered to withdraw it"
    );
    assert!(
        !page_of(&app, product).await.contains("withdraw-record"),
        "nobody else is"
    );
    let withdrawn = firm_member
        .post(
            &format!("/products/{product}/withdraw"),
            &[("reason", "产品已停产。")],
        )
        .await;
    assert_eq!(
        location(&withdrawn),
        format!("/products/{product}?notice=record_withdrawn")
    );
    let page = page_of(&app, product).await;
    assert!(page.contains("产品已停产。") && page.contains(r#"data-status="withdrawn""#));
}

#[sqlx::test(migrations = "../migrations")]
async fn submissions_are_refused_into_closed_calls_from_unverified_or_ineligible_organisations(
    pool: PgPool,
) {
    let agency = organisation(
        &pool,
        "常州市科学技术局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let unverified = organisation(&pool, "未认证科技有限公司", "enterprise", "320411", false).await;
    let incubator = organisation(&pool, "常州创业孵化器", "incubator", "320411", true).await;
    let reviewers_firm = organisation(&pool, "评审公司", "enterprise", "320402", true).await;
    let app = spawn_app(pool.clone()).await;
    drop(member(&app, &pool, "lead@r.example", reviewers_firm, "{member}").await);
    drop(member(&app, &pool, "other@r.example", reviewers_firm, "{member}").await);
    let call = open_batch(&pool, agency, "lead@r.example", "other@r.example").await;
    let fields = product_fields(call);

    let staff = member(
        &app,
        &pool,
        "staff@unverified.example",
        unverified,
        "{member}",
    )
    .await;
    let draft = location(
        &staff
            .post(
                "/drafts",
                &[
                    ("kind", "product"),
                    ("organisation", &unverified.to_string()),
                ],
            )
            .await,
    );
    let refused = staff.post(&format!("{draft}/submit"), &refs(&fields)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("单位通过平台认证后才能提交"));

    // The batch takes enterprises only.
    let keeper = member(
        &app,
        &pool,
        "staff@incubator.example",
        incubator,
        "{member}",
    )
    .await;
    let draft = location(
        &keeper
            .post(
                "/drafts",
                &[
                    ("kind", "product"),
                    ("organisation", &incubator.to_string()),
                ],
            )
            .await,
    );
    let refused = keeper
        .post(&format!("{draft}/submit"), &refs(&fields))
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("不在该征集可申报的范围内"));

    // A call past its closing day takes nothing, even before the scheduler closes it.
    sqlx::query("UPDATE organisations SET kind = 'enterprise' WHERE id = $1")
        .bind(incubator)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE calls SET closes_on = $2 WHERE id = $1")
        .bind(call)
        .bind(test_today() - TimeDelta::days(1))
        .execute(&pool)
        .await
        .unwrap();
    let refused = keeper
        .post(&format!("{draft}/submit"), &refs(&fields))
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("该征集今天不接受申报"));
    let submissions: i64 = sqlx::query_scalar("SELECT count(*) FROM submissions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(submissions, 0, "nothing was submitted");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_reviewer_never_reviews_their_own_organisations_submission(pool: PgPool) {
    let agency = organisation(&pool, "常州市财政局", "government_agency", "320400", true).await;
    let firm = organisation(&pool, "常州甲公司", "enterprise", "320411", true).await;
    let app = spawn_app(pool.clone()).await;
    // Both reviewers belong to the submitting firm.
    let insider = member(&app, &pool, "insider@firm.example", firm, "{member}").await;
    drop(member(&app, &pool, "second@firm.example", firm, "{member}").await);
    let call = open_batch(&pool, agency, "insider@firm.example", "second@firm.example").await;
    let draft = location(
        &insider
            .post(
                "/drafts",
                &[("kind", "product"), ("organisation", &firm.to_string())],
            )
            .await,
    );
    insider
        .post(&format!("{draft}/submit"), &refs(&product_fields(call)))
        .await;
    let submission: i64 = sqlx::query_scalar("SELECT id FROM submissions")
        .fetch_one(&pool)
        .await
        .unwrap();
    let (_, queue) = insider.get("/review").await;
    assert!(
        !queue.contains(&format!("/review/{submission}\"")),
        "not in their queue"
    );
    let refused = insider
        .post(&format!("/review/{submission}"), &review_form("100", "100"))
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let decided = insider
        .post(
            &format!("/review/{submission}/decide"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(decided.status(), StatusCode::FORBIDDEN);
    // An unassigned reviewer does not even see it.
    let stranger_firm = organisation(&pool, "乙公司", "enterprise", "320411", true).await;
    let stranger = member(&app, &pool, "stranger@b.example", stranger_firm, "{member}").await;
    assert_eq!(
        stranger.get(&format!("/review/{submission}")).await.0,
        StatusCode::NOT_FOUND
    );
    let refused = stranger
        .post(&format!("/review/{submission}"), &review_form("1", "1"))
        .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_submission_returned_after_its_call_closed_comes_back_into_it(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(&pool, "常州丙科技有限公司", "enterprise", "320411", true).await;
    let reviewers_firm = organisation(&pool, "评审咨询公司", "enterprise", "320402", true).await;
    let app = spawn_app(pool.clone()).await;
    let lead = member(&app, &pool, "lead@c.example", reviewers_firm, "{member}").await;
    let other = member(&app, &pool, "other@c.example", reviewers_firm, "{member}").await;
    let call = open_batch(&pool, agency, "lead@c.example", "other@c.example").await;
    let staff = member(&app, &pool, "staff@c.example", firm, "{member}").await;
    let draft = location(
        &staff
            .post(
                "/drafts",
                &[("kind", "product"), ("organisation", &firm.to_string())],
            )
            .await,
    );
    // A file goes with it.
    sqlx::query(
        "INSERT INTO attachments (record_kind, record_id, organisation_id, storage_key, sha256,
                                  size_bytes, file_kind, original_name, uploaded_at)
         SELECT 'draft', id, organisation_id, 'k/1', repeat('0', 64), 10, 'pdf', '旧检测报告.pdf', now()
         FROM drafts",
    )
    .execute(&pool)
    .await
    .unwrap();
    staff
        .post(&format!("{draft}/submit"), &refs(&product_fields(call)))
        .await;
    let submission: i64 = sqlx::query_scalar("SELECT id FROM submissions")
        .fetch_one(&pool)
        .await
        .unwrap();
    lead.post(&format!("/review/{submission}"), &review_form("70", "70"))
        .await;
    other
        .post(&format!("/review/{submission}"), &review_form("70", "70"))
        .await;
    // The call closes while the reviewers deliberate; then the submission is returned.
    sqlx::query("UPDATE calls SET status = 'closed', closes_on = $2 WHERE id = $1")
        .bind(call)
        .bind(test_today() - TimeDelta::days(1))
        .execute(&pool)
        .await
        .unwrap();
    lead.post(
        &format!("/review/{submission}/decide"),
        &[("decision", "return"), ("reason", "请补充检测报告。")],
    )
    .await;
    let returned_draft: i64 =
        sqlx::query_scalar("SELECT id FROM drafts WHERE record_id IS NOT NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    // Its page says where it goes back to, and lists the file it already has, which the
    // firm may replace.
    let (_, page) = staff.get(&format!("/drafts/{returned_draft}")).await;
    assert!(page.contains("修改后将重新提交到原征集") && page.contains("旧检测报告.pdf"));
    let file: i64 = sqlx::query_scalar("SELECT id FROM attachments")
        .fetch_one(&pool)
        .await
        .unwrap();
    let removed = staff
        .post(&format!("/attachments/{file}/delete"), &[])
        .await;
    assert_eq!(
        location(&removed),
        format!("/drafts/{returned_draft}?notice=attachment_removed")
    );
    // Fixed: it goes back into the same (closed) call, whatever batch the form names.
    let mut fields = product_fields(call);
    fields.retain(|(name, _)| *name != "call");
    let again = staff
        .post(&format!("/drafts/{returned_draft}/submit"), &refs(&fields))
        .await;
    assert_eq!(location(&again), "/account/submissions?notice=submitted");
    let (state, round, into): (String, i16, i64) =
        sqlx::query_as("SELECT state::text, round, call_id FROM submissions WHERE id = $1")
            .bind(submission)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((state.as_str(), round, into), ("submitted", 2, call));
}
