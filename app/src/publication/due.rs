//! Changes of what is public that fall due with the date; the scheduler calls these once a
//! day (deployment time zone). Each finds what is due on `today` and applies the same
//! transitions as everything else here, with audit and search-outbox rows. Running one
//! twice on the same day finds nothing left to do.

use super::records::{expire, publish, Subject};
use super::{audit, queue_for_index, AuditEntry, IndexWork};
use crate::audit::Actor;
use crate::domain::{ProductId, ScenarioId};
use crate::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

/// Publishes the products and scenarios in notice without a submission (the demo
/// catalogue's) whose notice ended before `today` (their notice's last day was yesterday
/// or earlier). Returns them. Submissions end theirs in `submissions::server::notice`.
pub async fn end_due_notices(
    tx: &mut PgConnection,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<Subject>, AppError> {
    let products = sqlx::query_scalar!(
        "SELECT id FROM products p
         WHERE status = 'in_notice' AND notice_until < $1
           -- A submission's notice ends with it (and waits for an open objection's ruling).
           AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.record_kind = 'product'
                           AND s.record_id = p.id AND s.state = 'in_notice')
         ORDER BY id FOR UPDATE",
        today
    )
    .fetch_all(&mut *tx)
    .await?;
    let scenarios = sqlx::query_scalar!(
        "SELECT id FROM scenarios c
         WHERE status = 'in_notice' AND notice_until < $1
           AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.record_kind = 'scenario'
                           AND s.record_id = c.id AND s.state = 'in_notice')
         ORDER BY id FOR UPDATE",
        today
    )
    .fetch_all(&mut *tx)
    .await?;
    let due: Vec<Subject> = products
        .into_iter()
        .map(|id| Subject::Product(ProductId(id)))
        .chain(
            scenarios
                .into_iter()
                .map(|id| Subject::Scenario(ScenarioId(id))),
        )
        .collect();
    for subject in &due {
        publish(tx, *subject, None, now).await?;
        if let Subject::Product(product) = subject {
            sqlx::query!(
                "INSERT INTO product_listings (product_id, call_id, listed_at)
                 SELECT id, call_id, $2 FROM products WHERE id = $1 AND call_id IS NOT NULL
                 ON CONFLICT DO NOTHING",
                product.0,
                now
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(due)
}

/// Expires the published products whose own validity ended before `today`. Returns them.
pub async fn expire_lapsed_products(
    tx: &mut PgConnection,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<ProductId>, AppError> {
    let lapsed = sqlx::query_scalar!(
        "SELECT id FROM products
         WHERE status = 'published' AND valid_until < $1
         ORDER BY id FOR UPDATE",
        today
    )
    .fetch_all(&mut *tx)
    .await?;
    for id in &lapsed {
        expire(tx, Subject::Product(ProductId(*id)), None, now).await?;
    }
    Ok(lapsed.into_iter().map(ProductId).collect())
}

/// Listed products whose first-purchase eligibility on `to` differs from that on `from`
/// (a batch started or lapsed, its grace days ran out, the product's own validity ended,
/// or it was published in between): each gets an audit row and its search document is
/// written again, so search learns it the same day. Returns them.
pub async fn eligibility_changed_between(
    tx: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<(ProductId, bool)>, AppError> {
    let changed = sqlx::query!(
        r#"SELECT p.id,
                  first_purchase_eligible(p.status, p.published_at, p.valid_until,
                                          c.valid_from, c.valid_until, $2,
                                          pol.batch_grace_days, pol.require_product_valid)
                      AS "eligible!"
           FROM products p
           JOIN organisations o ON o.id = p.organisation_id
           JOIN calls c ON c.id = p.call_id
           CROSS JOIN first_purchase_policy pol
           WHERE record_is_listed(p.status, o.verified_at)
             AND first_purchase_eligible(p.status, p.published_at, p.valid_until,
                                         c.valid_from, c.valid_until, $1,
                                         pol.batch_grace_days, pol.require_product_valid)
                 IS DISTINCT FROM
                 first_purchase_eligible(p.status, p.published_at, p.valid_until,
                                         c.valid_from, c.valid_until, $2,
                                         pol.batch_grace_days, pol.require_product_valid)
           ORDER BY p.id"#,
        from,
        to
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in &changed {
        let (was, is) = if row.eligible {
            ("not_eligible", "eligible")
        } else {
            ("eligible", "not_eligible")
        };
        audit(
            tx,
            AuditEntry {
                actor: Actor::System,
                subject_kind: "product",
                subject_id: row.id,
                action: "eligibility_changed",
                from_state: Some(was),
                to_state: Some(is),
                reason: None,
                changed_fields: &[],
                at: now,
            },
        )
        .await?;
        queue_for_index(tx, "product", row.id, IndexWork::Upsert).await?;
    }
    Ok(changed
        .into_iter()
        .map(|row| (ProductId(row.id), row.eligible))
        .collect())
}
