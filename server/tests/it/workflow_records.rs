//! Scenarios and projects through the workflow: an agency's direct scenario and a firm's
//! project go to the platform's reviewers and are published without notice; a scenario
//! call collects scenarios into public notice; published records are changed by reviewed
//! revisions while their published text stays, and withdrawn by their owners.

use crate::accounts::{location, signed_in, Browser};
use crate::fixtures::organisation;
use crate::helpers::{spawn_app, test_today, TestApp};
use crate::workflow::{member, sign_in_again};
use chrono::TimeDelta;
use http::StatusCode;
use server::scheduler::Scheduler;
use sqlx::PgPool;

fn scenario_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("title", "城区道路积水智能监测"),
        ("sector", "urban_governance"),
        ("need", "汛期城区道路积水的实时监测与预警。"),
        ("expected_outcome", "积水点十分钟内告警。"),
        ("budget_min", "50万"),
        ("budget_max", "80万"),
        ("location", "320411"),
        ("contact_phone", "0519-85681234"),
    ]
}

fn project_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("name", "固态电池电解质中试线"),
        ("sector", "energy"),
        ("stage", "series_a"),
        ("financing_sought", "3000万"),
        ("financing_form", "equity"),
        ("highlights", "能量密度达到 400 Wh/kg。"),
        ("team", "博士六人，产业化经验十年。"),
    ]
}

/// A confirmed platform reviewer, signed in.
async fn platform_reviewer<'a>(app: &'a TestApp, pool: &PgPool, email: &str) -> Browser<'a> {
    drop(signed_in(app, email, "平台审核员").await);
    sqlx::query(
        "INSERT INTO platform_roles (user_id, role) SELECT id, 'reviewer' FROM users WHERE email = $1",
    )
    .bind(email)
    .execute(pool)
    .await
    .unwrap();
    sign_in_again(app, email).await
}

