//! The scheduler: facts that change with the date reach pages and search on the day they
//! change, each step runs once a day however many servers tick, and `/healthz` shows its
//! last and next run.

use crate::fixtures::*;
use crate::helpers::{csv_table, spawn_app_on, test_clock, TestApp};
use app::clock::Clock;
use app::search::{DocumentKind, EmbeddedIndex, SearchBackend, SearchIndex, SearchQuery};
use chrono::TimeDelta;
use server::scheduler::{Ran, Scheduler, Step};
use server::startup::RouterOptions;
use sqlx::PgPool;

fn scheduler(pool: &PgPool, clock: &Clock) -> Scheduler {
    Scheduler {
        pool: pool.clone(),
        clock: clock.clone(),
        search: SearchBackend::embedded(pool.clone(), clock.clone()),
        site: app::state::Site::local(),
        open_data_dir: None,
    }
}

fn ran(report: &[(Step, Ran)], step: Step) -> Ran {
    report
        .iter()
        .find(|(s, _)| *s == step)
        .map(|(_, ran)| ran.clone())
        .unwrap()
}

/// Ids of the products search finds with `eligible=1` (or all products).
async fn searched(pool: &PgPool, clock: &Clock, eligible: bool) -> Vec<i64> {
    let index = EmbeddedIndex::new(pool.clone(), clock.clone());
    let results = index
        .search(&SearchQuery {
            kind: Some(DocumentKind::Product),
            eligible,
            ..SearchQuery::default()
        })
        .await
        .unwrap();
    results.hits.iter().map(|hit| hit.id).collect()
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.get(path).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

#[sqlx::test(migrations = "../migrations")]
async fn a_batch_lapsing_overnight_takes_its_products_out_of_eligible_search_results(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市科学技术局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(
        &pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    // Valid until the end of today.
    let lapsing = batch(&pool, agency, "CZCX-2025-01", -300, 0).await;
    let product = product(
        &pool,
        firm,
        Some(lapsing),
        "六轴工业机器人",
        "intelligent_manufacturing",
        "published",
    )
    .await;
    queue_product_for_index(&pool, product).await;
    let clock = test_clock();
    let app = spawn_app_on(
        pool.clone(),
        clock.clone(),
        None,
        RouterOptions::for_tests(),
    )
    .await;
    drain_into(&pool, &app.state.search, &clock).await;
    assert_eq!(searched(&pool, &clock, true).await, vec![product]);

    clock.advance(TimeDelta::days(1)).unwrap();
    let report = scheduler(&pool, &clock).tick().await;
    assert!(
        matches!(ran(&report, Step::EligibilityChanges), Ran::Done(ref outcome) if outcome.starts_with("1 products")),
        "{report:?}"
    );
    drain_into(&pool, &app.state.search, &clock).await;
    assert_eq!(
        searched(&pool, &clock, true).await,
        Vec::<i64>::new(),
        "search learned it the same day"
    );
    assert_eq!(
        searched(&pool, &clock, false).await,
        vec![product],
        "still published"
    );
    let (_, body) = page(&app, &format!("/products/{product}")).await;
    assert!(body.contains("当前不符合首购条件"), "the page agrees");
    let csv = app
        .get("/api/v1/search/export?kind=product&eligible=1")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv_table(&csv).len(), 1, "the export agrees: {csv}");
    let audit: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'eligibility_changed' AND subject_id = $1",
    )
    .bind(product)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audit, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_batch_starting_today_makes_its_products_eligible_in_search(pool: PgPool) {
    let agency = organisation(&pool, "常州市财政局", "government_agency", "320400", true).await;
    let firm = organisation(
        &pool,
        "常州烯创新材料科技有限公司",
        "enterprise",
        "320413",
        true,
    )
    .await;
    let starting = batch(&pool, agency, "CZCX-2026-02", 1, 700).await;
    let product = product(
        &pool,
        firm,
        Some(starting),
        "石墨烯导热膜",
        "new_materials",
        "published",
    )
    .await;
    queue_product_for_index(&pool, product).await;
    let clock = test_clock();
    drain_into(
        &pool,
        &EmbeddedIndex::new(pool.clone(), clock.clone()),
        &clock,
    )
    .await;
    assert!(searched(&pool, &clock, true).await.is_empty());

    clock.advance(TimeDelta::days(1)).unwrap();
    scheduler(&pool, &clock).tick().await;
    drain_into(
        &pool,
        &EmbeddedIndex::new(pool.clone(), clock.clone()),
        &clock,
    )
    .await;
    assert_eq!(searched(&pool, &clock, true).await, vec![product]);
}

#[sqlx::test(migrations = "../migrations")]
async fn notices_that_ended_are_published_once_and_expired_products_leave_search(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(
        &pool,
        "常州恒锐精密机械有限公司",
        "enterprise",
        "320412",
        true,
    )
    .await;
    let batch = batch(&pool, agency, "CZCX-2026-01", -30, 300).await;
    let noticed = product(
        &pool,
        firm,
        Some(batch),
        "五轴联动加工中心",
        "intelligent_manufacturing",
        "in_notice",
    )
    .await;
    sqlx::query("UPDATE products SET notice_until = $2, published_at = NULL WHERE id = $1")
        .bind(noticed)
        .bind(day(0))
        .execute(&pool)
        .await
        .unwrap();
    let scenario_in_notice = scenario(
        &pool,
        agency,
        "数控机床远程运维",
        "smart_manufacturing",
        "in_notice",
    )
    .await;
    let expiring = product(
        &pool,
        firm,
        Some(batch),
        "精密数控车床",
        "intelligent_manufacturing",
        "published",
    )
    .await;
    sqlx::query("UPDATE products SET valid_until = $2 WHERE id = $1")
        .bind(expiring)
        .bind(day(0))
        .execute(&pool)
        .await
        .unwrap();
    queue_product_for_index(&pool, expiring).await;
    let clock = test_clock();
    drain_into(
        &pool,
        &EmbeddedIndex::new(pool.clone(), clock.clone()),
        &clock,
    )
    .await;

    // Today is still the notice's last day and the product's last valid day.
    let report = scheduler(&pool, &clock).tick().await;
    assert_eq!(
        ran(&report, Step::EndNotices),
        Ran::Done("0 submissions accepted, 0 other records published".into())
    );
    assert_eq!(status(&pool, "products", noticed).await, "in_notice");

    clock.advance(TimeDelta::days(1)).unwrap();
    let report = scheduler(&pool, &clock).tick().await;
    assert_eq!(
        ran(&report, Step::EndNotices),
        Ran::Done("0 submissions accepted, 1 other records published".into())
    );
    assert_eq!(
        ran(&report, Step::ExpireProducts),
        Ran::Done("1 products expired".into())
    );
    assert_eq!(status(&pool, "products", noticed).await, "published");
    assert_eq!(status(&pool, "products", expiring).await, "expired");
    // The scenario's notice (fixture: five days) has not ended.
    assert_eq!(
        status(&pool, "scenarios", scenario_in_notice).await,
        "in_notice"
    );
    drain_into(
        &pool,
        &EmbeddedIndex::new(pool.clone(), clock.clone()),
        &clock,
    )
    .await;
    assert_eq!(searched(&pool, &clock, false).await, vec![noticed]);

    // The same day again: nothing runs twice.
    let again = scheduler(&pool, &clock).tick().await;
    for step in [
        Step::EndNotices,
        Step::ExpireProducts,
        Step::EligibilityChanges,
        Step::FairOrder,
    ] {
        assert_eq!(ran(&again, step), Ran::Skipped, "{step:?}");
    }
    let published_at: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT published_at FROM products WHERE id = $1")
            .bind(noticed)
            .fetch_one(&pool)
            .await
            .unwrap();
    let now = clock.now();
    assert!(
        (published_at - now).abs() < TimeDelta::seconds(1),
        "published at the clock's now"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn two_servers_ticking_together_run_each_step_once(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(
        &pool,
        "常州恒锐精密机械有限公司",
        "enterprise",
        "320412",
        true,
    )
    .await;
    let batch = batch(&pool, agency, "CZCX-2026-01", -30, 300).await;
    let mut noticed = Vec::new();
    for name in ["激光切割机", "折弯机器人", "智能仓储系统", "AGV 小车"] {
        let id = product(
            &pool,
            firm,
            Some(batch),
            name,
            "intelligent_manufacturing",
            "in_notice",
        )
        .await;
        sqlx::query("UPDATE products SET notice_until = $2 WHERE id = $1")
            .bind(id)
            .bind(day(-1))
            .execute(&pool)
            .await
            .unwrap();
        noticed.push(id);
    }
    let clock = test_clock();
    let (a, b) = (scheduler(&pool, &clock), scheduler(&pool, &clock));
    let (first, second) = tokio::join!(a.tick(), b.tick());
    for step in Step::ALL {
        let done = [&first, &second]
            .iter()
            .filter(|report| matches!(ran(report, step), Ran::Done(_)))
            .count();
        assert_eq!(done, 1, "{step:?}: {first:?} {second:?}");
    }
    let runs: Vec<i64> = sqlx::query_scalar("SELECT runs FROM scheduler_steps ORDER BY step")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(runs, vec![1; Step::ALL.len()]);
    let published: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'publish' AND subject_id = ANY($1)",
    )
    .bind(&noticed)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(published, 4, "each record published once");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_first_purchase_reaches_search_with_its_record(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市第一人民医院",
        "public_institution",
        "320402",
        true,
    )
    .await;
    let firm = organisation(
        &pool,
        "常州康宁医疗器械有限公司",
        "enterprise",
        "320412",
        true,
    )
    .await;
    let batch = batch(&pool, agency, "CZCX-2026-01", -30, 300).await;
    let id = product(
        &pool,
        firm,
        Some(batch),
        "电子内窥镜",
        "biomedicine",
        "published",
    )
    .await;
    queue_product_for_index(&pool, id).await;
    let clock = test_clock();
    drain_into(
        &pool,
        &EmbeddedIndex::new(pool.clone(), clock.clone()),
        &clock,
    )
    .await;
    let bought = || async {
        let index = EmbeddedIndex::new(pool.clone(), clock.clone());
        let query = SearchQuery {
            first_purchased: true,
            ..SearchQuery::default()
        };
        index.search(&query).await.unwrap().total
    };
    assert_eq!(bought().await, 0);

    first_purchase(&pool, id, agency, firm, "awarded", -3).await;
    let queued: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM search_outbox WHERE subject_kind = 'product' AND subject_id = $1 AND processed_at IS NULL",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        queued, 1,
        "the record queues its product in the same transaction"
    );
    drain_into(
        &pool,
        &EmbeddedIndex::new(pool.clone(), clock.clone()),
        &clock,
    )
    .await;
    assert_eq!(bought().await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn health_shows_each_steps_last_and_next_run(pool: PgPool) {
    let clock = test_clock();
    let app = spawn_app_on(
        pool.clone(),
        clock.clone(),
        None,
        RouterOptions::for_tests(),
    )
    .await;
    scheduler(&pool, &clock).tick().await;
    let health: serde_json::Value = app.get("/healthz").await.json().await.unwrap();
    let steps = health["scheduler"].as_array().unwrap();
    assert_eq!(steps.len(), Step::ALL.len());
    let notices = steps.iter().find(|s| s["step"] == "end_notices").unwrap();
    assert_eq!(
        notices["last_day"],
        crate::helpers::test_today().to_string()
    );
    assert_eq!(
        notices["last_outcome"],
        "0 submissions accepted, 0 other records published"
    );
    // Next: the first tick after midnight, deployment time (16:00 UTC the day before).
    let next = crate::helpers::test_today().succ_opt().unwrap();
    assert_eq!(
        notices["next_run_at"],
        format!("{}T16:00:00Z", next.pred_opt().unwrap())
    );
    assert!(notices["last_run_at"].is_string());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_clock_moved_back_does_not_put_the_daily_steps_to_sleep(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市科学技术局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(
        &pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        true,
    )
    .await;
    let lapsing = batch(&pool, agency, "CZCX-2025-01", -300, 5).await;
    let product = product(
        &pool,
        firm,
        Some(lapsing),
        "六轴工业机器人",
        "intelligent_manufacturing",
        "published",
    )
    .await;
    queue_product_for_index(&pool, product).await;
    let clock = test_clock();
    let index = EmbeddedIndex::new(pool.clone(), clock.clone());
    drain_into(&pool, &index, &clock).await;
    assert_eq!(searched(&pool, &clock, true).await, vec![product]);

    scheduler(&pool, &clock).tick().await; // the steps ran today
                                           // Ten days ahead the batch has lapsed; back again it is valid once more.
    clock.advance(TimeDelta::days(10)).unwrap();
    scheduler(&pool, &clock).tick().await;
    drain_into(&pool, &index, &clock).await;
    assert!(searched(&pool, &clock, true).await.is_empty());
    clock.advance(TimeDelta::days(-10)).unwrap();
    let report = scheduler(&pool, &clock).tick().await;
    assert!(
        matches!(ran(&report, Step::EligibilityChanges), Ran::Done(ref outcome) if outcome.starts_with("1 products")),
        "the steps run for the earlier day too: {report:?}"
    );
    drain_into(&pool, &index, &clock).await;
    assert_eq!(searched(&pool, &clock, true).await, vec![product]);
}

#[sqlx::test(migrations = "../migrations")]
async fn health_says_degraded_when_a_step_is_overdue(pool: PgPool) {
    let clock = test_clock();
    let app = spawn_app_on(
        pool.clone(),
        clock.clone(),
        None,
        RouterOptions::for_tests(),
    )
    .await;
    // The index's copy built first, as at start-up, so that only the steps can degrade.
    app.state.search.prepare().await.unwrap();
    // Every step last ran yesterday: at noon today they are twelve hours overdue (their
    // task stopped, or keeps failing).
    for step in Step::ALL {
        sqlx::query(
            "INSERT INTO scheduler_steps (step, last_day, last_finished_at) VALUES ($1, $2, $3)",
        )
        .bind(step.name())
        .bind(day(-1))
        .bind(at(-1))
        .execute(&pool)
        .await
        .unwrap();
    }
    let health: serde_json::Value = app.get("/healthz").await.json().await.unwrap();
    assert_eq!(health["status"], "degraded", "{health}");
    scheduler(&pool, &clock).tick().await;
    let health: serde_json::Value = app.get("/healthz").await.json().await.unwrap();
    assert_eq!(health["status"], "ok", "{health}");
}
