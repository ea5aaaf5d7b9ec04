//! The demo catalogue (`catalogue seed`) and the benchmark catalogue (`catalogue
//! generate`), against a fresh migrated database each.

mod determinism;
mod first_purchase;
mod generate;

use crate::helpers::insert_organisation;
use app::domain::credit_code::CreditCode;
use server::commands::seed::{self, Mode, Outcome};
use sqlx::PgPool;

pub(super) async fn seeded(pool: &PgPool) {
    let outcome = seed::run(
        pool,
        Mode::RefuseIfNotEmpty,
        crate::helpers::demo_calendar(),
    )
    .await
    .unwrap();
    assert!(matches!(outcome, Outcome::Seeded(_)), "{outcome:?}");
}

/// Every record the public may find, by the one visibility rule.
pub(super) const PUBLIC_RECORDS: &str =
    "SELECT (SELECT count(*) FROM products p JOIN organisations o ON o.id = p.organisation_id
             WHERE record_is_listed(p.status, o.verified_at))
          + (SELECT count(*) FROM scenarios s JOIN organisations o ON o.id = s.organisation_id
             WHERE record_is_listed(s.status, o.verified_at))
          + (SELECT count(*) FROM projects p JOIN organisations o ON o.id = p.organisation_id
             WHERE record_is_listed(p.status, o.verified_at))
          + (SELECT count(*) FROM organisations WHERE organisation_is_public(verified_at))";

