//! An organisation takes its submission back before the decision: the record becomes a
//! draft again (a new one) or stays as published (a revision or a later listing), and the
//! submitted text is kept as a draft to work on.

use super::drafts::user_of;
use super::notify::{notify, Event};
use super::target::lock_submission;
use crate::accounts::server::Refusal;
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::{check, Action, Caller};
use crate::error::AppError;
use crate::publication::{self, Subject};
use crate::state::AppState;

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
    let subject = Subject::from_kind(&submission.record_kind, submission.record_id)
        .ok_or(AppError::Internal)?;
    if publication::lock_record(&mut tx, subject)
        .await?
        .status
        .is_under_selection()
    {
        publication::withdraw_submission(&mut tx, subject, Some(user), now).await?;
    }
    super::drafts::back_to_draft(&mut tx, submission.id, now).await?;
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
    // Whatever was under way for it (its notice, a revision, a listing in a later batch)
    // ends with it: nothing can be decided about a withdrawn record.
    let ended = sqlx::query_scalar!(
        "UPDATE submissions SET state = 'withdrawn', decision_reason = $4, updated_at = $2
         WHERE record_kind = $3 AND record_id = $1
           AND state IN ('submitted', 'in_review', 'returned', 'in_notice')
         RETURNING id",
        subject.id(),
        now,
        subject.kind(),
        reason
    )
    .fetch_all(&mut *tx)
    .await?;
    for submission in ended {
        audit::record(
            &mut tx,
            AuditEntry {
                actor: Actor::User(user),
                subject_kind: "submission",
                subject_id: submission,
                action: "withdraw",
                from_state: None,
                to_state: Some("withdrawn"),
                reason: Some(reason),
                changed_fields: &[],
                at: now,
            },
        )
        .await?;
        notify(
            &mut tx,
            &state.site,
            submission,
            Event::Withdrawn,
            Some(reason),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    state.accounts.mail_queued.notify_one();
    Ok(())
}
