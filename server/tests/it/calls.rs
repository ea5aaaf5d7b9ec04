//! Calls as an agency admin runs them: a draft only its agency sees, every field checked
//! and named, reviewers assigned, announced, and opened and closed by the scheduler on its
//! dates.

use crate::accounts::{location, signed_in};
use crate::fixtures::organisation;
use crate::helpers::{spawn_app, test_today};
use crate::second_factor::agency_admin;
use chrono::{NaiveDate, TimeDelta};
use http::StatusCode;
use server::scheduler::Scheduler;
use sqlx::PgPool;

fn day(offset: i64) -> String {
    (test_today() + TimeDelta::days(offset)).to_string()
}

/// A product batch opening in `opens` days and closing in `closes` days.
fn batch_form(code: &str, agency: i64, opens: i64, closes: i64) -> Vec<(String, String)> {
    [
        ("organisation", agency.to_string()),
        ("kind", "product_batch".into()),
        ("code", code.into()),
        ("title", "创新产品推荐目录（第一批）".into()),
        ("description", "征集具有自主知识产权的创新产品。".into()),
        ("eligible_kinds", "enterprise".into()),
        ("eligible_kinds", "research_institute".into()),
        ("opens_on", day(opens)),
        ("closes_on", day(closes)),
        ("required_reviews", "2".into()),
        ("notice_days", "5".into()),
        ("notice_count", "working".into()),
        ("valid_from", day(closes + 30)),
        ("valid_until", day(closes + 760)),
        ("criterion_1", "技术先进性".into()),
        ("weight_1", "60".into()),
        ("criterion_2", "市场前景".into()),
        ("weight_2", "40".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

async fn call_status(pool: &PgPool, id: i64) -> String {
    sqlx::query_scalar("SELECT status::text FROM calls WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A confirmed member of a verified firm, who may be assigned as a reviewer.
async fn reviewer(app: &crate::helpers::TestApp, pool: &PgPool, email: &str, firm: i64) {
    drop(signed_in(app, email, "评审专家").await);
    sqlx::query(
        "INSERT INTO memberships (user_id, organisation_id, roles)
         SELECT id, $2, '{member}' FROM users WHERE email = $1",
    )
    .bind(email)
    .bind(firm)
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn an_agency_admin_drafts_assigns_and_announces_a_call_that_opens_and_closes_by_itself(
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
    let firm = organisation(&pool, "常州甲科技有限公司", "enterprise", "320411", true).await;
    let app = spawn_app(pool.clone()).await;
    let admin = agency_admin(&app, &pool, "admin@kjj.example", agency).await;

    let created = admin
        .post(
            "/calls/new",
            &pairs(&batch_form("czcx-2027-01", agency, 3, 40)),
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let page = location(&created);
    assert!(page.ends_with("?notice=call_created"), "{page}");
    let id: i64 = page
        .trim_start_matches("/calls/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(call_status(&pool, id).await, "draft");

    // A draft is its agency's alone: not listed, and 404 for anyone else.
    let (status, body) = admin.get(&format!("/calls/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("CZCX-2027-01") && body.contains("draft-banner"));
    assert!(body.contains("技术先进性"));
    assert_eq!(app.get(&format!("/calls/{id}")).await.status(), 404);
    let listed = app.get("/calls").await.text().await.unwrap();
    assert!(!listed.contains("CZCX-2027-01"));
    let other_agency =
        organisation(&pool, "常州市财政局", "government_agency", "320400", true).await;
    let other = agency_admin(&app, &pool, "admin@czj.example", other_agency).await;
    assert_eq!(other.get(&format!("/calls/{id}")).await.0, 404);
    let announced_by_other = other.post(&format!("/calls/{id}/announce"), &[]).await;
    assert_eq!(announced_by_other.status(), 404);

    // Announcing needs the reviewers the call requires, one of them the lead.
    let refused = admin.post(&format!("/calls/{id}/announce"), &[]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("至少 2 位评审人"));
    let unknown = admin
        .post(
            &format!("/calls/{id}/reviewers"),
            &[("email", "nobody@example.cn")],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    reviewer(&app, &pool, "first@firm.example", firm).await;
    reviewer(&app, &pool, "second@firm.example", firm).await;
    for (email, lead) in [("first@firm.example", "yes"), ("second@firm.example", "")] {
        let added = admin
            .post(
                &format!("/calls/{id}/reviewers"),
                &[("email", email), ("lead", lead)],
            )
            .await;
        assert_eq!(added.status(), StatusCode::SEE_OTHER, "{email}");
    }
    let twice = admin
        .post(
            &format!("/calls/{id}/reviewers"),
            &[("email", "first@firm.example")],
        )
        .await;
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let announced = admin.post(&format!("/calls/{id}/announce"), &[]).await;
    assert_eq!(announced.status(), StatusCode::SEE_OTHER);
    assert_eq!(call_status(&pool, id).await, "scheduled");
    // Announced: its lead and the reviewers it needs stay until others are assigned.
    let lead: i64 = sqlx::query_scalar("SELECT user_id FROM call_reviewers WHERE is_lead")
        .fetch_one(&pool)
        .await
        .unwrap();
    let removed = admin
        .post(&format!("/calls/{id}/reviewers/{lead}/remove"), &[])
        .await;
    assert_eq!(removed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let listed = app.get("/calls").await.text().await.unwrap();
    assert!(
        listed.contains("CZCX-2027-01"),
        "announced calls are public"
    );
    // Its terms no longer change.
    let edited = admin
        .post(
            &format!("/calls/{id}/edit"),
            &pairs(&batch_form("CZCX-2027-01", agency, 3, 40)),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::CONFLICT);

    // The scheduler opens it on its opening day and closes it after its last day.
    let scheduler = Scheduler::from_state(&app.state);
    scheduler.tick().await;
    assert_eq!(call_status(&pool, id).await, "scheduled");
    app.state.clock.advance(TimeDelta::days(3)).unwrap();
    scheduler.tick().await;
    assert_eq!(call_status(&pool, id).await, "open");
    app.state.clock.advance(TimeDelta::days(37)).unwrap();
    scheduler.tick().await;
    assert_eq!(
        call_status(&pool, id).await,
        "open",
        "open through its last day"
    );
    app.state.clock.advance(TimeDelta::days(1)).unwrap();
    scheduler.tick().await;
    // Nothing was submitted, so nothing is left to select: closed and finished at once.
    assert_eq!(call_status(&pool, id).await, "finished");
    // Its reviewers still review changes to what it publishes: the agency keeps them
    // up to date.
    reviewer(&app, &pool, "third@firm.example", firm).await;
    let admin = crate::second_factor::admin_again(&app, "admin@kjj.example").await;
    let added = admin
        .post(
            &format!("/calls/{id}/reviewers"),
            &[("email", "third@firm.example"), ("lead", "yes")],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);

    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE subject_kind = 'call' AND subject_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "create",
            "assign_reviewer",
            "assign_reviewer",
            "announce",
            "open",
            "close",
            "finish",
            "assign_reviewer"
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_bad_call_form_names_each_field_and_creates_nothing(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let app = spawn_app(pool.clone()).await;
    let admin = agency_admin(&app, &pool, "admin@gxj.example", agency).await;

    let mut form = batch_form("CZCX-2027-02", agency, 10, 5);
    form.retain(|(name, _)| name != "weight_2");
    form.push(("weight_2".into(), "30".into()));
    let refused = admin.post("/calls/new", &pairs(&form)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("结束日期不能早于开始日期"),
        "close before open"
    );
    assert!(page.contains("权重之和须为 100（现为 90）"));
    assert!(page.contains("CZCX-2027-02"), "what was typed is kept");
    let calls: i64 = sqlx::query_scalar("SELECT count(*) FROM calls")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(calls, 0);

    // A batch needs a notice of at least a day.
    let mut form = batch_form("CZCX-2027-02", agency, 1, 5);
    form.retain(|(name, _)| name != "notice_days");
    form.push(("notice_days".into(), "0".into()));
    let refused = admin.post("/calls/new", &pairs(&form)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Codes are unique.
    let first = admin
        .post(
            "/calls/new",
            &pairs(&batch_form("CZCX-2027-03", agency, 1, 5)),
        )
        .await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let again = admin
        .post(
            "/calls/new",
            &pairs(&batch_form("czcx-2027-03", agency, 1, 5)),
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().await.unwrap().contains("已有征集使用此编号"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_admin_of_an_unverified_agency_runs_no_call(pool: PgPool) {
    let agency = organisation(&pool, "某未认证机关", "government_agency", "320400", false).await;
    let app = spawn_app(pool.clone()).await;
    let admin = agency_admin(&app, &pool, "admin@unverified.example", agency).await;
    assert_eq!(admin.get("/calls/new").await.0, StatusCode::FORBIDDEN);
    let refused = admin
        .post(
            "/calls/new",
            &pairs(&batch_form("CZCX-2027-09", agency, 1, 5)),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_holiday_calendar_in_the_database_counts_a_working_day_window_across_national_day(
    pool: PgPool,
) {
    // The State Council's 2026 arrangements, as the migration entered them.
    let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let calendar = app::calls::db::holiday_calendar(&pool, date(9, 1), date(10, 31))
        .await
        .unwrap();
    let window = app::calls::notice_window::notice_window(
        date(9, 29),
        5,
        app::calls::notice_window::NoticeCount::Working,
        &calendar,
    )
    .unwrap();
    assert_eq!(window.last_day, date(10, 12));
    assert!(window.calendar_known);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_platform_admin_enters_a_years_holidays_and_windows_follow_them(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let admin = crate::second_factor::platform_admin(&app, &pool, "admin@platform.example").await;
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    // Before: 2027 is not entered; New Year's Day counts as a Friday.
    let before = app::calls::db::holiday_calendar(&pool, date(2026, 12, 31), date(2027, 1, 31))
        .await
        .unwrap();
    assert!(before.is_working_day(date(2027, 1, 1)));
    assert!(!before.knows_year(2027));

    let refused = admin
        .post(
            "/admin/calendar/days",
            &[("day", "2027-02-30"), ("kind", "holiday"), ("name", "元旦")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for (day, kind, name) in [
        ("2027-01-01", "holiday", "元旦"),
        ("2027-02-07", "working_day", "春节调休上班"),
    ] {
        let saved = admin
            .post(
                "/admin/calendar/days",
                &[("day", day), ("kind", kind), ("name", name)],
            )
            .await;
        assert_eq!(
            location(&saved),
            "/admin/calendar?year=2027&notice=calendar_saved"
        );
    }
    let entered = admin
        .post(
            "/admin/calendar/years",
            &[("year", "2027"), ("source", "国办发明电〔2026〕测试号")],
        )
        .await;
    assert_eq!(entered.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.get("/admin/calendar?year=2027").await;
    assert!(page.contains("春节调休上班") && page.contains("国办发明电〔2026〕测试号"));

    let after = app::calls::db::holiday_calendar(&pool, date(2026, 12, 31), date(2027, 2, 28))
        .await
        .unwrap();
    assert!(!after.is_working_day(date(2027, 1, 1)));
    assert!(after.is_working_day(date(2027, 2, 7)), "an adjusted Sunday");
    assert!(after.knows_year(2027));
    // A window entering notice on Thursday 31 December 2026: 1 January no longer counts.
    let window = app::calls::notice_window::notice_window(
        date(2026, 12, 31),
        1,
        app::calls::notice_window::NoticeCount::Working,
        &after,
    )
    .unwrap();
    assert_eq!(window.last_day, date(2027, 1, 4));
    assert!(window.calendar_known);

    let removed = admin
        .post("/admin/calendar/days/2027-02-07/delete", &[])
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE subject_kind = 'calendar' AND subject_id = 2027",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 4);
}
