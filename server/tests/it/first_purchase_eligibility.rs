//! First-purchase eligibility judged on a contract's signing date, from the product's
//! history: its status periods, its batch listings, and the rule in force that day
//! (`first_purchase_refusal`, migration 0016; `app::first_purchases::eligibility`).

use crate::fixtures::{at, batch, day, organisation, product};
use crate::helpers::test_today;
use app::domain::ProductId;
use app::first_purchases::eligibility::{refusal_on, Ineligible};
use sqlx::PgPool;

/// Lists `product` in `call` at `listed` (days from today).
async fn list(pool: &PgPool, product: i64, call: i64, listed: i64) {
    sqlx::query(
        "INSERT INTO product_listings (product_id, call_id, listed_at) VALUES ($1, $2, $3)",
    )
    .bind(product)
    .bind(call)
    .bind(at(listed))
    .execute(pool)
    .await
    .unwrap();
}

/// Dates `product`'s first period (its draft) a thousand days back: the fixture writes it at
/// the database's now, and these histories start long before.
pub(crate) async fn drafted_long_ago(pool: &PgPool, product: i64) {
    sqlx::query("UPDATE product_status_periods SET started_at = $2 WHERE product_id = $1")
        .bind(product)
        .bind(at(-1000))
        .execute(pool)
        .await
        .unwrap();
}

/// Moves `product` to `status` at `when` (days from today), as the publication module does.
async fn set_status(pool: &PgPool, product: i64, status: &str, when: i64) {
    sqlx::query(
        "UPDATE products SET status = $2::record_status, updated_at = $3,
             published_at = CASE WHEN $2 = 'published' THEN COALESCE(published_at, $3)
                                 ELSE published_at END
         WHERE id = $1",
    )
    .bind(product)
    .bind(status)
    .bind(at(when))
    .execute(pool)
    .await
    .unwrap();
}

/// The refusal for a contract signed `signed` days from today (`None`: eligible).
async fn judged(pool: &PgPool, product: i64, signed: i64) -> Option<Ineligible> {
    let mut conn = pool.acquire().await.unwrap();
    refusal_on(&mut conn, ProductId(product), day(signed), test_today())
        .await
        .unwrap()
}

