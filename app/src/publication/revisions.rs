//! A record's text from one of its revisions: a published record replaced by an approved
//! revision (it stays public throughout, and its public text becomes the revision's in one
//! step), and a record not yet public taking its fixed text.

use super::{audit, lock_record, queue_for_index, AuditEntry, IndexWork, Subject};
use crate::domain::{InvalidTransition, RecordStatus, UserId};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Makes revision `revision` (from `product_revisions`, `scenario_revisions` or
/// `project_revisions`, approved by the workflow) the public text of a published record.
/// Ownership, status and call never change this way. Works in the caller's transaction,
/// with its audit-log and search-outbox rows.
///
/// Errors: [`AppError::NotFound`] (no such record or revision);
/// [`AppError::InvalidTransition`] when the record is not published.
pub async fn publish_revision(
    tx: &mut PgConnection,
    subject: Subject,
    revision: i32,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let status = lock_record(tx, subject).await?.status;
    if status != RecordStatus::Published {
        return Err(InvalidTransition {
            action: "publish a revision",
            from: status,
        }
        .into());
    }
    let replaced = copy_revision_text(tx, subject, revision, now).await?;
    if !replaced {
        return Err(AppError::NotFound); // no such revision
    }
    let reason = format!("revision {revision}");
    audit(
        tx,
        AuditEntry {
            actor: actor.into(),
            subject_kind: subject.kind(),
            subject_id: subject.id(),
            action: "publish_revision",
            from_state: Some(status.code()),
            to_state: Some(status.code()),
            reason: Some(&reason),
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    queue_for_index(tx, subject.kind(), subject.id(), IndexWork::Upsert).await?;
    Ok(())
}

/// Gives a record that is not public yet (a draft, or one under selection: returned, or
/// withdrawn back to a draft) the text of its revision `revision`; nothing public changes,
/// so no audit or outbox row. Works in the caller's transaction.
///
/// Errors: [`AppError::NotFound`] (no such record or revision);
/// [`AppError::InvalidTransition`] for a published, expired or withdrawn record (its text
/// changes only through [`publish_revision`]).
pub async fn write_unpublished_text(
    tx: &mut PgConnection,
    subject: Subject,
    revision: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let status = lock_record(tx, subject).await?.status;
    if !status.is_under_selection() {
        return Err(InvalidTransition {
            action: "rewrite",
            from: status,
        }
        .into());
    }
    if !copy_revision_text(tx, subject, revision, now).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Copies revision `revision`'s snapshot into the record's columns (and its revision
/// number). Returns whether there was such a revision.
async fn copy_revision_text(
    tx: &mut PgConnection,
    subject: Subject,
    revision: i32,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let replaced = match subject {
        Subject::Product(id) => {
            sqlx::query!(
                "UPDATE products AS p
             SET name = r.name, procurement_code = r.procurement_code,
                 procurement_name = r.procurement_name, industry = r.industry,
                 description = r.description, specifications = r.specifications,
                 price_min_fen = r.price_min_fen, price_max_fen = r.price_max_fen,
                 price_unit = r.price_unit, certifications = r.certifications,
                 patents = r.patents, is_medical = r.is_medical,
                 registration_certificate = r.registration_certificate,
                 insurance_status = r.insurance_status, valid_until = r.valid_until,
                 revision = v.revision, updated_at = $3
             FROM product_revisions AS v,
                  jsonb_populate_record(NULL::products, v.snapshot) AS r
             WHERE p.id = $1 AND v.product_id = p.id AND v.revision = $2",
                id.0,
                revision,
                now
            )
            .execute(&mut *tx)
            .await?
        }
        Subject::Scenario(id) => {
            sqlx::query!(
                "UPDATE scenarios AS s
             SET title = r.title, sector = r.sector, need = r.need,
                 expected_outcome = r.expected_outcome, budget_min_fen = r.budget_min_fen,
                 budget_max_fen = r.budget_max_fen, location = r.location,
                 open_until = r.open_until, contact_phone = r.contact_phone,
                 contact_email = r.contact_email, revision = v.revision, updated_at = $3
             FROM scenario_revisions AS v,
                  jsonb_populate_record(NULL::scenarios, v.snapshot) AS r
             WHERE s.id = $1 AND v.scenario_id = s.id AND v.revision = $2",
                id.0,
                revision,
                now
            )
            .execute(&mut *tx)
            .await?
        }
        Subject::Project(id) => {
            sqlx::query!(
                "UPDATE projects AS p
             SET name = r.name, sector = r.sector, stage = r.stage,
                 financing_sought_fen = r.financing_sought_fen,
                 financing_form = r.financing_form, highlights = r.highlights, team = r.team,
                 intellectual_property = r.intellectual_property, traction = r.traction,
                 contact_consent = r.contact_consent, contact_phone = r.contact_phone,
                 contact_email = r.contact_email, revision = v.revision, updated_at = $3
             FROM project_revisions AS v,
                  jsonb_populate_record(NULL::projects, v.snapshot) AS r
             WHERE p.id = $1 AND v.project_id = p.id AND v.revision = $2",
                id.0,
                revision,
                now
            )
            .execute(&mut *tx)
            .await?
        }
    }
    .rows_affected();
    Ok(replaced == 1)
}
