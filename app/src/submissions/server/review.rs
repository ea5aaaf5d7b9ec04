//! Reviews: an assigned reviewer (never of their own organisation's submission) scores
//! each of the call's criteria and comments; the first review starts the review.

use super::drafts::user_of;
use super::target::lock_submission;
use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::Refusal;
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::{check, Action, Caller};
use crate::domain::RecordStatus;
use crate::error::AppError;
use crate::publication::{self, Subject};
use crate::state::AppState;
use crate::submissions::state::SubmissionState;

/// Saves the caller's review of submission `id` in its current round: a score of 0–100
/// for each criterion (`score_1`, …) and a `comment`; saving again replaces it until the
/// decision. Without a call (the platform queue) there is one overall `score_1`.
///
/// Errors: [`Refusal::Invalid`] naming each score and the comment; 404 when the caller
/// may not see it; 403 when they see it but may not review it (the call's agency admin);
/// [`AppError::Conflict`] once decided.
pub async fn save_review(
    state: &AppState,
    caller: &Caller,
    id: i64,
    fields: &[(String, String)],
) -> Result<(), Refusal> {
    let user = user_of(caller)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let submission = lock_submission(&mut tx, id).await?;
    check(caller, Action::ViewUnpublished, &submission.target).map_err(|_| AppError::NotFound)?;
    check(caller, Action::ReviewSubmission, &submission.target)?;
    let next = submission.state.review()?;
    let weights: Vec<(i16, i16)> = match submission.call {
        Some(call) => sqlx::query!(
            "SELECT position, weight FROM call_criteria WHERE call_id = $1 ORDER BY position",
            call.0
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|row| (row.position, row.weight))
        .collect(),
        None => vec![(1, 100)],
    };
    let get = |name: &str| {
        fields
            .iter()
            .find(|(field, _)| field == name)
            .map_or("", |(_, value)| value.trim())
    };
    let mut errors = Vec::new();
    let mut scores = Vec::new();
    for (position, weight) in &weights {
        let field = crate::submissions::review_score_field(*position);
        match get(field).parse::<i16>() {
            Ok(score) if (0..=100).contains(&score) => scores.push((*position, score, *weight)),
            _ if get(field).is_empty() => errors.push(FieldError {
                field,
                problem: Problem::Required,
            }),
            _ => errors.push(FieldError {
                field,
                problem: Problem::OutOfRange { min: 0, max: 100 },
            }),
        }
    }
    let comment = get("comment");
    if comment.is_empty() {
        errors.push(FieldError {
            field: "comment",
            problem: Problem::Required,
        });
    } else if comment.chars().count() > 5000 {
        errors.push(FieldError {
            field: "comment",
            problem: Problem::TooLong,
        });
    }
    if !errors.is_empty() {
        return Err(Refusal::Invalid(errors));
    }
    // The weighted total, rounded: weights add up to 100.
    let total: i32 = scores
        .iter()
        .map(|(_, score, weight)| i32::from(*score) * i32::from(*weight))
        .sum::<i32>()
        / weights
            .iter()
            .map(|(_, w)| i32::from(*w))
            .sum::<i32>()
            .max(1);
    let review = sqlx::query_scalar!(
        "INSERT INTO reviews (subject_kind, subject_id, call_id, reviewer_id, score, comment,
                              submission_id, round, created_at, updated_at)
         VALUES (($1::text)::subject_kind, $2, $3, $4, $5, $6, $7, $8, $9, $9)
         ON CONFLICT (submission_id, round, reviewer_id) WHERE submission_id IS NOT NULL
         DO UPDATE SET score = EXCLUDED.score, comment = EXCLUDED.comment,
                       updated_at = EXCLUDED.updated_at
         RETURNING id",
        submission.record_kind,
        submission.record_id,
        submission.call.map(|call| call.0),
        user.0,
        total as i16,
        comment,
        submission.id,
        submission.round,
        now
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM review_scores WHERE review_id = $1", review)
        .execute(&mut *tx)
        .await?;
    for (position, score, _) in &scores {
        sqlx::query!(
            "INSERT INTO review_scores (review_id, position, score) VALUES ($1, $2, $3)",
            review,
            position,
            score
        )
        .execute(&mut *tx)
        .await?;
    }
    if submission.state == SubmissionState::Submitted {
        sqlx::query!(
            "UPDATE submissions SET state = ($2::text)::submission_state, updated_at = $3
             WHERE id = $1",
            submission.id,
            next.code(),
            now
        )
        .execute(&mut *tx)
        .await?;
        // A new record's page state follows its first listing's review.
        let subject = Subject::from_kind(&submission.record_kind, submission.record_id)
            .ok_or(AppError::Internal)?;
        if submission.purpose == "listing"
            && publication::lock_record(&mut tx, subject).await?.status == RecordStatus::Submitted
        {
            publication::start_review(&mut tx, subject, Some(user), now).await?;
        }
    }
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "submission",
            subject_id: submission.id,
            action: "review",
            from_state: Some(submission.state.code()),
            to_state: Some(next.code()),
            reason: None,
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
