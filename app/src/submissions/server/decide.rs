//! The decision on a submission, taken once by the call's lead reviewer or its agency
//! admin (a platform reviewer in the shared queue) after the reviews the call requires:
//! approve (into public notice, or published at once without one), reject with a reason,
//! or return with what to fix. Two people deciding at the same moment: the submission's
//! row lock makes one wait, and it then finds the submission decided ([`AppError::Conflict`]).

use super::accept::accept;
use super::drafts::user_of;
use super::notify::{notify, Event};
use super::target::lock_submission;
use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::Refusal;
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::{check, Action, Caller};
use crate::calls::notice_window::{notice_window, NoticeCount};
use crate::error::AppError;
use crate::publication::{self, Subject};
use crate::state::AppState;
use crate::submissions::state::SubmissionState;

/// A decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
    Return,
}

impl Decision {
    /// `approve`, `reject` or `return` (the form's `decision`).
    pub fn from_code(code: &str) -> Option<Decision> {
        match code {
            "approve" => Some(Decision::Approve),
            "reject" => Some(Decision::Reject),
            "return" => Some(Decision::Return),
            _ => None,
        }
    }
}

/// Decides submission `id`. `reason` is required to reject or return; `substantive` says
/// whether a revision changes the substance (only then is the notice repeated).
///
/// Errors: [`Refusal::Invalid`] on `reason` or `decision` ([`Problem::ReviewsMissing`]);
/// 404 when the caller may not see it; 403 when they may not decide;
/// [`AppError::Conflict`] when it was decided meanwhile.
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    id: i64,
    decision: Decision,
    reason: &str,
    substantive: bool,
) -> Result<SubmissionState, Refusal> {
    let user = user_of(caller)?;
    let (now, today) = (state.clock.now(), state.clock.today());
    let reason = reason.trim();
    let mut tx = state.pool.begin().await?;
    let submission = lock_submission(&mut tx, id).await?;
    check(caller, Action::ViewUnpublished, &submission.target).map_err(|_| AppError::NotFound)?;
    check(caller, Action::DecideSubmission, &submission.target)?;
    if submission.state != SubmissionState::InReview {
        return Err(AppError::Conflict.into());
    }
    let done = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM reviews WHERE submission_id = $1 AND round = $2"#,
        submission.id,
        submission.round
    )
    .fetch_one(&mut *tx)
    .await?;
    if done < i64::from(submission.required_reviews) {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "decision",
            problem: Problem::ReviewsMissing {
                required: submission.required_reviews.into(),
                done,
            },
        }]));
    }
    if reason.chars().count() > 5000 {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "reason",
            problem: Problem::TooLong,
        }]));
    }
    if decision != Decision::Approve && reason.is_empty() {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "reason",
            problem: Problem::ReasonRequired,
        }]));
    }
    let subject = Subject::from_kind(&submission.record_kind, submission.record_id)
        .ok_or(AppError::Internal)?;
    let unpublished = publication::lock_record(&mut tx, subject)
        .await?
        .status
        .is_under_selection();
    let to = match decision {
        Decision::Approve => {
            let (days, count) = match submission.call {
                Some(call) => {
                    let row = sqlx::query!(
                        r#"SELECT notice_days, notice_count AS "count: NoticeCount"
                           FROM calls WHERE id = $1"#,
                        call.0
                    )
                    .fetch_one(&mut *tx)
                    .await?;
                    (row.notice_days, row.count)
                }
                // The shared queue (projects, an agency's own scenarios): no notice.
                None => (0, NoticeCount::Calendar),
            };
            let repeats_notice = submission.purpose == "listing" || substantive;
            let days = if repeats_notice { days } else { 0 };
            let calendar = crate::calls::db::holiday_calendar(
                &state.pool,
                today,
                today + chrono::TimeDelta::days(90),
            )
            .await?;
            match notice_window(today, days, count, &calendar) {
                Some(window) => {
                    let to = submission.state.approve(true)?;
                    sqlx::query!(
                        "UPDATE submissions SET state = 'in_notice', notice_until = $2,
                             substantive = $3, decided_by = $4, decided_at = $5, updated_at = $5
                         WHERE id = $1",
                        submission.id,
                        window.last_day,
                        substantive,
                        user.0,
                        now
                    )
                    .execute(&mut *tx)
                    .await?;
                    if unpublished {
                        publication::enter_notice(
                            &mut tx,
                            subject,
                            window.last_day,
                            Some(user),
                            now,
                        )
                        .await?;
                    }
                    notify(
                        &mut tx,
                        &state.site,
                        submission.id,
                        Event::InNotice,
                        None,
                        now,
                    )
                    .await?;
                    to
                }
                None => {
                    let to = submission.state.approve(false)?;
                    sqlx::query!(
                        "UPDATE submissions SET substantive = $2, decided_by = $3, decided_at = $4
                         WHERE id = $1",
                        submission.id,
                        substantive,
                        user.0,
                        now
                    )
                    .execute(&mut *tx)
                    .await?;
                    accept(&mut tx, &state.site, &submission, Some(user), now).await?;
                    to
                }
            }
        }
        Decision::Reject => {
            let to = submission.state.reject()?;
            record_decision(&mut tx, submission.id, to, reason, user, now).await?;
            if unpublished {
                publication::reject(&mut tx, subject, Some(user), reason, now).await?;
            }
            notify(
                &mut tx,
                &state.site,
                submission.id,
                Event::Rejected,
                Some(reason),
                now,
            )
            .await?;
            to
        }
        Decision::Return => {
            let to = submission.state.return_for_revision()?;
            record_decision(&mut tx, submission.id, to, reason, user, now).await?;
            if unpublished {
                publication::return_for_revision(&mut tx, subject, Some(user), reason, now).await?;
            }
            // Back to its organisation as an editable draft of the text it submitted.
            super::drafts::back_to_draft(&mut tx, submission.id, now).await?;
            notify(
                &mut tx,
                &state.site,
                submission.id,
                Event::Returned,
                Some(reason),
                now,
            )
            .await?;
            to
        }
    };
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "submission",
            subject_id: submission.id,
            action: match decision {
                Decision::Approve => "approve",
                Decision::Reject => "reject",
                Decision::Return => "return",
            },
            from_state: Some(submission.state.code()),
            to_state: Some(to.code()),
            reason: (!reason.is_empty()).then_some(reason),
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    state.accounts.mail_queued.notify_one();
    Ok(to)
}

async fn record_decision(
    tx: &mut sqlx::PgConnection,
    id: i64,
    to: SubmissionState,
    reason: &str,
    user: crate::domain::UserId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE submissions SET state = ($2::text)::submission_state, decision_reason = $3,
             decided_by = $4, decided_at = $5, updated_at = $5
         WHERE id = $1",
        id,
        to.code(),
        reason,
        user.0,
        now
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
