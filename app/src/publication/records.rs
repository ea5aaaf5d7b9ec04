//! Publication changes of products, scenarios and projects.

use super::{audit, queue_for_index, AuditEntry, IndexWork};
use crate::domain::{
    CallId, InvalidTransition, OrganisationId, ProductId, ProjectId, RecordStatus, ScenarioId,
    UserId,
};
use crate::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

/// A record with the shared life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    Product(ProductId),
    Scenario(ScenarioId),
    Project(ProjectId),
}

impl Subject {
    /// The record of kind `kind` (`product`, `scenario`, `project`) with id `id`.
    pub fn from_kind(kind: &str, id: i64) -> Option<Subject> {
        match kind {
            "product" => Some(Subject::Product(ProductId(id))),
            "scenario" => Some(Subject::Scenario(ScenarioId(id))),
            "project" => Some(Subject::Project(ProjectId(id))),
            _ => None,
        }
    }

    /// The record's `subject_kind`.
    pub fn kind(self) -> &'static str {
        match self {
            Subject::Product(_) => "product",
            Subject::Scenario(_) => "scenario",
            Subject::Project(_) => "project",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Subject::Product(id) => id.0,
            Subject::Scenario(id) => id.0,
            Subject::Project(id) => id.0,
        }
    }
}

/// A record's row as the workflow needs it: its owner, status and the call it was (last)
/// collected through (`None` for projects and an agency's direct scenarios).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockedRecord {
    pub organisation: OrganisationId,
    pub status: RecordStatus,
    pub call: Option<CallId>,
}

/// Locks the record's row (`FOR UPDATE`) and reads it. Errors: [`AppError::NotFound`].
pub async fn lock_record(
    tx: &mut PgConnection,
    subject: Subject,
) -> Result<LockedRecord, AppError> {
    let row = match subject {
        Subject::Product(id) => sqlx::query!(
            r#"SELECT organisation_id, status AS "status: RecordStatus", call_id
               FROM products WHERE id = $1 FOR UPDATE"#,
            id.0
        )
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| (r.organisation_id, r.status, r.call_id)),
        Subject::Scenario(id) => sqlx::query!(
            r#"SELECT organisation_id, status AS "status: RecordStatus", call_id
               FROM scenarios WHERE id = $1 FOR UPDATE"#,
            id.0
        )
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| (r.organisation_id, r.status, r.call_id)),
        Subject::Project(id) => sqlx::query!(
            r#"SELECT organisation_id, status AS "status: RecordStatus"
               FROM projects WHERE id = $1 FOR UPDATE"#,
            id.0
        )
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| (r.organisation_id, r.status, None)),
    };
    let (organisation, status, call) = row.ok_or(AppError::NotFound)?;
    Ok(LockedRecord {
        organisation: OrganisationId(organisation),
        status,
        call: call.map(CallId),
    })
}

async fn locked_status(tx: &mut PgConnection, subject: Subject) -> Result<RecordStatus, AppError> {
    Ok(lock_record(tx, subject).await?.status)
}

