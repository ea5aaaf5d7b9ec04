//! Public notice (公示): signed objections while the window is open, the ruling on each,
//! and the end of windows (the scheduler's `end_notices`).

use super::accept::accept;
use super::drafts::user_of;
use super::notify::{notify, Event};
use super::target::lock_submission;
use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::Refusal;
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::{check, Action, Caller, Target};
use crate::calls::notice_window::window_ends_at;
use crate::domain::RecordStatus;
use crate::error::AppError;
use crate::publication::{self, Subject};
use crate::state::{AppState, Site};
use crate::submissions::state::SubmissionState;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

/// Objections one person may file against one item: enough to add to one's case, not to
/// flood its organisation's mailbox.
pub const MAX_OBJECTIONS_PER_PERSON: i64 = 3;

fn invalid(field: &'static str, problem: Problem) -> Refusal {
    Refusal::Invalid(vec![FieldError { field, problem }])
}

/// Files an objection to submission `id` in public notice, signed with the real name of
/// the caller's profile. Anyone with a confirmed email or mobile number may object, until
/// 24:00 (deployment time zone) on the window's last day. Returns the objection's id.
///
/// Errors: 401; 403 for an unconfirmed account; 404 when it is not in notice;
/// [`Refusal::Invalid`] on `reason` ([`Problem::Required`], [`Problem::TooLong`],
/// [`Problem::NoticeEnded`], [`Problem::RealNameRequired`]).
pub async fn file_objection(
    state: &AppState,
    caller: &Caller,
    id: i64,
    reason: &str,
) -> Result<i64, Refusal> {
    let user = user_of(caller)?;
    check(caller, Action::FileObjection, &Target::none())?;
    let reason = reason.trim();
    let mut tx = state.pool.begin().await?;
    let submission = lock_submission(&mut tx, id).await?;
    // The time once the submission is ours: a request that waited for the lock past 24:00
    // is late.
    let now = state.clock.now();
    let (SubmissionState::InNotice, Some(last_day)) = (submission.state, submission.notice_until)
    else {
        return Err(AppError::NotFound.into());
    };
    let public = sqlx::query_scalar!(
        r#"SELECT organisation_is_public(verified_at) AS "public!" FROM organisations WHERE id = $1"#,
        submission.organisation.0
    )
    .fetch_one(&mut *tx)
    .await?;
    if !public {
        return Err(AppError::NotFound.into());
    }
    if now >= window_ends_at(last_day, &state.clock.zone()) {
        return Err(invalid("reason", Problem::NoticeEnded));
    }
    if reason.is_empty() {
        return Err(invalid("reason", Problem::Required));
    }
    if reason.chars().count() > 5000 {
        return Err(invalid("reason", Problem::TooLong));
    }
    let filed = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM objections WHERE submission_id = $1 AND objector_id = $2"#,
        submission.id,
        user.0
    )
    .fetch_one(&mut *tx)
    .await?;
    if filed >= MAX_OBJECTIONS_PER_PERSON {
        return Err(invalid(
            "reason",
            Problem::ObjectionLimit {
                limit: MAX_OBJECTIONS_PER_PERSON,
            },
        ));
    }
    let signed_name = sqlx::query_scalar!(
        "SELECT btrim(real_name) FROM users WHERE id = $1 AND real_name IS NOT NULL
           AND btrim(real_name) <> ''",
        user.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .flatten()
    .ok_or_else(|| invalid("reason", Problem::RealNameRequired))?;
    let objection = sqlx::query_scalar!(
        "INSERT INTO objections (submission_id, objector_id, signed_name, reason, filed_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        submission.id,
        user.0,
        signed_name,
        reason,
        now
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "objection",
            subject_id: objection,
            action: "file",
            from_state: None,
            to_state: Some("open"),
            reason: None,
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    notify(
        &mut tx,
        &state.site,
        submission.id,
        Event::ObjectionFiled,
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    state.accounts.mail_queued.notify_one();
    Ok(objection)
}

/// Rules on objection `objection`: dismissed, or upheld (the item goes back to review for
/// a new round). `ruling` (required) is kept and shown to the submitter.
///
/// Errors: 404 when the caller may not see it; 403 when they may not rule (not the lead
/// reviewer or the agency admin); [`AppError::Conflict`] when ruled already;
/// [`Refusal::Invalid`] on `ruling`.
pub async fn rule_on_objection(
    state: &AppState,
    caller: &Caller,
    objection: i64,
    uphold: bool,
    ruling: &str,
) -> Result<(), Refusal> {
    let user = user_of(caller)?;
    let ruling = ruling.trim();
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let submission_id = sqlx::query_scalar!(
        "SELECT submission_id FROM objections WHERE id = $1",
        objection
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let submission = lock_submission(&mut tx, submission_id).await?;
    check(caller, Action::ViewUnpublished, &submission.target).map_err(|_| AppError::NotFound)?;
    check(caller, Action::RuleOnObjection, &submission.target)?;
    if ruling.is_empty() {
        return Err(invalid("ruling", Problem::ReasonRequired));
    }
    if ruling.chars().count() > 5000 {
        return Err(invalid("ruling", Problem::TooLong));
    }
    let ruled = sqlx::query!(
        "UPDATE objections SET state = ($2::text)::objection_state, ruled_by = $3, ruled_at = $4,
             ruling = $5
         WHERE id = $1 AND state = 'open'",
        objection,
        if uphold { "upheld" } else { "dismissed" },
        user.0,
        now,
        ruling
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if ruled == 0 {
        return Err(AppError::Conflict.into());
    }
    // An objection left open from before an earlier one sent the item back to review is
    // ruled on all the same; only one in notice moves the item.
    if uphold && submission.state == SubmissionState::InNotice {
        let to = submission.state.uphold_objection()?;
        sqlx::query!(
            "UPDATE submissions SET state = ($2::text)::submission_state, round = round + 1,
                 notice_until = NULL, updated_at = $3
             WHERE id = $1",
            submission.id,
            to.code(),
            now
        )
        .execute(&mut *tx)
        .await?;
        let subject = Subject::from_kind(&submission.record_kind, submission.record_id)
            .ok_or(AppError::Internal)?;
        if publication::lock_record(&mut tx, subject).await?.status == RecordStatus::InNotice {
            publication::return_to_review(&mut tx, subject, Some(user), ruling, now).await?;
        }
    }
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "objection",
            subject_id: objection,
            action: if uphold { "uphold" } else { "dismiss" },
            from_state: Some("open"),
            to_state: Some(if uphold { "upheld" } else { "dismissed" }),
            reason: Some(ruling),
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    let event = if uphold {
        Event::ObjectionUpheld
    } else {
        Event::ObjectionDismissed
    };
    notify(
        &mut tx,
        &state.site,
        submission.id,
        event,
        Some(ruling),
        now,
    )
    .await?;
    // The objector hears the ruling too (in the site; the mail goes to the submitter).
    sqlx::query!(
        "INSERT INTO notifications (user_id, event, submission_id, title, reason, created_at)
         SELECT o.objector_id, $2, o.submission_id,
                COALESCE(s.snapshot->>'name', s.snapshot->>'title', ''), $3, $4
         FROM objections o JOIN submissions s ON s.id = o.submission_id
         JOIN users u ON u.id = o.objector_id
         WHERE o.id = $1 AND u.deleted_at IS NULL",
        objection,
        event.code(),
        ruling,
        now
    )
    .execute(&mut *tx)
    .await?;
    // The last open objection dismissed after the window ended: published now rather than
    // at the scheduler's next day.
    if !uphold
        && submission.state == SubmissionState::InNotice
        && submission
            .notice_until
            .is_some_and(|last| last < state.clock.today())
        && !has_open_objection(&mut tx, submission.id).await?
    {
        submission.state.end_notice()?;
        accept(&mut tx, &state.site, &submission, Some(user), now).await?;
    }
    tx.commit().await?;
    state.accounts.mail_queued.notify_one();
    Ok(())
}

async fn has_open_objection(tx: &mut PgConnection, submission: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM objections WHERE submission_id = $1 AND state = 'open')
           AS "open!""#,
        submission
    )
    .fetch_one(&mut *tx)
    .await?)
}

/// Accepts the submissions whose notice ended before `today` (the last day was yesterday
/// or earlier) with no objection open; one with an objection still open waits for the
/// ruling. Returns their ids. The scheduler's `end_notices` step.
pub async fn end_due_notices(
    tx: &mut PgConnection,
    site: &Site,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, AppError> {
    let due = sqlx::query_scalar!(
        "SELECT s.id FROM submissions s
         WHERE s.state = 'in_notice' AND s.notice_until < $1
           AND NOT EXISTS (SELECT 1 FROM objections o
                           WHERE o.submission_id = s.id AND o.state = 'open')
         ORDER BY s.id",
        today
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut accepted = Vec::with_capacity(due.len());
    for id in due {
        // Checked again under the lock: an objection or a ruling may have come in since.
        let submission = lock_submission(tx, id).await?;
        let still_due = submission.state == SubmissionState::InNotice
            && submission.notice_until.is_some_and(|last| last < today)
            && !has_open_objection(tx, id).await?;
        if !still_due {
            continue;
        }
        // One item that cannot be accepted (its record moved on meanwhile) is logged and
        // left; the others are published all the same.
        sqlx::query("SAVEPOINT accept_one")
            .execute(&mut *tx)
            .await?;
        match accept(tx, site, &submission, None, now).await {
            Ok(()) => {
                sqlx::query("RELEASE SAVEPOINT accept_one")
                    .execute(&mut *tx)
                    .await?;
                accepted.push(id);
            }
            Err(error) => {
                tracing::warn!(submission = id, %error, "a submission whose notice ended could not be published");
                sqlx::query("ROLLBACK TO SAVEPOINT accept_one")
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    Ok(accepted)
}
