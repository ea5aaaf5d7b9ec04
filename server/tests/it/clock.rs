//! One clock: "today" is the calendar day in the deployment's time zone, "published on"
//! is that day too, and the date in pages and searches follows the server's clock, never
//! the database's or the machine's.

use crate::fixtures::*;
use crate::helpers::{spawn_app_on, test_today, zone};
use app::clock::Clock;
use app::domain::{ProductId, ProjectId};
use app::publication::{self, Subject};
use app::search::{DocumentKind, SearchQuery, SortOrder};
use chrono::TimeDelta;
use server::startup::RouterOptions;
use sqlx::PgPool;

/// The text of the fact labelled `label` on a page ("发布日期" → "2026-11-30").
fn fact<'a>(page: &'a str, label: &str) -> &'a str {
    let after = &page[page.find(label).unwrap_or_else(|| panic!("no {label}"))..];
    let start = after.find("<dd").unwrap();
    let value = &after[start..];
    let open = value.find('>').unwrap() + 1;
    let close = value.find("</dd>").unwrap();
    &value[open..close]
}

#[sqlx::test(migrations = "../migrations")]
async fn something_published_at_half_past_midnight_in_changzhou_was_published_that_day(
    pool: PgPool,
) {
    // 00:30 in Changzhou is 16:30 the day before in UTC.
    let clock = Clock::fixed_local(zone(), test_today(), 0, 30);
    assert_eq!(clock.now().date_naive(), test_today() - TimeDelta::days(1));
    let firm = organisation(
        &pool,
        "常州灵眸智能科技有限公司",
        "enterprise",
        "320402",
        true,
    )
    .await;
    let product = product(
        &pool,
        firm,
        None,
        "行为识别摄像机",
        "artificial_intelligence",
        "in_review",
    )
    .await;
    let project = project(&pool, firm, "边缘计算视觉盒子", "seed", "in_review", false).await;
    sqlx::query("UPDATE products SET published_at = NULL WHERE id = $1")
        .bind(product)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE projects SET published_at = NULL WHERE id = $1")
        .bind(project)
        .execute(&pool)
        .await
        .unwrap();
    let mut tx = pool.begin().await.unwrap();
    for subject in [
        Subject::Product(ProductId(product)),
        Subject::Project(ProjectId(project)),
    ] {
        publication::publish(&mut tx, subject, None, clock.now())
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let app = spawn_app_on(
        pool.clone(),
        clock.clone(),
        None,
        RouterOptions::for_tests(),
    )
    .await;
    for path in [
        format!("/products/{product}"),
        format!("/projects/{project}"),
    ] {
        let page = app.get(&path).await.text().await.unwrap();
        assert_eq!(fact(&page, "发布日期"), test_today().to_string(), "{path}");
    }
    let audit_day: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT at FROM audit_log WHERE action = 'publish' AND subject_id = $1")
            .bind(product)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(audit_day, clock.now(), "the audit log has the clock's time");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_deadline_closes_when_the_clock_passes_it_on_pages_and_in_search(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市城市运行管理中心",
        "public_institution",
        "320400",
        true,
    )
    .await;
    let id = scenario(
        &pool,
        agency,
        "城市内涝监测预警",
        "urban_governance",
        "published",
    )
    .await;
    sqlx::query("UPDATE scenarios SET open_until = $2 WHERE id = $1")
        .bind(id)
        .bind(test_today())
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO search_outbox (subject_kind, subject_id, operation) VALUES ('scenario', $1, 'upsert')",
    )
    .bind(id)
    .execute(&pool)
    .await
    .unwrap();
    let clock = crate::helpers::test_clock();
    let app = spawn_app_on(
        pool.clone(),
        clock.clone(),
        None,
        RouterOptions::for_tests(),
    )
    .await;
    drain_into(&pool, &app.state.search, &clock).await;
    let closing_soon = SearchQuery {
        kind: Some(DocumentKind::Scenario),
        sort: SortOrder::ClosingSoon,
        ..SearchQuery::default()
    };
    let open_ones = || async { app.state.search.run(&closing_soon).await.unwrap().total };

    assert_eq!(open_ones().await, 1, "open until the end of its last day");
    assert!(!app
        .get("/scenarios")
        .await
        .text()
        .await
        .unwrap()
        .contains("已截止"));

    clock.advance(TimeDelta::days(1)).unwrap();
    assert_eq!(open_ones().await, 0, "closed the next day");
    assert!(app
        .get("/scenarios")
        .await
        .text()
        .await
        .unwrap()
        .contains("已截止"));
}