/// Writes the new status. Publishing stamps `published_at` once (`now`); entering notice
/// sets the notice's last day (projects have no notice). One statement per table, spelled
/// out, so that each is checked at compile time like every other query of the site.
async fn write_status(
    tx: &mut PgConnection,
    subject: Subject,
    to: RecordStatus,
    reason: Option<&str>,
    notice_until: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let status = to.code();
    match subject {
        Subject::Product(id) => {
            sqlx::query!(
                "UPDATE products
                 SET status = ($2::text)::record_status, status_reason = $3,
                     published_at = CASE WHEN $2 = 'published' THEN COALESCE(published_at, $4)
                                         ELSE published_at END,
                     notice_until = $5, updated_at = $4
                 WHERE id = $1",
                id.0,
                status,
                reason,
                now,
                notice_until
            )
            .execute(&mut *tx)
            .await?;
        }
        Subject::Scenario(id) => {
            sqlx::query!(
                "UPDATE scenarios
                 SET status = ($2::text)::record_status, status_reason = $3,
                     published_at = CASE WHEN $2 = 'published' THEN COALESCE(published_at, $4)
                                         ELSE published_at END,
                     notice_until = $5, updated_at = $4
                 WHERE id = $1",
                id.0,
                status,
                reason,
                now,
                notice_until
            )
            .execute(&mut *tx)
            .await?;
        }
        Subject::Project(id) => {
            sqlx::query!(
                "UPDATE projects
                 SET status = ($2::text)::record_status, status_reason = $3,
                     published_at = CASE WHEN $2 = 'published' THEN COALESCE(published_at, $4)
                                         ELSE published_at END,
                     updated_at = $4
                 WHERE id = $1",
                id.0,
                status,
                reason,
                now
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

/// One transition: who, what, why, and when.
struct Transition<'a> {
    action: &'static str,
    step: fn(RecordStatus) -> Result<RecordStatus, InvalidTransition>,
    actor: Option<UserId>,
    reason: Option<&'a str>,
    notice_until: Option<NaiveDate>,
    now: DateTime<Utc>,
}

/// Applies one transition with its audit row and index work.
async fn change(
    tx: &mut PgConnection,
    subject: Subject,
    transition: Transition<'_>,
) -> Result<RecordStatus, AppError> {
    let from = locked_status(tx, subject).await?;
    let to = (transition.step)(from)?;
    write_status(
        tx,
        subject,
        to,
        transition.reason,
        transition.notice_until,
        transition.now,
    )
    .await?;
    audit(
        tx,
        AuditEntry {
            actor: transition.actor.into(),
            subject_kind: subject.kind(),
            subject_id: subject.id(),
            action: transition.action,
            from_state: Some(from.code()),
            to_state: Some(to.code()),
            reason: transition.reason,
            changed_fields: &[],
            at: transition.now,
        },
    )
    .await?;
    // Only published records are in the index; entering or leaving that state is the
    // index's business, nothing else is.
    match (from.is_listed(), to.is_listed()) {
        (false, true) => {
            queue_for_index(tx, subject.kind(), subject.id(), IndexWork::Upsert).await?
        }
        (true, false) => {
            queue_for_index(tx, subject.kind(), subject.id(), IndexWork::Delete).await?
        }
        _ => {}
    }
    Ok(to)
}

fn by(
    action: &'static str,
    step: fn(RecordStatus) -> Result<RecordStatus, InvalidTransition>,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Transition<'static> {
    Transition {
        action,
        step,
        actor,
        reason: None,
        notice_until: None,
        now,
    }
}

/// Submitted for review (a draft, or a returned record fixed).
pub async fn submit(
    tx: &mut PgConnection,
    subject: Subject,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<RecordStatus, AppError> {
    change(tx, subject, by("submit", RecordStatus::submit, actor, now)).await
}

/// The first review of a submitted record came in.
pub async fn start_review(
    tx: &mut PgConnection,
    subject: Subject,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<RecordStatus, AppError> {
    change(
        tx,
        subject,
        by("start_review", RecordStatus::start_review, actor, now),
    )
    .await
}

/// Returned to its organisation with `reason` (what to fix).
pub async fn return_for_revision(
    tx: &mut PgConnection,
    subject: Subject,
    actor: Option<UserId>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<RecordStatus, AppError> {
    let transition = Transition {
        reason: Some(reason),
        ..by(
            "return_for_revision",
            RecordStatus::return_for_revision,
            actor,
            now,
        )
    };
    change(tx, subject, transition).await
}

/// Rejected with `reason`, which its organisation reads.
pub async fn reject(
    tx: &mut PgConnection,
    subject: Subject,
    actor: Option<UserId>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<RecordStatus, AppError> {
    let transition = Transition {
        reason: Some(reason),
        ..by("reject", RecordStatus::reject, actor, now)
    };
    change(tx, subject, transition).await
}

/// Its organisation took the submission back before the decision: a draft again.
pub async fn withdraw_submission(
    tx: &mut PgConnection,
    subject: Subject,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<RecordStatus, AppError> {
    change(
        tx,
        subject,
        by(
            "withdraw_submission",
            RecordStatus::withdraw_submission,
            actor,
            now,
        ),
    )
    .await
}

/// An approved product or scenario enters its public notice until `notice_until` (its
/// last day, deployment time zone). Projects have no public notice (docs/domain.md,
/// "Workflow") and are published straight from review.
pub async fn enter_notice(
    tx: &mut PgConnection,
    subject: Subject,
    notice_until: NaiveDate,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<RecordStatus, AppError> {
    if let Subject::Project(_) = subject {
        let from = locked_status(tx, subject).await?;
        return Err(InvalidTransition {
            action: "enter public notice",
            from,
        }
        .into());
    }
    let transition = Transition {
        notice_until: Some(notice_until),
        ..by("enter_notice", RecordStatus::enter_notice, actor, now)
    };
    change(tx, subject, transition).await
}

/// Publishes a record (after its notice, or straight from review for projects);
/// `published_at` becomes `now` the first time.
pub async fn publish(
    tx: &mut PgConnection,
    subject: Subject,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<RecordStatus, AppError> {
    change(
        tx,
        subject,
        by("publish", RecordStatus::publish, actor, now),
    )
    .await
}

/// An upheld objection sends a record in notice back to review.
pub async fn return_to_review(
    tx: &mut PgConnection,
    subject: Subject,
    actor: Option<UserId>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<RecordStatus, AppError> {
    let transition = Transition {
        reason: Some(reason),
        ..by(
            "return_to_review",
            RecordStatus::return_to_review,
            actor,
            now,
        )
    };
    change(tx, subject, transition).await
}

pub async fn withdraw(
    tx: &mut PgConnection,
    subject: Subject,
    actor: Option<UserId>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<RecordStatus, AppError> {
    let transition = Transition {
        reason: Some(reason),
        ..by("withdraw", RecordStatus::withdraw, actor, now)
    };
    change(tx, subject, transition).await
}

/// Past its validity: the page stays, with a banner; it leaves lists and search.
pub async fn expire(
    tx: &mut PgConnection,
    subject: Subject,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<RecordStatus, AppError> {
    change(tx, subject, by("expire", RecordStatus::expire, actor, now)).await
}

/// A catalogue batch's validity changed (it was extended or shortened): its published
/// products stay published, but their eligibility may have changed, so search must learn
/// it the same day. Returns how many products were queued. (Eligibility changing because
/// the date moved past a batch's start or end is the scheduler's
/// `eligibility_changed_between`.)
pub async fn batch_eligibility_changed(
    tx: &mut PgConnection,
    batch: CallId,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let queued = sqlx::query!(
        "INSERT INTO search_outbox (subject_kind, subject_id, operation)
         SELECT 'product', p.id, 'upsert' FROM products p
         JOIN organisations o ON o.id = p.organisation_id
         WHERE p.call_id = $1 AND record_is_listed(p.status, o.verified_at)",
        batch.0
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    audit(
        tx,
        AuditEntry {
            actor: actor.into(),
            subject_kind: "call",
            subject_id: batch.0,
            action: "batch_eligibility_changed",
            from_state: None,
            to_state: None,
            reason: None,
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    Ok(queued)
}
