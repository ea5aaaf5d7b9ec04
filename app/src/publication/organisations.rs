//! Verifying an organisation makes it public, with everything it published; unverifying
//! takes it and all its products, scenarios and projects out of lists, pages, search and
//! the API (the visibility functions in SQL follow `verified_at`; this queues the search
//! work for every record concerned).

use super::{audit, queue_for_index, AuditEntry, IndexWork};
use crate::domain::{OrganisationId, UserId};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Returns whether anything changed (verifying a verified organisation changes nothing).
pub async fn verify_organisation(
    tx: &mut PgConnection,
    organisation: OrganisationId,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    set_verified(tx, organisation, actor, None, true, now).await
}

/// Returns whether anything changed.
pub async fn unverify_organisation(
    tx: &mut PgConnection,
    organisation: OrganisationId,
    actor: Option<UserId>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    set_verified(tx, organisation, actor, Some(reason), false, now).await
}

async fn set_verified(
    tx: &mut PgConnection,
    organisation: OrganisationId,
    actor: Option<UserId>,
    reason: Option<&str>,
    verified: bool,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let was = sqlx::query_scalar!(
        r#"SELECT verified_at IS NOT NULL AS "verified!" FROM organisations
           WHERE id = $1 FOR UPDATE"#,
        organisation.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if was == verified {
        return Ok(false);
    }
    sqlx::query!(
        "UPDATE organisations
         SET verified_at = CASE WHEN $2 THEN $3::timestamptz END, updated_at = $3
         WHERE id = $1",
        organisation.0,
        verified,
        now
    )
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
            actor: actor.into(),
            subject_kind: "organisation",
            subject_id: organisation.0,
            action: if verified { "verify" } else { "unverify" },
            from_state: Some(from),
            to_state: Some(to),
            reason,
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    let work = if verified {
        IndexWork::Upsert
    } else {
        IndexWork::Delete
    };
    queue_for_index(tx, "organisation", organisation.0, work).await?;
    // Everything it published follows it in or out of search.
    sqlx::query!(
        "INSERT INTO search_outbox (subject_kind, subject_id, operation)
         SELECT 'product'::subject_kind, id, ($2::text)::outbox_operation FROM products
         WHERE organisation_id = $1 AND status = 'published'
         UNION ALL
         SELECT 'scenario'::subject_kind, id, ($2::text)::outbox_operation FROM scenarios
         WHERE organisation_id = $1 AND status = 'published'
         UNION ALL
         SELECT 'project'::subject_kind, id, ($2::text)::outbox_operation FROM projects
         WHERE organisation_id = $1 AND status = 'published'
         UNION ALL
         -- Records listed in its calls name it as their agency (only while it is public).
         SELECT 'product'::subject_kind, p.id, 'upsert'::outbox_operation FROM products p
         JOIN calls c ON c.id = p.call_id
         WHERE c.organisation_id = $1 AND p.organisation_id <> $1 AND p.status = 'published'
         UNION ALL
         SELECT 'scenario'::subject_kind, s.id, 'upsert'::outbox_operation FROM scenarios s
         JOIN calls c ON c.id = s.call_id
         WHERE c.organisation_id = $1 AND s.organisation_id <> $1 AND s.status = 'published'",
        organisation.0,
        work.code()
    )
    .execute(&mut *tx)
    .await?;
    Ok(true)
}
