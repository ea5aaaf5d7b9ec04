//! Accepting a submission: a listing is published (a new record) or added (a product in a
//! later batch); a revision of a published product, scenario or project replaces its
//! public text. Through the publication module,
//! with the listing recorded per batch.

use super::notify::{notify, Event};
use super::target::Locked;
use crate::domain::{RecordStatus, UserId};
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
    let status = publication::lock_record(tx, subject).await?.status;
    if status == RecordStatus::Published {
        // Already public: the reviewed text becomes its next revision.
        let snapshot = sqlx::query_scalar!(
            "SELECT snapshot FROM submissions WHERE id = $1",
            submission.id
        )
        .fetch_one(&mut *tx)
        .await?;
        let revision = super::records::next_revision(tx, subject, &snapshot).await?;
        publication::publish_revision(tx, subject, revision, actor, now).await?;
        // The files it brought join the record.
        sqlx::query!(
            "UPDATE attachments SET record_kind = $2, record_id = $3
             WHERE record_kind = 'submission' AND record_id = $1",
            submission.id,
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
