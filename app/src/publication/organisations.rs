//! Verifying an organisation makes it public; unverifying takes it out of lists and search.

use super::{audit, queue_for_index, AuditEntry, IndexWork};
use crate::domain::{OrganisationId, UserId};
use crate::error::AppError;
use sqlx::PgConnection;

/// Returns whether anything changed (verifying a verified organisation changes nothing).
pub async fn verify_organisation(
    tx: &mut PgConnection,
    organisation: OrganisationId,
    actor: Option<UserId>,
) -> Result<bool, AppError> {
    set_verified(tx, organisation, actor, true, None).await
}

pub async fn unverify_organisation(
    tx: &mut PgConnection,
    organisation: OrganisationId,
    actor: Option<UserId>,
    reason: &str,
) -> Result<bool, AppError> {
    set_verified(tx, organisation, actor, false, Some(reason)).await
}

async fn set_verified(
    tx: &mut PgConnection,
    organisation: OrganisationId,
    actor: Option<UserId>,
    verified: bool,
    reason: Option<&str>,
) -> Result<bool, AppError> {
    let was: Option<bool> = sqlx::query_scalar(
        "SELECT verified_at IS NOT NULL FROM organisations WHERE id = $1 FOR UPDATE",
    )
    .bind(organisation.0)
    .fetch_optional(&mut *tx)
    .await?;
    let was = was.ok_or(AppError::NotFound)?;
    if was == verified {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE organisations
         SET verified_at = CASE WHEN $2 THEN now() END, updated_at = now()
         WHERE id = $1",
    )
    .bind(organisation.0)
    .bind(verified)
    .execute(&mut *tx)
    .await?;
    let (from, to) = if verified {
        ("unverified", "verified")
    } else {
        ("verified", "unverified")
    };
    audit(
        tx,
        AuditEntry {
            actor,
            subject_kind: "organisation",
            subject_id: organisation.0,
            action: if verified { "verify" } else { "unverify" },
            from_state: Some(from),
            to_state: Some(to),
            reason,
        },
    )
    .await?;
    let work = if verified {
        IndexWork::Upsert
    } else {
        IndexWork::Delete
    };
    queue_for_index(tx, "organisation", organisation.0, work).await?;
    Ok(true)
}