/// A published product (since 200 days ago) of a new supplier, listed at its
/// publication in a batch valid from 150 days ago to 10 days ago.
async fn listed_product(pool: &PgPool, name: &str) -> (i64, i64, i64) {
    let agency = organisation(
        pool,
        &format!("{name}的主管局"),
        "government_agency",
        "320400",
        true,
    )
    .await;
    let supplier = organisation(pool, &format!("{name}公司"), "enterprise", "320411", true).await;
    let call = batch(
        pool,
        agency,
        &format!("B-{}", name.chars().map(u32::from).sum::<u32>()),
        -150,
        -10,
    )
    .await;
    let id = product(pool, supplier, Some(call), name, "new_materials", "draft").await;
    drafted_long_ago(pool, id).await;
    set_status(pool, id, "published", -200).await;
    list(pool, id, call, -200).await;
    (id, call, agency)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_batch_counts_from_its_first_day_to_its_last(pool: PgPool) {
    let (id, _, _) = listed_product(&pool, "石墨烯导热膜").await;
    assert_eq!(
        judged(&pool, id, -151).await,
        Some(Ineligible::NoValidBatch),
        "the day before it starts"
    );
    assert_eq!(judged(&pool, id, -150).await, None, "its first day");
    assert_eq!(judged(&pool, id, -10).await, None, "its last day");
    assert_eq!(
        judged(&pool, id, -9).await,
        Some(Ineligible::NoValidBatch),
        "the day after"
    );
    assert_eq!(
        judged(&pool, id, 1).await,
        Some(Ineligible::InFuture),
        "a signing date to come"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_rule_in_force_on_the_signing_date_decides_the_grace_days(pool: PgPool) {
    let (id, _, _) = listed_product(&pool, "陶瓷轴承").await;
    // The batch lapsed 10 days ago. Five grace days from 8 days ago on; none before.
    sqlx::query(
        "INSERT INTO first_purchase_policy_versions (effective_from, batch_grace_days,
                                                     require_product_valid)
         VALUES ($1, 5, true)",
    )
    .bind(day(-8))
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(
        judged(&pool, id, -9).await,
        Some(Ineligible::NoValidBatch),
        "signed before the grace days came into force"
    );
    assert_eq!(
        judged(&pool, id, -8).await,
        None,
        "within the grace days then in force"
    );
    assert_eq!(judged(&pool, id, -5).await, None, "the last grace day");
    assert_eq!(
        judged(&pool, id, -4).await,
        Some(Ineligible::NoValidBatch),
        "past them"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_product_past_its_own_validity_is_refused_when_the_rule_counts_it(pool: PgPool) {
    let (id, _, _) = listed_product(&pool, "智能电表").await;
    sqlx::query("UPDATE products SET valid_until = $2 WHERE id = $1")
        .bind(id)
        .bind(day(-60))
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(judged(&pool, id, -60).await, None, "its last valid day");
    assert_eq!(judged(&pool, id, -59).await, Some(Ineligible::Expired));
    // The scheduler expires it the day after its validity, as it does every product.
    set_status(&pool, id, "expired", -59).await;
    // A rule that does not count the product's own validity, from 30 days ago.
    sqlx::query(
        "INSERT INTO first_purchase_policy_versions (effective_from, batch_grace_days,
                                                     require_product_valid)
         VALUES ($1, 0, false)",
    )
    .bind(day(-30))
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(
        judged(&pool, id, -40).await,
        Some(Ineligible::Expired),
        "the old rule"
    );
    assert_eq!(
        judged(&pool, id, -20).await,
        None,
        "the new rule: expired by its own validity, which no longer counts"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_product_that_does_not_exist_is_never_eligible(pool: PgPool) {
    let refusal: Option<String> = sqlx::query_scalar("SELECT first_purchase_refusal(424242, $1)")
        .bind(day(0))
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(refusal.as_deref(), Some("not_published"));
}

#[sqlx::test(migrations = "../migrations")]
async fn two_changes_at_one_instant_leave_the_last_status_last(pool: PgPool) {
    let (id, _, _) = listed_product(&pool, "同刻变更").await;
    // Withdrawn, then (by a stale writer) expired at an earlier time: the periods still
    // run forward, and the last written is the status by then.
    set_status(&pool, id, "withdrawn", -20).await;
    set_status(&pool, id, "expired", -30).await;
    let backwards: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM product_status_periods WHERE product_id = $1
           AND ended_at < started_at",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(backwards, 0);
    assert_eq!(judged(&pool, id, -10).await, Some(Ineligible::Expired));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_withdrawal_after_the_signing_date_does_not_undo_an_eligible_purchase(pool: PgPool) {
    let (id, _, _) = listed_product(&pool, "水质监测浮标").await;
    set_status(&pool, id, "withdrawn", -50).await;
    assert_eq!(
        judged(&pool, id, -60).await,
        None,
        "signed while it was published"
    );
    assert_eq!(
        judged(&pool, id, -50).await,
        None,
        "published during part of that day"
    );
    assert_eq!(
        judged(&pool, id, -49).await,
        Some(Ineligible::Withdrawn),
        "signed after"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_expired_product_was_eligible_while_it_was_published(pool: PgPool) {
    let (id, _, _) = listed_product(&pool, "电力巡检无人机").await;
    set_status(&pool, id, "expired", -30).await;
    assert_eq!(judged(&pool, id, -31).await, None);
    assert_eq!(judged(&pool, id, -29).await, Some(Ineligible::Expired));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_product_not_yet_published_or_in_notice_is_refused(pool: PgPool) {
    let agency = organisation(&pool, "常州市某局", "government_agency", "320400", true).await;
    let supplier = organisation(&pool, "常州新品公司", "enterprise", "320411", true).await;
    let call = batch(&pool, agency, "B-NEW", -150, 100).await;
    let id = product(
        &pool,
        supplier,
        Some(call),
        "新品",
        "new_materials",
        "draft",
    )
    .await;
    drafted_long_ago(&pool, id).await;
    set_status(&pool, id, "submitted", -40).await;
    set_status(&pool, id, "in_review", -35).await;
    set_status(&pool, id, "in_notice", -20).await;
    assert_eq!(
        judged(&pool, id, -25).await,
        Some(Ineligible::NotPublished),
        "in review"
    );
    assert_eq!(
        judged(&pool, id, -15).await,
        Some(Ineligible::NotPublished),
        "in notice"
    );
    set_status(&pool, id, "published", -10).await;
    list(&pool, id, call, -10).await;
    assert_eq!(judged(&pool, id, -11).await, Some(Ineligible::NotPublished));
    assert_eq!(
        judged(&pool, id, -10).await,
        None,
        "the day it was published"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_product_listed_in_two_batches_is_eligible_while_either_is_valid(pool: PgPool) {
    let (id, _, agency) = listed_product(&pool, "储能变流器").await;
    // A later batch, valid from 5 days ago, that listed it 25 days ago.
    let later = batch(&pool, agency, "B-LATER", -5, 300).await;
    list(&pool, id, later, -25).await;
    assert_eq!(judged(&pool, id, -12).await, None, "the first batch");
    assert_eq!(
        judged(&pool, id, -9).await,
        Some(Ineligible::NoValidBatch),
        "between the two"
    );
    assert_eq!(
        judged(&pool, id, -5).await,
        None,
        "the later batch's first day"
    );
    assert_eq!(judged(&pool, id, 0).await, None, "the later batch, today");
    // A listing counts from the day it was made: a batch valid earlier than its listing
    // does not reach back before it.
    let backdated = batch(&pool, agency, "B-BACK", -400, 400).await;
    list(&pool, id, backdated, -3).await;
    assert_eq!(judged(&pool, id, -9).await, Some(Ineligible::NoValidBatch));
    assert_eq!(judged(&pool, id, -3).await, None);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_platform_admin_changes_the_rule_from_today_and_earlier_days_keep_theirs(pool: PgPool) {
    let (id, _, _) = listed_product(&pool, "声学相机").await;
    let app = crate::helpers::spawn_app(pool.clone()).await;
    let admin = crate::second_factor::platform_admin(&app, &pool, "admin@platform.example").await;
    // The batch lapsed 10 days ago: today is refused under the rule without grace days.
    let today = app.state.clock.today();
    {
        let mut conn = pool.acquire().await.unwrap();
        let before = refusal_on(&mut conn, ProductId(id), today, today)
            .await
            .unwrap();
        assert_eq!(before, Some(Ineligible::NoValidBatch));
    }

    let refused = admin
        .post(
            "/admin/first-purchase-rule",
            &[("batch_grace_days", "400"), ("reason", "")],
        )
        .await;
    assert_eq!(refused.status(), http::StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("请输入 0 到 365 之间的整数") && page.contains("请写明理由"));
    let changed = admin
        .post(
            "/admin/first-purchase-rule",
            &[
                ("batch_grace_days", "15"),
                ("require_product_valid", "yes"),
                ("reason", "市财政局 2026 年第 12 号通知"),
            ],
        )
        .await;
    assert_eq!(
        crate::accounts::location(&changed),
        "/admin/first-purchase-rule?notice=rule_changed"
    );
    let mut conn = pool.acquire().await.unwrap();
    assert_eq!(
        refusal_on(&mut conn, ProductId(id), today, today)
            .await
            .unwrap(),
        None,
        "signed today: within the new grace days"
    );
    assert_eq!(
        refusal_on(
            &mut conn,
            ProductId(id),
            today - chrono::TimeDelta::days(2),
            today
        )
        .await
        .unwrap(),
        Some(Ineligible::NoValidBatch),
        "signed two days ago: the rule of that day"
    );
    let (grace, audited, queued): (i32, i64, i64) = sqlx::query_as(
        "SELECT (SELECT batch_grace_days FROM first_purchase_policy),
                (SELECT count(*) FROM audit_log WHERE subject_kind = 'first_purchase_rule'),
                (SELECT count(*) FROM search_outbox WHERE subject_kind = 'product'
                   AND subject_id = $1 AND processed_at IS NULL)",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((grace, audited), (15, 1));
    assert!(queued >= 1, "search judges it again");
    let (_, page) = admin.get("/admin/first-purchase-rule").await;
    assert!(page.contains("市财政局 2026 年第 12 号通知") && page.contains(&today.to_string()));
    let (status, audit) = admin.get("/admin/audit?kind=first_purchase_rule").await;
    assert_eq!(
        status,
        http::StatusCode::OK,
        "the audit log filters on the rule's changes"
    );
    assert!(audit.contains("change_rule"));
}
