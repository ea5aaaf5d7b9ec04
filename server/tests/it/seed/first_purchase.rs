//! The two first-purchase facts in the demo catalogue: eligibility today, and
//! first-purchased by an awarded record.

use super::{count, seeded};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn some_published_products_are_eligible_today_and_some_are_not(pool: PgPool) {
    seeded(&pool).await;
    let (eligible, not_eligible, private_eligible): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE e AND p.status = 'published'),
                count(*) FILTER (WHERE NOT e AND p.status = 'published'),
                count(*) FILTER (WHERE e AND p.status <> 'published')
         FROM products AS p JOIN calls AS c ON c.id = p.call_id,
              first_purchase_eligible(p.status, p.published_at, p.valid_until,
                                      c.valid_from, c.valid_until, $1) AS e",
    )
    .bind(crate::helpers::test_today())
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        eligible >= 100 && not_eligible >= 100,
        "{eligible} eligible, {not_eligible} not"
    );
    assert_eq!(private_eligible, 0);
    let hidden = count(
        &pool,
        "SELECT count(*) FROM products WHERE status IN ('draft', 'in_review')
             AND (published_at IS NOT NULL OR id IN (SELECT subject_id FROM search_outbox
                                                     WHERE subject_kind = 'product'))",
    )
    .await;
    assert_eq!(
        hidden, 0,
        "drafts and submissions in review are never public"
    );
    assert!(
        count(
            &pool,
            "SELECT count(*) FROM products WHERE status = 'in_notice' AND notice_until >= $1"
        )
        .await
            >= 1
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn some_products_are_first_purchased_and_others_have_only_unawarded_records(pool: PgPool) {
    seeded(&pool).await;
    let purchased = count(
        &pool,
        "SELECT count(*) FROM products WHERE first_purchased_on IS NOT NULL",
    )
    .await;
    assert!(
        (35..=45).contains(&purchased),
        "{purchased} first-purchased products"
    );
    let tried_only = count(
        &pool,
        "SELECT count(DISTINCT product_id) FROM first_purchases AS f JOIN products AS p ON p.id = f.product_id
         WHERE p.first_purchased_on IS NULL",
    )
    .await;
    assert!(
        tried_only >= 5,
        "{tried_only} products with only cancelled or nothing-suitable records"
    );
    assert!(
        count(
            &pool,
            "SELECT count(*) FROM first_purchases WHERE outcome = 'cancelled'"
        )
        .await
            >= 1
    );
    assert!(
        count(
            &pool,
            "SELECT count(*) FROM first_purchases WHERE outcome = 'nothing_suitable'"
        )
        .await
            >= 1
    );
    let several = count(
        &pool,
        "SELECT count(*) FROM (SELECT product_id FROM first_purchases GROUP BY product_id HAVING count(*) > 1) AS s",
    )
    .await;
    assert!(several >= 3, "{several} products with several records");
    // Every record was signed while its product was eligible (as published then).
    let outside_eligibility = count(
        &pool,
        "SELECT count(*) FROM first_purchases AS f
         JOIN products AS p ON p.id = f.product_id JOIN calls AS c ON c.id = p.call_id
         WHERE NOT first_purchase_eligible('published', p.published_at, p.valid_until,
                                           c.valid_from, c.valid_until, f.signed_on)",
    )
    .await;
    assert_eq!(outside_eligibility, 0);
    let wrong_buyers = count(
        &pool,
        "SELECT count(*) FROM first_purchases AS f JOIN organisations AS o ON o.id = f.buyer_organisation_id
         WHERE o.kind NOT IN ('government_agency', 'public_institution')",
    )
    .await;
    assert_eq!(wrong_buyers, 0);
}
