//! Publication changes of products, scenarios and projects.

use super::{audit, queue_for_index, AuditEntry, IndexWork};
use crate::domain::{
    CallId, InvalidTransition, ProductId, ProjectId, RecordStatus, ScenarioId, UserId,
};
use crate::error::AppError;
use chrono::NaiveDate;
use sqlx::PgConnection;

/// A record with the shared life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Product(ProductId),
    Scenario(ScenarioId),
    Project(ProjectId),
}

impl Subject {
    /// Table and `subject_kind`. SQL below is built from these fixed names only, never
    /// from input.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Subject::Product(_) => ("products", "product"),
            Subject::Scenario(_) => ("scenarios", "scenario"),
            Subject::Project(_) => ("projects", "project"),
        }
    }

    fn id(self) -> i64 {
        match self {
            Subject::Product(id) => id.0,
            Subject::Scenario(id) => id.0,
            Subject::Project(id) => id.0,
        }
    }
}

/// Locks the record's row and applies `step` to its status, or says why not.
async fn locked_status(tx: &mut PgConnection, subject: Subject) -> Result<RecordStatus, AppError> {
    let (table, _) = subject.names();
    let status: Option<RecordStatus> = sqlx::query_scalar(&format!(
        "SELECT status FROM {table} WHERE id = $1 FOR UPDATE"
    ))
    .bind(subject.id())
    .fetch_optional(&mut *tx)
    .await?;
    status.ok_or(AppError::NotFound)
}

/// Applies one transition with its audit row and index work.
async fn change(
    tx: &mut PgConnection,
    subject: Subject,
    action: &'static str,
    step: fn(RecordStatus) -> Result<RecordStatus, InvalidTransition>,
    actor: Option<UserId>,
    reason: Option<&str>,
    notice_until: Option<NaiveDate>,
) -> Result<RecordStatus, AppError> {
    let (table, kind) = subject.names();
    let from = locked_status(tx, subject).await?;
    let to = step(from)?;
    let notice_column = if table == "projects" {
        ""
    } else {
        ", notice_until = $4"
    };
    sqlx::query(&format!(
        "UPDATE {table}
         SET status = $2::record_status,
             status_reason = $3,
             published_at = CASE WHEN $2 = 'published' THEN COALESCE(published_at, now())
                                 ELSE published_at END,
             updated_at = now(){notice_column}
         WHERE id = $1"
    ))
    .bind(subject.id())
    .bind(to.code())
    .bind(reason)
    .bind(notice_until)
    .execute(&mut *tx)
    .await?;
    audit(
        tx,
        AuditEntry {
            actor,
            subject_kind: kind,
            subject_id: subject.id(),
            action,
            from_state: Some(from.code()),
            to_state: Some(to.code()),
            reason,
        },
    )
    .await?;
    // Only published records are in the index; entering or leaving that state is the
    // index's business, nothing else is.
    match (from.is_listed(), to.is_listed()) {
        (false, true) => queue_for_index(tx, kind, subject.id(), IndexWork::Upsert).await?,
        (true, false) => queue_for_index(tx, kind, subject.id(), IndexWork::Delete).await?,
        _ => {}
    }
    Ok(to)
}

/// An approved product or scenario enters its public notice until `notice_until`.
/// Projects have no public notice (DOMAIN.md) and are published straight from review.
pub async fn enter_notice(
    tx: &mut PgConnection,
    subject: Subject,
    notice_until: NaiveDate,
    actor: Option<UserId>,
) -> Result<RecordStatus, AppError> {
    if let Subject::Project(_) = subject {
        let from = locked_status(tx, subject).await?;
        return Err(InvalidTransition {
            action: "enter public notice",
            from,
        }
        .into());
    }
    change(
        tx,
        subject,
        "enter_notice",
        RecordStatus::enter_notice,
        actor,
        None,
        Some(notice_until),
    )
    .await
}

pub async fn publish(
    tx: &mut PgConnection,
    subject: Subject,
    actor: Option<UserId>,
) -> Result<RecordStatus, AppError> {
    change(
        tx,
        subject,
        "publish",
        RecordStatus::publish,
        actor,
        None,
        None,
    )
    .await
}

/// An upheld objection sends a record in notice back to review.
pub async fn return_to_review(
    tx: &mut PgConnection,
    subject: Subject,
    actor: Option<UserId>,
    reason: &str,
) -> Result<RecordStatus, AppError> {
    change(
        tx,
        subject,
        "return_to_review",
        RecordStatus::return_to_review,
        actor,
        Some(reason),
        None,
    )
    .await
}

pub async fn withdraw(
    tx: &mut PgConnection,
    subject: Subject,
    actor: Option<UserId>,
    reason: &str,
) -> Result<RecordStatus, AppError> {
    change(
        tx,
        subject,
        "withdraw",
        RecordStatus::withdraw,
        actor,
        Some(reason),
        None,
    )
    .await
}

/// Past its validity: the page stays, with a banner; it leaves lists and search.
pub async fn expire(
    tx: &mut PgConnection,
    subject: Subject,
    actor: Option<UserId>,
) -> Result<RecordStatus, AppError> {
    change(
        tx,
        subject,
        "expire",
        RecordStatus::expire,
        actor,
        None,
        None,
    )
    .await
}

/// A catalogue batch's validity changed (it lapsed, or was extended): its published
/// products stay published, but their eligibility changed, so search must learn it the
/// same day. Returns how many products were queued.
pub async fn batch_eligibility_changed(
    tx: &mut PgConnection,
    batch: CallId,
    actor: Option<UserId>,
) -> Result<u64, AppError> {
    let queued = sqlx::query(
        "INSERT INTO search_outbox (subject_kind, subject_id, operation)
         SELECT 'product', id, 'upsert' FROM products
         WHERE call_id = $1 AND status = 'published'",
    )
    .bind(batch.0)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    audit(
        tx,
        AuditEntry {
            actor,
            subject_kind: "call",
            subject_id: batch.0,
            action: "batch_eligibility_changed",
            from_state: None,
            to_state: None,
            reason: None,
        },
    )
    .await?;
    Ok(queued)
}
