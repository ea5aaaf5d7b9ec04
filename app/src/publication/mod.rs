//! The one place that changes what is public (docs/domain.md, "Who sees what"): entering
//! public notice, publishing, returning to review, withdrawing, expiring, a product's
//! first-purchase eligibility changing with the date, replacing a published product by an
//! approved revision, and verifying or unverifying an organisation (which takes everything
//! it published in or out of public view). The workflow and the scheduler call these;
//! nothing else changes visibility. (Recording a first purchase changes a public fact too:
//! a trigger on `first_purchases` queues the product's search document in the same
//! transaction, whichever code writes the record.)
//!
//! Each function works inside the caller's transaction and writes, with the change itself,
//! the audit-log row (who, when, from what to what, why) and the search-outbox row that
//! brings the index up to date, so the three can never disagree. `now` comes from the
//! server's clock (`crate::clock`), never from the database's.

mod due;
mod organisations;
mod records;
mod revisions;

pub use due::{eligibility_changed_between, end_due_notices, expire_lapsed_products};
pub use organisations::{unverify_organisation, verify_organisation};
pub use records::{
    batch_eligibility_changed, enter_notice, expire, lock_record, publish, reject,
    return_for_revision, return_to_review, start_review, submit, withdraw, withdraw_submission,
    LockedRecord, Subject,
};
pub use revisions::{publish_revision, write_unpublished_text};

use crate::audit::{record as audit, AuditEntry};
use sqlx::PgConnection;

/// What the search index must do about a record. The indexer reads the record's state
/// again when it runs, so this is a hint for the log; a record is never indexed unless it
/// is listed at that moment.
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
    sqlx::query!(
        "INSERT INTO search_outbox (subject_kind, subject_id, operation)
         VALUES (($1::text)::subject_kind, $2, ($3::text)::outbox_operation)",
        subject_kind,
        subject_id,
        work.code()
    )
    .execute(tx)
    .await?;
    Ok(())
}
