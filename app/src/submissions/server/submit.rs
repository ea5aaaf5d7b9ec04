//! Submitting a draft: the record is checked as complete, its call must be open and take
//! the organisation's kind (products into a batch, scenarios into a scenario call or, from
//! an agency, directly; projects at any time), and the record, its revision and the
//! submission are written in one transaction, through the publication module for the
//! record's status.

use super::drafts::{lock_draft, user_of};
use super::records::{insert_record, rewrite_record};
use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::Refusal;
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::{check, Action, Caller, Target};
use crate::calls::types::{CallKind, CallStatus};
use crate::domain::{OrganisationKind, RecordStatus, UserId};
use crate::error::AppError;
use crate::publication::{self, Subject};
use crate::state::AppState;
use crate::submissions::forms::{publishes_scenarios_directly, RecordForm, RecordKind};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

fn invalid(field: &'static str, problem: Problem) -> Refusal {
    Refusal::Invalid(vec![FieldError { field, problem }])
}

/// Submits draft `id` (after saving the posted form into it) for review: a new record into
/// the call chosen in `call` (none for projects, and for an agency's direct scenario); a
/// returned or withdrawn one back into its call; a published one as a revision (no `call`,
/// or its own batch) or, for a product, a listing in a later batch. Returns the
/// submission's id.
///
/// Errors: [`Refusal::Invalid`] naming each incomplete field, `call`
/// ([`Problem::CallNotOpen`], [`Problem::NotEligibleForCall`], [`Problem::Required`],
/// [`Problem::DirectScenarioAgenciesOnly`]), `submit` ([`Problem::OrganisationNotVerified`],
/// [`Problem::AlreadySubmitted`], [`Problem::ProjectsFromFirmsOnly`]); 404.
pub async fn submit_draft(
    state: &AppState,
    caller: &Caller,
    id: i64,
    fields: &[(String, String)],
) -> Result<i64, Refusal> {
    let user = user_of(caller)?;
    let (now, today) = (state.clock.now(), state.clock.today());
    let kind = {
        let mut tx = state.pool.begin().await?;
        lock_draft(&mut tx, caller, id).await?.kind
    };
    // What was typed is saved first, whatever happens to the submission (when it is
    // well-formed; otherwise the check below names every problem, and the page keeps
    // what was typed).
    let form = RecordForm::from_fields(kind, fields);
    if form.check(false).is_ok() {
        super::drafts::save_draft(state, caller, id, fields).await?;
    }
    let mut tx = state.pool.begin().await?;
    let draft = lock_draft(&mut tx, caller, id).await?;
    let organisation = sqlx::query!(
        r#"SELECT kind AS "kind: OrganisationKind", verified_at IS NOT NULL AS "verified!"
           FROM organisations WHERE id = $1"#,
        draft.organisation.0
    )
    .fetch_one(&mut *tx)
    .await?;
    if !organisation.verified {
        return Err(invalid("submit", Problem::OrganisationNotVerified));
    }
    check(
        caller,
        Action::SubmitForReview,
        &Target::organisation(draft.organisation),
    )?;
    kind.check_author(organisation.kind)
        .map_err(|problem| invalid("submit", problem))?;
    let snapshot = form.check_for_submission(today).map_err(Refusal::Invalid)?;

    let existing = match draft.record_id {
        Some(record) => {
            let subject = Subject::from_kind(kind.code(), record).ok_or(AppError::Internal)?;
            let row = publication::lock_record(&mut tx, subject).await?;
            if row.organisation != draft.organisation {
                return Err(AppError::NotFound.into());
            }
            Some((subject, row))
        }
        None => None,
    };
    let published = existing
        .as_ref()
        .is_some_and(|(_, row)| row.status == RecordStatus::Published);
    // A returned submission comes back into its own call, even once that call has closed.
    let returned = match draft.record_id {
        Some(record) => {
            sqlx::query_scalar!(
                "SELECT call_id FROM submissions
                 WHERE record_kind = $1 AND record_id = $2 AND state = 'returned'",
                kind.code(),
                record
            )
            .fetch_optional(&mut *tx)
            .await?
        }
        None => None,
    };
    // Otherwise the call the draft names: saving it above stored the one just chosen.
    let call = match returned {
        Some(call) => call,
        None => draft.call_id,
    };
    // A published product's change is a revision, reviewed in its batch; naming another
    // batch lists it there too. Scenarios and projects are published once.
    let relisting = match (&existing, kind) {
        (Some((_, row)), RecordKind::Product) if published => {
            let listed_in = sqlx::query_scalar!(
                "SELECT call_id FROM product_listings WHERE product_id = $1",
                draft.record_id
            )
            .fetch_all(&mut *tx)
            .await?;
            call.is_some_and(|call| {
                !listed_in.contains(&call) && Some(call) != row.call.map(|c| c.0)
            })
        }
        _ => false,
    };
    let purpose = if published && !relisting {
        "revision"
    } else {
        "listing"
    };
    let review_call = if purpose == "revision" {
        existing
            .as_ref()
            .and_then(|(_, row)| row.call.map(|call| call.0))
    } else if returned.is_some() {
        call
    } else {
        match (kind.call_kind(), call) {
            (None, _) => None,
            (Some(call_kind), Some(call)) => {
                check_call_open(&mut tx, call, call_kind, organisation.kind, today).await?;
                Some(call)
            }
            (Some(CallKind::ScenarioCall), None) => {
                if !publishes_scenarios_directly(organisation.kind) {
                    return Err(invalid("call", Problem::DirectScenarioAgenciesOnly));
                }
                None
            }
            (Some(_), None) => return Err(invalid("call", Problem::Required)),
        }
    };
    let required_reviews = match review_call {
        Some(call) => {
            sqlx::query_scalar!("SELECT required_reviews FROM calls WHERE id = $1", call)
                .fetch_one(&mut *tx)
                .await?
        }
        None => 1,
    };

    let subject = match existing {
        None => insert_record(&mut tx, kind, draft.organisation.0, review_call, &snapshot).await?,
        Some((subject, _)) if !published => {
            rewrite_record(&mut tx, subject, review_call, &snapshot, now).await?;
            subject
        }
        Some((subject, _)) => subject,
    };
    if !published {
        publication::submit(&mut tx, subject, Some(user), now).await?;
    }
    let submission = write_submission(
        &mut tx,
        NewSubmission {
            subject,
            organisation: draft.organisation.0,
            call: review_call,
            purpose,
            snapshot: &snapshot,
            required_reviews,
            user,
            now,
        },
    )
    .await?;
    if published {
        audit::record(
            &mut tx,
            AuditEntry {
                actor: Actor::User(user),
                subject_kind: subject.kind(),
                subject_id: subject.id(),
                action: if relisting {
                    "submit_listing"
                } else {
                    "submit_revision"
                },
                from_state: None,
                to_state: None,
                reason: None,
                changed_fields: &[],
                at: now,
            },
        )
        .await?;
    }
    // The draft's files go with the record (not public until it is); a change to a
    // published record carries them with its submission, frozen for the reviewers and
    // public only once accepted.
    let (files_kind, files_of) = if published {
        ("submission", submission)
    } else {
        (subject.kind(), subject.id())
    };
    sqlx::query!(
        "UPDATE attachments SET record_kind = $2, record_id = $3
         WHERE record_kind = 'draft' AND record_id = $1",
        draft.id,
        files_kind,
        files_of
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM drafts WHERE id = $1", draft.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(submission)
}

/// `call` is a call of `call_kind` taking submissions today from an organisation of
/// `kind`.
async fn check_call_open(
    tx: &mut PgConnection,
    call: i64,
    call_kind: CallKind,
    kind: OrganisationKind,
    today: NaiveDate,
) -> Result<(), Refusal> {
    let row = sqlx::query!(
        r#"SELECT kind AS "kind: CallKind", status AS "status: CallStatus", opens_on, closes_on,
                  eligible_kinds::text[] AS "eligible_kinds!"
           FROM calls WHERE id = $1 FOR SHARE"#,
        call
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| invalid("call", Problem::InvalidChoice))?;
    if row.kind != call_kind {
        return Err(invalid("call", Problem::InvalidChoice));
    }
    if row.status != CallStatus::Open || today < row.opens_on || today > row.closes_on {
        return Err(invalid("call", Problem::CallNotOpen));
    }
    if !row.eligible_kinds.iter().any(|code| code == kind.code()) {
        return Err(invalid("call", Problem::NotEligibleForCall));
    }
    Ok(())
}

struct NewSubmission<'a> {
    subject: Subject,
    organisation: i64,
    call: Option<i64>,
    purpose: &'static str,
    snapshot: &'a serde_json::Value,
    required_reviews: i16,
    user: UserId,
    now: DateTime<Utc>,
}

