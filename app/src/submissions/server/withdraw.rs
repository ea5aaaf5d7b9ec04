//! An organisation takes its submission back before the decision: the record becomes a
//! draft again (a new one) or stays as published (a revision or a later listing), and the
//! submitted text is kept as a draft to work on.

use super::drafts::user_of;
use super::target::lock_submission;
use crate::accounts::server::Refusal;
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::{check, Action, Caller};
use crate::domain::RecordStatus;
use crate::error::AppError;
use crate::publication::{self, Subject};
use crate::state::AppState;
use crate::submissions::forms::{RecordForm, RecordKind};

/// Withdraws submission `id`. Errors: 404 for another organisation's submission;
/// [`AppError::Conflict`] once decided (or in notice).
pub async fn withdraw_submission(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<(), Refusal> {
    let user = user_of(caller)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    // The record's row first, as submitting takes them (draft, record, submission): two
    // tabs withdrawing and resubmitting at once wait for each other instead of deadlocking.
    let record = sqlx::query!(
        "SELECT record_kind, record_id FROM submissions WHERE id = $1",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let subject =
        Subject::from_kind(&record.record_kind, record.record_id).ok_or(AppError::Internal)?;
    let status = publication::lock_record(&mut tx, subject).await?.status;
    let submission = lock_submission(&mut tx, id).await?;
    let own = crate::auth::Target::organisation(submission.organisation);
    check(caller, Action::PrepareDraft, &own).map_err(|_| AppError::NotFound)?;
    check(caller, Action::SubmitForReview, &own)?;
    let to = submission.state.withdraw()?;
    sqlx::query!(
        "UPDATE submissions SET state = 'withdrawn', updated_at = $2 WHERE id = $1",
        submission.id,
        now
    )
    .execute(&mut *tx)
    .await?;
    if status != RecordStatus::Published {
        publication::withdraw_submission(&mut tx, subject, Some(user), now).await?;
    }
    let snapshot = sqlx::query_scalar!("SELECT snapshot FROM submissions WHERE id = $1", id)
        .fetch_one(&mut *tx)
        .await?;
    let kind = RecordKind::from_code(&record.record_kind).ok_or(AppError::Internal)?;
    let fields = RecordForm::from_snapshot(kind, &snapshot).draft_fields();
    sqlx::query!(
        "INSERT INTO drafts (record_kind, organisation_id, record_id, call_id, fields, created_by,
                             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         -- A returned submission's draft holds the edits since: they stay.
         ON CONFLICT (record_kind, record_id) WHERE record_id IS NOT NULL DO NOTHING",
        submission.record_kind,
        submission.organisation.0,
        submission.record_id,
        submission.call.map(|call| call.0),
        fields,
        user.0,
        now
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "submission",
            subject_id: submission.id,
            action: "withdraw",
            from_state: Some(submission.state.code()),
            to_state: Some(to.code()),
            reason: None,
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Withdraws a published product, scenario or project (or one in public notice) with
/// `reason`: its page
/// stays at the same address with a banner saying so, and it leaves lists, search and
/// the open data's lists ("Who sees what"). A submission of it in notice ends with it.
///
/// Errors: 404 when the caller may not see it as its owner or a platform admin (or it does
/// not exist); [`Refusal::Invalid`] on `reason` (required, at most 2000 characters);
/// [`AppError::InvalidTransition`] when it is neither published nor in notice.
pub async fn withdraw_published(
    state: &AppState,
    caller: &Caller,
    subject: Subject,
    reason: &str,
) -> Result<(), Refusal> {
    let user = user_of(caller)?;
    let reason = reason.trim();
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let owner = publication::lock_record(&mut tx, subject)
        .await?
        .organisation;
    check(
        caller,
        Action::WithdrawRecord,
        &crate::auth::Target::organisation(owner),
    )
    .map_err(|_| AppError::NotFound)?;
    if reason.is_empty() {
        return Err(Refusal::Invalid(vec![crate::accounts::form::FieldError {
            field: "reason",
            problem: crate::accounts::form::Problem::ReasonRequired,
        }]));
    }
    if reason.chars().count() > 2000 {
        return Err(Refusal::Invalid(vec![crate::accounts::form::FieldError {
            field: "reason",
            problem: crate::accounts::form::Problem::TooLong,
        }]));
    }
    publication::withdraw(&mut tx, subject, Some(user), reason, now).await?;
    sqlx::query!(
        "UPDATE submissions SET state = 'withdrawn', updated_at = $2
         WHERE record_kind = $3 AND record_id = $1 AND state = 'in_notice'",
        subject.id(),
        now,
        subject.kind()
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
