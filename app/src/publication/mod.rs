//! The one place that changes what is public (DOMAIN.md, "Who sees what"): entering public
//! notice, publishing, returning to review, withdrawing, expiring, a batch's eligibility
//! changing, replacing a published product by an approved revision, and verifying or
//! unverifying an organisation. The workflow and the scheduler
//! call these; nothing else changes visibility.
//!
//! Each function works inside the caller's transaction and writes, with the change itself,
//! the audit-log row (who, when, from what to what, why) and the search-outbox row that
//! brings the index up to date, so the three can never disagree.

mod organisations;
mod records;
mod revisions;

pub use organisations::{unverify_organisation, verify_organisation};
pub use records::{
    batch_eligibility_changed, enter_notice, expire, publish, return_to_review, withdraw, Subject,
};
pub use revisions::publish_revision;

use crate::domain::UserId;
use sqlx::PgConnection;

/// What the search index must do about a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IndexWork {
    Upsert,
    Delete,
}

impl IndexWork {
    fn code(self) -> &'static str {
        match self {
            IndexWork::Upsert => "upsert",
            IndexWork::Delete => "delete",
        }
    }
}

async fn queue_for_index(
    tx: &mut PgConnection,
    subject_kind: &str,
    subject_id: i64,
    work: IndexWork,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO search_outbox (subject_kind, subject_id, operation)
         VALUES ($1::subject_kind, $2, $3::outbox_operation)",
    )
    .bind(subject_kind)
    .bind(subject_id)
    .bind(work.code())
    .execute(tx)
    .await?;
    Ok(())
}

struct AuditEntry<'a> {
    actor: Option<UserId>,
    subject_kind: &'a str,
    subject_id: i64,
    action: &'a str,
    from_state: Option<&'a str>,
    to_state: Option<&'a str>,
    reason: Option<&'a str>,
}

async fn audit(tx: &mut PgConnection, entry: AuditEntry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (actor_id, subject_kind, subject_id, action, from_state, to_state, reason)
         VALUES ($1, $2::subject_kind, $3, $4, $5, $6, $7)",
    )
    .bind(entry.actor.map(|id| id.0))
    .bind(entry.subject_kind)
    .bind(entry.subject_id)
    .bind(entry.action)
    .bind(entry.from_state)
    .bind(entry.to_state)
    .bind(entry.reason)
    .execute(tx)
    .await?;
    Ok(())
}
