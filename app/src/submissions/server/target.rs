//! What the permission table needs to know about a submission: its organisation, the
//! agency running its call, and the call's reviewers.

use crate::auth::{Reviewer, Target};
use crate::domain::{CallId, OrganisationId, UserId};
use crate::error::AppError;
use crate::submissions::state::SubmissionState;
use sqlx::PgConnection;

/// A submission as the workflow's checks see it, its row locked for the transaction.
#[derive(Debug, Clone)]
pub struct Locked {
    pub id: i64,
    pub record_kind: String,
    pub record_id: i64,
    pub organisation: OrganisationId,
    pub call: Option<CallId>,
    pub state: SubmissionState,
    pub round: i16,
    pub required_reviews: i16,
    pub purpose: String,
    pub notice_until: Option<chrono::NaiveDate>,
    pub submitted_by: Option<i64>,
    pub target: Target,
}

/// Locks submission `id` (`FOR UPDATE`: two decisions at once queue here, and the second
/// finds the state the first left) and reads its permission target.
///
/// Its record's row is locked first: every workflow step takes the locks in one order,
/// record → submission → draft, so two steps on one record wait for each other instead of
/// deadlocking (an owner withdrawing while the lead decides, say).
///
/// Errors: [`AppError::NotFound`]; [`AppError::Unavailable`].
pub async fn lock_submission(tx: &mut PgConnection, id: i64) -> Result<Locked, AppError> {
    // Which record never changes, so it is read before anything is locked.
    let record = sqlx::query!(
        "SELECT record_kind, record_id FROM submissions WHERE id = $1",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let subject = crate::publication::Subject::from_kind(&record.record_kind, record.record_id)
        .ok_or(AppError::Internal)?;
    crate::publication::lock_record(tx, subject).await?;
    load(tx, id, true).await
}

/// Reads submission `id` and its permission target without locking it (pages).
///
/// Errors: [`AppError::NotFound`]; [`AppError::Unavailable`].
pub async fn read_submission(conn: &mut PgConnection, id: i64) -> Result<Locked, AppError> {
    load(conn, id, false).await
}

/// One submission's row (the same columns, locked or not).
struct Row {
    record_kind: String,
    record_id: i64,
    organisation_id: i64,
    call_id: Option<i64>,
    state: SubmissionState,
    round: i16,
    required_reviews: i16,
    purpose: String,
    notice_until: Option<chrono::NaiveDate>,
    submitted_by: Option<i64>,
    agency: Option<i64>,
}

async fn load(tx: &mut PgConnection, id: i64, lock: bool) -> Result<Locked, AppError> {
    let row = if lock {
        sqlx::query_as!(
            Row,
            r#"SELECT s.record_kind, s.record_id, s.organisation_id, s.call_id,
                      s.state AS "state: SubmissionState", s.round, s.required_reviews,
                      s.purpose::text AS "purpose!", s.notice_until, s.submitted_by,
                      c.organisation_id AS "agency?"
               FROM submissions s LEFT JOIN calls c ON c.id = s.call_id
               WHERE s.id = $1
               FOR UPDATE OF s"#,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
    } else {
        sqlx::query_as!(
            Row,
            r#"SELECT s.record_kind, s.record_id, s.organisation_id, s.call_id,
                      s.state AS "state: SubmissionState", s.round, s.required_reviews,
                      s.purpose::text AS "purpose!", s.notice_until, s.submitted_by,
                      c.organisation_id AS "agency?"
               FROM submissions s LEFT JOIN calls c ON c.id = s.call_id
               WHERE s.id = $1"#,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
    }
    .ok_or(AppError::NotFound)?;
    let reviewers = match row.call_id {
        Some(call) => call_reviewers(tx, CallId(call)).await?,
        None => Vec::new(),
    };
    Ok(Locked {
        id,
        record_kind: row.record_kind,
        record_id: row.record_id,
        organisation: OrganisationId(row.organisation_id),
        call: row.call_id.map(CallId),
        state: row.state,
        round: row.round,
        required_reviews: row.required_reviews,
        purpose: row.purpose,
        notice_until: row.notice_until,
        submitted_by: row.submitted_by,
        target: Target {
            organisation: Some(OrganisationId(row.organisation_id)),
            call_agency: row.agency.map(OrganisationId),
            reviewers,
        },
    })
}

/// The reviewers of `call`.
pub async fn call_reviewers(
    tx: &mut PgConnection,
    call: CallId,
) -> Result<Vec<Reviewer>, AppError> {
    Ok(sqlx::query!(
        "SELECT user_id, is_lead FROM call_reviewers WHERE call_id = $1",
        call.0
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|row| Reviewer {
        user: UserId(row.user_id),
        lead: row.is_lead,
    })
    .collect())
}
