//! Replacing a published product by an approved revision: the product stays public
//! throughout, and its public text becomes the revision's in one step.

use super::{audit, queue_for_index, AuditEntry, IndexWork};
use crate::domain::{InvalidTransition, ProductId, RecordStatus, UserId};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Makes revision `revision` (from `product_revisions`, approved by the workflow) the
/// public text of a published product. Ownership and batch never change this way. Works
/// in the caller's transaction, with its audit-log and search-outbox rows.
pub async fn publish_revision(
    tx: &mut PgConnection,
    product: ProductId,
    revision: i32,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let status = sqlx::query_scalar!(
        r#"SELECT status AS "status: RecordStatus" FROM products WHERE id = $1 FOR UPDATE"#,
        product.0
    )
    .fetch_optional(&mut *tx)
    .await?;
    let status = status.ok_or(AppError::NotFound)?;
    if status != RecordStatus::Published {
        return Err(InvalidTransition {
            action: "publish a revision",
            from: status,
        }
        .into());
    }
    let replaced = sqlx::query!(
        "UPDATE products AS p
         SET name = r.name, procurement_code = r.procurement_code,
             procurement_name = r.procurement_name, industry = r.industry,
             description = r.description, specifications = r.specifications,
             price_min_fen = r.price_min_fen, price_max_fen = r.price_max_fen,
             price_unit = r.price_unit, certifications = r.certifications,
             patents = r.patents, is_medical = r.is_medical,
             registration_certificate = r.registration_certificate,
             insurance_status = r.insurance_status, valid_until = r.valid_until,
             updated_at = $3
         FROM product_revisions AS v,
              jsonb_populate_record(NULL::products, v.snapshot) AS r
         WHERE p.id = $1 AND v.product_id = p.id AND v.revision = $2",
        product.0,
        revision,
        now
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if replaced == 0 {
        return Err(AppError::NotFound); // no such revision
    }
    let reason = format!("revision {revision}");
    audit(
        tx,
        AuditEntry {
            actor: actor.into(),
            subject_kind: "product",
            subject_id: product.0,
            action: "publish_revision",
            from_state: Some(status.code()),
            to_state: Some(status.code()),
            reason: Some(&reason),
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    queue_for_index(tx, "product", product.0, IndexWork::Upsert).await?;
    Ok(())
}