/// Starts a draft of `kind` for `organisation`; returns its address.
async fn draft(browser: &Browser<'_>, kind: &str, organisation: i64) -> String {
    let created = browser
        .post(
            "/drafts",
            &[("kind", kind), ("organisation", &organisation.to_string())],
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    location(&created)
}

/// The latest submission: its id, state, record id and call.
async fn latest(pool: &PgPool) -> (i64, String, i64, Option<i64>) {
    sqlx::query_as(
        "SELECT id, state::text, record_id, call_id FROM submissions ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Reviews submission `id` with one overall score and approves it.
async fn review_and_approve(reviewer: &Browser<'_>, id: i64) {
    let reviewed = reviewer
        .post(
            &format!("/review/{id}"),
            &[("score_1", "85"), ("comment", "需求清晰。")],
        )
        .await;
    assert_eq!(reviewed.status(), StatusCode::SEE_OTHER);
    let decided = reviewer
        .post(
            &format!("/review/{id}/decide"),
            &[("decision", "approve"), ("substantive", "yes")],
        )
        .await;
    assert_eq!(decided.status(), StatusCode::SEE_OTHER);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_agencys_direct_scenario_is_reviewed_by_the_platform_and_changed_by_a_revision(
    pool: PgPool,
) {
    let agency = organisation(
        &pool,
        "常州市城市管理局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(&pool, "常州水务科技有限公司", "enterprise", "320411", true).await;
    let app = spawn_app(pool.clone()).await;
    let officer = member(&app, &pool, "officer@cgj.example", agency, "{member}").await;
    let staff = member(&app, &pool, "staff@water.example", firm, "{member}").await;
    let reviewer = platform_reviewer(&app, &pool, "reviewer@platform.example").await;

    // A firm has no direct route: it answers a scenario call.
    let firm_draft = draft(&staff, "scenario", firm).await;
    let refused = staff
        .post(&format!("{firm_draft}/submit"), &scenario_fields())
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("只有政府部门和事业单位可以不经征集直接提交场景"));

    // Incomplete: each missing field named, the contact too.
    let scenario_draft = draft(&officer, "scenario", agency).await;
    let (_, form) = officer.get(&scenario_draft).await;
    assert!(form.contains("不经征集直接提交（平台审核，不公示）"));
    let incomplete = officer
        .post(
            &format!("{scenario_draft}/submit"),
            &[("title", "城区道路积水智能监测"), ("budget_min", "很多")],
        )
        .await;
    assert_eq!(incomplete.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = incomplete.text().await.unwrap();
    assert!(page.contains("需求描述: 请填写此项") && page.contains("办公电话: 请填写此项"));
    assert!(page.contains("预算下限（元）"), "the amount is named");

    // Text is text, in a text box too: a `</textarea>` typed into one does not end it.
    let markup = "</textarea><h1>注入</h1>&amp;";
    let saved = officer
        .post(&scenario_draft, &[("need", markup), ("title", "标题")])
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let (_, form) = officer.get(&scenario_draft).await;
    assert!(!form.contains("<h1>注入</h1>"), "escaped in the text box");
    assert!(form.contains("&lt;/textarea&gt;&lt;h1&gt;注入&lt;/h1&gt;&amp;amp;"));

    let submitted = officer
        .post(&format!("{scenario_draft}/submit"), &scenario_fields())
        .await;
    assert_eq!(
        location(&submitted),
        "/account/submissions?notice=submitted"
    );
    let (submission, state, scenario, call) = latest(&pool).await;
    assert_eq!((state.as_str(), call), ("submitted", None));
    assert_eq!(
        app.get(&format!("/scenarios/{scenario}")).await.status(),
        404,
        "not public before it is decided"
    );

    // The platform's queue takes it; the agency's own staff do not review it.
    let (_, queue) = reviewer.get("/review").await;
    assert!(queue.contains(&format!("/review/{submission}")));
    let (_, review_page) = reviewer.get(&format!("/review/{submission}")).await;
    assert!(
        review_page.contains("汛期城区道路积水的实时监测与预警。")
            && review_page.contains("新北区")
    );
    assert_eq!(
        officer
            .post(
                &format!("/review/{submission}"),
                &[("score_1", "100"), ("comment", "自评。")],
            )
            .await
            .status(),
        StatusCode::FORBIDDEN,
        "the submitting agency sees its submission but does not review it"
    );
    review_and_approve(&reviewer, submission).await;
    assert_eq!(
        latest(&pool).await.1,
        "accepted",
        "no notice for a direct scenario"
    );
    let page = app
        .get(&format!("/scenarios/{scenario}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("城区道路积水智能监测") && page.contains("0519-85681234"));
    let (_, notifications) = officer.get("/account/notifications").await;
    assert!(notifications.contains("已发布"));
    let (_, queue) = reviewer.get("/review").await;
    let reviewed = queue
        .split(r#"data-testid="reviewed""#)
        .nth(1)
        .unwrap_or_default();
    assert!(
        reviewed.contains(&format!("/review/{submission}")),
        "the reviewer still finds what they reviewed once it is decided"
    );

    // A revision: reviewed while the published text stays.
    let (_, own_page) = officer.get(&format!("/scenarios/{scenario}")).await;
    assert!(
        own_page.contains("revise-record"),
        "the owner may change it"
    );
    assert!(!page.contains("revise-record"), "nobody else may");
    assert_eq!(
        staff
            .post(&format!("/scenarios/{scenario}/revise"), &[])
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "another organisation's record"
    );
    let started = officer
        .post(&format!("/scenarios/{scenario}/revise"), &[])
        .await;
    let revision_draft = location(&started);
    assert!(revision_draft.starts_with("/drafts/"));
    let (_, form) = officer.get(&revision_draft).await;
    assert!(form.contains("汛期城区道路积水的实时监测与预警。") && form.contains("revision-note"));
    let again = officer
        .post(&format!("/scenarios/{scenario}/revise"), &[])
        .await;
    assert_eq!(location(&again), revision_draft, "one change at a time");
    let mut changed = scenario_fields();
    changed[0] = ("title", "城区道路积水与井盖智能监测");
    let resubmitted = officer
        .post(&format!("{revision_draft}/submit"), &changed)
        .await;
    assert_eq!(resubmitted.status(), StatusCode::SEE_OTHER);
    let (revision, state, _, _) = latest(&pool).await;
    assert_eq!(state, "submitted");
    let second = officer
        .post(&format!("/scenarios/{scenario}/revise"), &[])
        .await;
    assert_eq!(second.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        second
            .text()
            .await
            .unwrap()
            .contains("修改已发布的内容: 该记录已有一份正在进行的申报"),
        "one change at a time, said on the record's page"
    );
    let purpose: String = sqlx::query_scalar("SELECT purpose::text FROM submissions WHERE id = $1")
        .bind(revision)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(purpose, "revision");
    let page = app
        .get(&format!("/scenarios/{scenario}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("城区道路积水智能监测") && !page.contains("井盖"),
        "the published text stays until the change is approved"
    );
    review_and_approve(&reviewer, revision).await;
    let page = app
        .get(&format!("/scenarios/{scenario}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("城区道路积水与井盖智能监测"));
    let revisions: Vec<i32> = sqlx::query_scalar(
        "SELECT revision FROM scenario_revisions WHERE scenario_id = $1 ORDER BY revision",
    )
    .bind(scenario)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(revisions, [1, 2]);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_firms_project_is_decided_by_one_platform_reviewer_and_withdrawn_by_its_owner(
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
    let firm = organisation(&pool, "常州固态电池有限公司", "enterprise", "320412", true).await;
    let app = spawn_app(pool.clone()).await;
    let officer = member(&app, &pool, "officer@kjj.example", agency, "{member}").await;
    let founder = member(&app, &pool, "founder@battery.example", firm, "{member}").await;
    let reviewer = platform_reviewer(&app, &pool, "reviewer@platform.example").await;

    // Projects come from firms, research institutes and incubators.
    let refused = officer
        .post(
            "/drafts",
            &[("kind", "project"), ("organisation", &agency.to_string())],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("单位: 创新创业项目由企业、科研机构或孵化器提交"));
    assert!(
        refused.contains(r#"<option value="project" selected"#),
        "the kind chosen stays chosen"
    );

    let project_draft = draft(&founder, "project", firm).await;
    let (_, form) = founder.get(&project_draft).await;
    assert!(form.contains("field-financing_form") && form.contains("project-review"));
    let consenting = founder
        .post(
            &format!("{project_draft}/submit"),
            &[project_fields(), vec![("contact_consent", "yes")]].concat(),
        )
        .await;
    assert_eq!(
        consenting.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "consent needs a contact"
    );
    let submitted = founder
        .post(
            &format!("{project_draft}/submit"),
            &[
                project_fields(),
                vec![
                    ("contact_consent", "yes"),
                    ("contact_email", "BP@Battery.example"),
                ],
            ]
            .concat(),
        )
        .await;
    assert_eq!(submitted.status(), StatusCode::SEE_OTHER);
    let (submission, _, project, call) = latest(&pool).await;
    assert_eq!(call, None);
    let required: i16 =
        sqlx::query_scalar("SELECT required_reviews FROM submissions WHERE id = $1")
            .bind(submission)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(required, 1, "one platform reviewer decides");
    review_and_approve(&reviewer, submission).await;
    let page = app
        .get(&format!("/projects/{project}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("固态电池电解质中试线") && page.contains("bp@battery.example"));

    // A change under review when the owner withdraws the project ends with it: nothing is
    // left for a reviewer to decide about a withdrawn record.
    let change = location(
        &founder
            .post(&format!("/projects/{project}/revise"), &[])
            .await,
    );
    let (_, form) = founder.get(&change).await;
    assert!(form.contains("固态电池电解质中试线") && form.contains("series_a"));
    let mut changed = project_fields();
    changed[3] = ("financing_sought", "5000万");
    let resubmitted = founder.post(&format!("{change}/submit"), &changed).await;
    assert_eq!(resubmitted.status(), StatusCode::SEE_OTHER);
    let (revision, state, _, _) = latest(&pool).await;
    assert_eq!(state, "submitted");
    let withdrawn = founder
        .post(
            &format!("/projects/{project}/withdraw"),
            &[("reason", "已完成融资。")],
        )
        .await;
    assert_eq!(
        location(&withdrawn),
        format!("/projects/{project}?notice=record_withdrawn")
    );
    let page = app
        .get(&format!("/projects/{project}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("已完成融资。") && page.contains(r#"data-status="withdrawn""#));
    assert_eq!(
        latest(&pool).await.1,
        "withdrawn",
        "the change ended with the record"
    );
    let (_, queue) = reviewer.get("/review").await;
    assert!(!queue.contains(&format!("/review/{revision}")));
    let (_, notifications) = founder.get("/account/notifications").await;
    assert!(notifications.contains("正在进行的申报随之结束"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_scenario_call_collects_scenarios_through_public_notice(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(&pool, "常州智造有限公司", "enterprise", "320411", true).await;
    let reviewers = organisation(&pool, "常州评审咨询有限公司", "enterprise", "320402", true).await;
    let app = spawn_app(pool.clone()).await;
    let lead = member(&app, &pool, "lead@review.example", reviewers, "{member}").await;
    let staff = member(&app, &pool, "staff@zhizao.example", firm, "{member}").await;
    let call: i64 = sqlx::query_scalar(
        "INSERT INTO calls (kind, organisation_id, code, title, opens_on, closes_on, status,
                            required_reviews, notice_days, notice_count, eligible_kinds,
                            announced_at)
         VALUES ('scenario_call', $1, 'CJ-2026-01', '智能制造应用场景征集', $2, $3, 'open', 1, 3,
                 'calendar', '{enterprise,government_agency}', now())
         RETURNING id",
    )
    .bind(agency)
    .bind(test_today() - TimeDelta::days(1))
    .bind(test_today() + TimeDelta::days(30))
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO call_criteria (call_id, position, title, weight) VALUES ($1, 1, '需求价值', 100);
         ",
    )
    .bind(call)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO call_reviewers (call_id, user_id, is_lead)
         SELECT $1, id, true FROM users WHERE email = 'lead@review.example'",
    )
    .bind(call)
    .execute(&pool)
    .await
    .unwrap();

    // An agency that chose the call and then "without a call" goes without one: the
    // draft keeps the choice as last made.
    let officer = member(&app, &pool, "officer@gxj.example", agency, "{member}").await;
    let agency_draft = draft(&officer, "scenario", agency).await;
    let call_text = call.to_string();
    let saved = officer
        .post(
            &agency_draft,
            &[scenario_fields(), vec![("call", call_text.as_str())]].concat(),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let direct = officer
        .post(
            &format!("{agency_draft}/submit"),
            &[scenario_fields(), vec![("call", "")]].concat(),
        )
        .await;
    assert_eq!(direct.status(), StatusCode::SEE_OTHER);
    assert_eq!(latest(&pool).await.3, None, "submitted without a call");

    let scenario_draft = draft(&staff, "scenario", firm).await;
    let (_, form) = staff.get(&scenario_draft).await;
    assert!(
        form.contains("智能制造应用场景征集"),
        "the open call is offered"
    );
    let no_call = staff
        .post(&format!("{scenario_draft}/submit"), &scenario_fields())
        .await;
    assert_eq!(no_call.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let submitted = staff
        .post(
            &format!("{scenario_draft}/submit"),
            &[scenario_fields(), vec![("call", call_text.as_str())]].concat(),
        )
        .await;
    assert_eq!(submitted.status(), StatusCode::SEE_OTHER);
    let (submission, _, scenario, submitted_call) = latest(&pool).await;
    assert_eq!(submitted_call, Some(call));
    review_and_approve(&lead, submission).await;
    assert_eq!(latest(&pool).await.1, "in_notice");
    let page = app
        .get(&format!("/scenarios/{scenario}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("/notices/{submission}")),
        "the page links its notice"
    );
    let notices = app.get("/notices").await.text().await.unwrap();
    assert!(notices.contains("城区道路积水智能监测"));

    app.state.clock.advance(TimeDelta::days(5)).unwrap();
    Scheduler::from_state(&app.state).tick().await;
    let status: String = sqlx::query_scalar("SELECT status::text FROM scenarios WHERE id = $1")
        .bind(scenario)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "published");
}

/// A control character (invisible, usually pasted in from another program) in any field
/// of any form refuses the form whole, naming the field, and writes nothing: here a
/// firm's project submission (signed in) and a sign-up (anonymous, with a NUL that
/// Postgres would refuse).
#[sqlx::test(migrations = "../migrations")]
async fn a_control_character_in_any_form_field_refuses_the_form_and_writes_nothing(pool: PgPool) {
    let firm = organisation(&pool, "常州固态电池有限公司", "enterprise", "320412", true).await;
    let app = spawn_app(pool.clone()).await;
    let founder = member(&app, &pool, "founder@battery.example", firm, "{member}").await;
    let project_draft = draft(&founder, "project", firm).await;
    let written = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT (SELECT count(*) FROM submissions)::text || ' ' || fields::text FROM drafts",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let before = written().await;

    let mut fields = project_fields();
    fields[0] = ("name", "固态电池\u{1}电解质中试线");
    // As a browser posts it: from the draft's page, which is shown again.
    let (_, form_page) = founder.get(&project_draft).await;
    let token = crate::accounts::csrf_token(&form_page).unwrap();
    let post = |accept: &'static str| {
        let mut body = fields.clone();
        body.push(("csrf_token", &token));
        founder
            .client
            .post(app.url(&format!("{project_draft}/submit")))
            .header("origin", format!("http://{}", app.address))
            .header("referer", app.url(&project_draft))
            .header("accept", accept)
            .form(&body)
            .send()
    };
    let refused = post("text/html").await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("含有不可见的控制字符"), "{page}");
    assert!(
        page.contains("能量密度达到 400 Wh/kg。"),
        "what was typed is shown again"
    );
    assert_eq!(written().await, before, "nothing written");

    // The same refusal as JSON for the enhanced forms, naming the field.
    let answer = post("application/json").await.unwrap();
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let json: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(json["invalid"]["errors"][0]["field"], "name", "{json}");

    // Tab, line feed and carriage return are text, not control characters here.
    let mut fields = project_fields();
    fields[5] = ("highlights", "能量密度\t400 Wh/kg。\r\n循环寿命 2000 次。");
    let submitted = founder
        .post(&format!("{project_draft}/submit"), &fields)
        .await;
    assert_eq!(submitted.status(), StatusCode::SEE_OTHER);

    let anonymous = crate::accounts::Browser::new(&app);
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    let refused = crate::accounts::sign_up(&anonymous, "new@battery.example", "新\0用户").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("含有不可见的控制字符"));
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(users, after);
}
