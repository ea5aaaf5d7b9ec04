//! `catalogue generate`: exact counts, appended beside the demo catalogue.

use super::{count, seeded};
use app::domain::credit_code::CreditCode;
use server::commands::generate::{self, Sizes};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn generate_appends_exactly_the_requested_counts_to_a_seeded_catalogue(pool: PgPool) {
    seeded(&pool).await;
    let sizes = Sizes {
        products: 2_000,
        scenarios: 300,
        projects: 200,
        organisations: 40,
    };
    let report = generate::run(&pool, &sizes, crate::helpers::demo_calendar())
        .await
        .unwrap();
    assert_eq!(
        (report.products, report.scenarios, report.projects),
        (2_000, 300, 200)
    );
    // A second run must not collide with the first (credit codes, call codes).
    generate::run(&pool, &sizes, crate::helpers::demo_calendar())
        .await
        .unwrap();

    assert_eq!(
        count(&pool, "SELECT count(*) FROM products").await,
        300 + 4_000
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM product_revisions").await,
        300 + 4_000
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM scenarios").await,
        175 + 600
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM projects").await,
        100 + 400
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM organisations").await,
        50 + 80
    );
    let queued = count(
        &pool,
        "SELECT count(DISTINCT (subject_kind, subject_id)) FROM search_outbox",
    )
    .await;
    assert_eq!(queued - 46 - 270 - 160 - 95, 2 * (2_000 + 300 + 200 + 40));
    let codes: Vec<String> = sqlx::query_scalar("SELECT credit_code FROM organisations")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(codes.iter().all(|code| CreditCode::parse(code).is_ok()));
    let eligible = count(
        &pool,
        "SELECT count(*) FROM products AS p JOIN calls AS c ON c.id = p.call_id
         WHERE c.code LIKE 'GEN-%' AND first_purchase_eligible(p.status, p.published_at,
             p.valid_until, c.valid_from, c.valid_until, $1)",
    )
    .await;
    assert!(
        (1_000..3_000).contains(&eligible),
        "{eligible} of 4,000 generated products eligible"
    );
}
