//! Calls open and close on their dates by themselves: the scheduler calls these once a
//! day (deployment time zone). Running one twice on the same day finds nothing to do.

use super::types::CallStatus;
use crate::audit::{self, Actor, AuditEntry};
use crate::domain::CallId;
use crate::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

/// Opens the announced calls whose opening day has come (`opens_on <= today`). Returns
/// them.
pub async fn open_due_calls(
    tx: &mut PgConnection,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<CallId>, AppError> {
    let opened = sqlx::query_scalar!(
        "UPDATE calls SET status = 'open', updated_at = $2
         WHERE status = 'scheduled' AND opens_on <= $1
         RETURNING id",
        today,
        now
    )
    .fetch_all(&mut *tx)
    .await?;
    record(tx, &opened, CallStatus::Scheduled, CallStatus::Open, now).await?;
    Ok(opened.into_iter().map(CallId).collect())
}

/// Closes the open calls whose last day has passed (`closes_on < today`): they take no
/// more submissions, and selection goes on. Returns them.
pub async fn close_due_calls(
    tx: &mut PgConnection,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<CallId>, AppError> {
    let closed = sqlx::query_scalar!(
        "UPDATE calls SET status = 'closed', updated_at = $2
         WHERE status = 'open' AND closes_on < $1
         RETURNING id",
        today,
        now
    )
    .fetch_all(&mut *tx)
    .await?;
    record(tx, &closed, CallStatus::Open, CallStatus::Closed, now).await?;
    Ok(closed.into_iter().map(CallId).collect())
}

/// Finishes the closed calls with nothing left under way (every submission decided and,
/// if approved, through its notice). Returns them.
pub async fn finish_done_calls(
    tx: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<Vec<CallId>, AppError> {
    let finished = sqlx::query_scalar!(
        "UPDATE calls c SET status = 'finished', updated_at = $1
         WHERE c.status = 'closed'
           AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.call_id = c.id
                           AND s.state IN ('submitted', 'in_review', 'returned', 'in_notice'))
         RETURNING c.id",
        now
    )
    .fetch_all(&mut *tx)
    .await?;
    record(tx, &finished, CallStatus::Closed, CallStatus::Finished, now).await?;
    Ok(finished.into_iter().map(CallId).collect())
}

async fn record(
    tx: &mut PgConnection,
    calls: &[i64],
    from: CallStatus,
    to: CallStatus,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    for id in calls {
        audit::record(
            tx,
            AuditEntry {
                actor: Actor::System,
                subject_kind: "call",
                subject_id: *id,
                action: match to {
                    CallStatus::Open => "open",
                    CallStatus::Finished => "finish",
                    _ => "close",
                },
                from_state: Some(from.code()),
                to_state: Some(to.code()),
                reason: None,
                changed_fields: &[],
                at: now,
            },
        )
        .await?;
    }
    Ok(())
}