/// A returned submission comes back as its next round; anything else is a new submission.
/// A record with one under way already is refused ([`Problem::AlreadySubmitted`]).
async fn write_submission(tx: &mut PgConnection, new: NewSubmission<'_>) -> Result<i64, Refusal> {
    let returned = sqlx::query_scalar!(
        "SELECT id FROM submissions
         WHERE record_kind = $1 AND record_id = $2 AND state = 'returned'
         FOR UPDATE",
        new.subject.kind(),
        new.subject.id()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let id = match returned {
        Some(id) => {
            sqlx::query!(
                "UPDATE submissions SET state = 'submitted', round = round + 1, snapshot = $2,
                     call_id = COALESCE($3, call_id), submitted_by = $4, submitted_at = $5,
                     updated_at = $5
                 WHERE id = $1",
                id,
                new.snapshot,
                new.call,
                new.user.0,
                new.now
            )
            .execute(&mut *tx)
            .await?;
            Some(id)
        }
        None => {
            sqlx::query_scalar!(
                "INSERT INTO submissions (record_kind, record_id, organisation_id, call_id,
                     purpose, snapshot, required_reviews, submitted_by, submitted_at, updated_at)
                 VALUES ($9, $1, $2, $3, ($4::text)::submission_purpose, $5, $6, $7, $8, $8)
                 ON CONFLICT DO NOTHING
                 RETURNING id",
                new.subject.id(),
                new.organisation,
                new.call,
                new.purpose,
                new.snapshot,
                new.required_reviews,
                new.user.0,
                new.now,
                new.subject.kind()
            )
            .fetch_optional(&mut *tx)
            .await?
        }
    };
    let id = id.ok_or_else(|| invalid("submit", Problem::AlreadySubmitted))?;
    audit::record(
        tx,
        AuditEntry {
            actor: Actor::User(new.user),
            subject_kind: "submission",
            subject_id: id,
            action: if returned.is_some() {
                "resubmit"
            } else {
                "submit"
            },
            from_state: returned.map(|_| "returned"),
            to_state: Some("submitted"),
            reason: None,
            changed_fields: &[],
            at: new.now,
        },
    )
    .await?;
    Ok(id)
}