/// A count; `$1` in `sql`, if there, is the test's today.
pub(super) async fn count(pool: &PgPool, sql: &str) -> i64 {
    let query = sqlx::query_scalar(sql);
    let query = if sql.contains("$1") {
        query.bind(crate::helpers::test_today())
    } else {
        query
    };
    query.fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_demo_catalogue_has_the_promised_size_and_spread(pool: PgPool) {
    let outcome = seed::run(&pool, Mode::SkipIfNotEmpty, crate::helpers::demo_calendar())
        .await
        .unwrap();
    let Outcome::Seeded(counts) = outcome else {
        panic!("an empty catalogue is seeded")
    };
    assert_eq!(
        (counts.organisations, counts.products, counts.projects),
        (50, 300, 100)
    );

    assert_eq!(count(&pool, "SELECT count(*) FROM organisations").await, 50);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM organisations WHERE verified_at IS NOT NULL"
        )
        .await,
        46
    );
    assert_eq!(
        count(&pool, "SELECT count(DISTINCT kind) FROM organisations").await,
        6
    );
    assert_eq!(
        count(&pool, "SELECT count(DISTINCT location) FROM organisations").await,
        10
    );
    assert!(
        count(
            &pool,
            "SELECT count(*) FROM organisations WHERE location = 'outside'"
        )
        .await
            >= 1
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM products").await, 300);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM product_revisions WHERE revision = 1"
        )
        .await,
        300
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM projects").await, 100);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM projects WHERE status = 'published'"
        )
        .await,
        95
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM scenarios").await, 175);
    assert!(
        count(
            &pool,
            "SELECT count(*) FROM scenarios WHERE status = 'published'"
        )
        .await
            >= 151
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM calls WHERE kind = 'product_batch'"
        )
        .await,
        4
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM calls WHERE kind = 'scenario_call'"
        )
        .await,
        3
    );
    let answers = count(&pool, "SELECT count(*) FROM scenario_answers").await;
    assert!((100..=130).contains(&answers), "{answers} answers");
    let medical = count(&pool, "SELECT count(*) FROM products WHERE is_medical").await;
    assert!((18..=35).contains(&medical), "{medical} medical products");
    for table in [
        "organisations",
        "calls",
        "products",
        "scenarios",
        "scenario_answers",
        "first_purchases",
        "projects",
    ] {
        let not_demo = count(
            &pool,
            &format!("SELECT count(*) FROM {table} WHERE NOT is_demo"),
        )
        .await;
        assert_eq!(not_demo, 0, "{table} rows are all demo rows");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn every_seeded_credit_code_passes_both_checks(pool: PgPool) {
    seeded(&pool).await;
    let codes: Vec<(String, String)> =
        sqlx::query_as("SELECT credit_code, kind::text FROM organisations ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    for (code, kind) in codes {
        assert!(CreditCode::parse(&code).is_ok(), "{code} is valid");
        let expected: &[&str] = match kind.as_str() {
            "government_agency" => &["11"],
            "public_institution" => &["12"],
            "research_institute" => &["12", "52"],
            _ => &["91"],
        };
        assert!(
            expected.contains(&&code[..2]),
            "{code} starts right for {kind}"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn every_public_record_is_queued_for_search_and_every_seeded_record_is_audited(pool: PgPool) {
    seeded(&pool).await;
    let public = count(&pool, PUBLIC_RECORDS).await;
    // First purchases queue their product again (a trigger); every record counts once.
    assert_eq!(
        count(
            &pool,
            "SELECT count(DISTINCT (subject_kind, subject_id)) FROM search_outbox
             WHERE operation = 'upsert'"
        )
        .await,
        public
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM audit_log WHERE action = 'seed' AND reason = '演示数据'"
        )
        .await,
        575
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn seeding_a_catalogue_that_has_organisations_is_refused_and_changes_nothing(pool: PgPool) {
    insert_organisation(
        &pool,
        "常州星辰智能装备有限公司",
        "91320411MA1XXXXX01",
        true,
    )
    .await;

    let refused = seed::run(
        &pool,
        Mode::RefuseIfNotEmpty,
        crate::helpers::demo_calendar(),
    )
    .await;
    assert!(refused
        .unwrap_err()
        .to_string()
        .contains("already has 1 organisations"));
    let skipped = seed::run(&pool, Mode::SkipIfNotEmpty, crate::helpers::demo_calendar())
        .await
        .unwrap();
    assert_eq!(skipped, Outcome::Skipped { organisations: 1 });

    assert_eq!(count(&pool, "SELECT count(*) FROM organisations").await, 1);
    for table in [
        "calls",
        "products",
        "scenarios",
        "projects",
        "search_outbox",
        "audit_log",
    ] {
        assert_eq!(
            count(&pool, &format!("SELECT count(*) FROM {table}")).await,
            0,
            "{table}"
        );
    }
}

/// Records the demo shows as in review or in notice are on their way through the
/// workflow: each has its submission in that state (with the notice's last day), so the
/// notices page lists every one still open and reviewers' queues are not empty.
#[sqlx::test(migrations = "../migrations")]
async fn records_under_way_have_their_submissions_and_the_notices_page_lists_them(pool: PgPool) {
    seeded(&pool).await;
    for state in ["in_review", "in_notice"] {
        let records = count(
            &pool,
            &format!(
                "SELECT (SELECT count(*) FROM products WHERE status = '{state}')
                      + (SELECT count(*) FROM scenarios WHERE status = '{state}')"
            ),
        )
        .await;
        let submissions = count(
            &pool,
            &format!(
                "SELECT count(*) FROM submissions s
                 WHERE s.state = '{state}'
                   AND s.notice_until IS NOT DISTINCT FROM
                       (SELECT notice_until FROM products WHERE s.record_kind = 'product'
                          AND id = s.record_id
                        UNION ALL
                        SELECT notice_until FROM scenarios WHERE s.record_kind = 'scenario'
                          AND id = s.record_id)"
            ),
        )
        .await;
        assert!(records > 0, "the demo has records {state}");
        assert_eq!(submissions, records, "{state}");
    }
    let open: Vec<String> = sqlx::query_scalar(
        "SELECT COALESCE(snapshot->>'name', snapshot->>'title') FROM submissions s
         JOIN organisations o ON o.id = s.organisation_id
         WHERE s.state = 'in_notice' AND s.notice_until >= $1
           AND organisation_is_public(o.verified_at)",
    )
    .bind(crate::helpers::test_today())
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(!open.is_empty(), "some notices are open today");
    let app = crate::helpers::spawn_app(pool.clone()).await;
    let page = app.get("/notices").await.text().await.unwrap();
    for name in &open {
        assert!(page.contains(name.as_str()), "{name} on /notices");
    }

    // When their notices end, the workflow publishes every one from its snapshot.
    let in_notice = count(
        &pool,
        "SELECT count(*) FROM submissions WHERE state = 'in_notice'",
    )
    .await;
    let later = crate::helpers::test_today() + chrono::Days::new(60);
    let mut tx = pool.begin().await.unwrap();
    let accepted = app::submissions::server::notice::end_due_notices(
        &mut tx,
        &app.state.site,
        later,
        crate::helpers::test_clock().now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(accepted.len() as i64, in_notice);
    let left = count(
        &pool,
        "SELECT (SELECT count(*) FROM products WHERE status = 'in_notice')
              + (SELECT count(*) FROM scenarios WHERE status = 'in_notice')",
    )
    .await;
    assert_eq!(left, 0, "every record in notice was published");
}
