//! Accepting a submission: a listing is published (a new record) or added (a product in a
//! later batch); a revision replaces the published text. Through the publication module,
//! with the listing recorded per batch.

use super::notify::{notify, Event};
use super::target::Locked;
use crate::domain::{ProductId, RecordStatus, UserId};
use crate::error::AppError;
use crate::publication::{self, Subject};
use crate::state::Site;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Accepts `submission` (approved without notice, or its notice ended with no objection
/// open or upheld). Works in the caller's transaction.
pub async fn accept(
    tx: &mut PgConnection,
    site: &Site,
    submission: &Locked,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let subject = Subject::from_kind(&submission.record_kind, submission.record_id)
        .ok_or(AppError::Internal)?;
    let status = super::review::record_status(tx, subject).await?;
    if status == RecordStatus::Published {
        // Already public: the reviewed text becomes its next revision, and the files its
        // draft kept join the record.
        if let Subject::Product(product) = subject {
            apply_product_revision(tx, product, submission, actor, now).await?;
        }
        sqlx::query!(
            "UPDATE attachments a SET record_kind = d.record_kind, record_id = d.record_id
             FROM drafts d
             WHERE a.record_kind = 'draft' AND a.record_id = d.id
               AND d.record_kind = $1 AND d.record_id = $2",
            submission.record_kind,
            submission.record_id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "DELETE FROM drafts WHERE record_kind = $1 AND record_id = $2",
            submission.record_kind,
            submission.record_id
        )
        .execute(&mut *tx)
        .await?;
    } else {
        publication::publish(tx, subject, actor, now).await?;
    }
    if let (Subject::Product(product), Some(call), "listing") =
        (subject, submission.call, submission.purpose.as_str())
    {
        sqlx::query!(
            "INSERT INTO product_listings (product_id, call_id, submission_id, listed_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            product.0,
            call.0,
            submission.id,
            now
        )
        .execute(&mut *tx)
        .await?;
        // The page and eligibility name the latest batch it is listed in.
        sqlx::query!(
            "UPDATE products SET call_id = $2 WHERE id = $1",
            product.0,
            call.0
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "UPDATE submissions SET state = 'accepted', updated_at = $2 WHERE id = $1",
        submission.id,
        now
    )
    .execute(&mut *tx)
    .await?;
    crate::audit::record(
        tx,
        crate::audit::AuditEntry {
            actor: actor.into(),
            subject_kind: "submission",
            subject_id: submission.id,
            action: "accept",
            from_state: Some(submission.state.code()),
            to_state: Some("accepted"),
            reason: None,
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    notify(tx, site, submission.id, Event::Published, None, now).await?;
    Ok(())
}

async fn apply_product_revision(
    tx: &mut PgConnection,
    product: ProductId,
    submission: &Locked,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let revision = sqlx::query_scalar!(
        "INSERT INTO product_revisions (product_id, revision, snapshot)
         SELECT p.id, p.revision + 1, s.snapshot FROM products p, submissions s
         WHERE p.id = $1 AND s.id = $2
         RETURNING revision",
        product.0,
        submission.id
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE products SET revision = $2 WHERE id = $1",
        product.0,
        revision
    )
    .execute(&mut *tx)
    .await?;
    publication::publish_revision(tx, product, revision, actor, now).await
}
