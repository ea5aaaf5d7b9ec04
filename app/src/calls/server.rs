//! What an agency admin's call forms do: create and edit a draft, delete it, announce it,
//! and assign its reviewers. Every function checks [`Action::ManageCall`] on the call's
//! agency through the permission table and writes its audit row in the same transaction.

use super::draft::parse_call;
use super::types::{CallDraft, CallStatus};
use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::Refusal;
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::{check, Action, Caller, Target};
use crate::domain::{CallId, OrganisationId, UserId};
use crate::error::AppError;
use crate::state::AppState;
use sqlx::PgConnection;

fn invalid(field: &'static str, problem: Problem) -> Refusal {
    Refusal::Invalid(vec![FieldError { field, problem }])
}

fn call_target(agency: OrganisationId) -> Target {
    Target {
        call_agency: Some(agency),
        ..Target::none()
    }
}

/// The verified agencies `caller` runs calls for (where they are admin), with names.
///
/// Errors: 401 when nobody is signed in; [`AppError::Unavailable`].
pub async fn managed_agencies(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<(OrganisationId, String)>, AppError> {
    let account = caller.signed_in().ok_or(AppError::Unauthorized)?;
    let ids: Vec<i64> = account
        .memberships
        .iter()
        .map(|membership| membership.organisation)
        .filter(|agency| check(caller, Action::ManageCall, &call_target(*agency)).is_ok())
        .map(|agency| agency.0)
        .collect();
    Ok(sqlx::query!(
        "SELECT id, name FROM organisations WHERE id = ANY($1) ORDER BY name",
        &ids
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|row| (OrganisationId(row.id), row.name))
    .collect())
}

/// The agency running `call` and its status, the row locked, once `caller` may manage it.
/// Someone who may not even see it (a draft of another agency) gets 404.
async fn managed_call(
    tx: &mut PgConnection,
    caller: &Caller,
    call: CallId,
) -> Result<(OrganisationId, CallStatus), AppError> {
    let row = sqlx::query!(
        r#"SELECT organisation_id, status AS "status: CallStatus" FROM calls
           WHERE id = $1 FOR UPDATE"#,
        call.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let agency = OrganisationId(row.organisation_id);
    match check(caller, Action::ManageCall, &call_target(agency)) {
        Ok(()) => Ok((agency, row.status)),
        Err(AppError::Forbidden | AppError::Unauthorized) if row.status == CallStatus::Draft => {
            Err(AppError::NotFound)
        }
        Err(error) => Err(error),
    }
}

fn user_of(caller: &Caller) -> Result<UserId, AppError> {
    caller
        .signed_in()
        .map(|account| account.user)
        .ok_or(AppError::Unauthorized)
}

/// The agency chosen in the form's `organisation` field, if `caller` runs calls for it.
fn chosen_agency(caller: &Caller, fields: &[(String, String)]) -> Result<OrganisationId, Refusal> {
    let chosen = fields
        .iter()
        .find(|(name, _)| name == "organisation")
        .and_then(|(_, value)| value.parse::<i64>().ok())
        .map(OrganisationId);
    let runs_calls = caller.signed_in().is_some_and(|account| {
        account.memberships.iter().any(|membership| {
            check(
                caller,
                Action::ManageCall,
                &call_target(membership.organisation),
            )
            .is_ok()
        })
    });
    if !runs_calls {
        return Err(AppError::Forbidden.into());
    }
    match chosen {
        Some(agency) if check(caller, Action::ManageCall, &call_target(agency)).is_ok() => {
            Ok(agency)
        }
        _ => Err(invalid("organisation", Problem::InvalidChoice)),
    }
}

/// Creates a draft call from the posted form. Returns its id.
///
/// Errors: [`Refusal::Invalid`] naming each field (see [`parse_call`]; `organisation` when
/// the caller does not run calls for the agency chosen; `code` when another call has it);
/// 401; 403 when the caller runs calls for no agency.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    fields: &[(String, String)],
) -> Result<CallId, Refusal> {
    let user = user_of(caller)?;
    let agency = chosen_agency(caller, fields)?;
    let draft = parse_call(fields, agency).map_err(Refusal::Invalid)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO calls (kind, organisation_id, code, title, description, eligibility,
             eligible_kinds, opens_on, closes_on, required_reviews, notice_days, notice_count,
             valid_from, valid_until, status, created_by, created_at, updated_at)
         VALUES (($1::text)::call_kind, $2, $3, $4, $5, $6, ($7::text[])::organisation_kind[],
             $8, $9, $10, $11, ($12::text)::notice_day_count, $13, $14, 'draft', $15, $16, $16)
         ON CONFLICT (code) DO NOTHING
         RETURNING id",
        draft.kind.code(),
        agency.0,
        draft.code,
        draft.title,
        draft.description,
        draft.eligibility,
        &kind_codes(&draft),
        draft.opens_on,
        draft.closes_on,
        draft.required_reviews,
        draft.notice_days,
        draft.notice_count.code(),
        draft.valid_from,
        draft.valid_until,
        user.0,
        now
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| invalid("code", Problem::CallCodeTaken))?;
    write_criteria(&mut tx, CallId(id), &draft).await?;
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "call",
            subject_id: id,
            action: "create",
            from_state: None,
            to_state: Some(CallStatus::Draft.code()),
            reason: None,
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(CallId(id))
}

fn kind_codes(draft: &CallDraft) -> Vec<String> {
    draft
        .eligible_kinds
        .iter()
        .map(|kind| kind.code().to_owned())
        .collect()
}

async fn write_criteria(
    tx: &mut PgConnection,
    call: CallId,
    draft: &CallDraft,
) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM call_criteria WHERE call_id = $1", call.0)
        .execute(&mut *tx)
        .await?;
    for (position, criterion) in draft.criteria.iter().enumerate() {
        sqlx::query!(
            "INSERT INTO call_criteria (call_id, position, title, weight) VALUES ($1, $2, $3, $4)",
            call.0,
            position as i16 + 1,
            criterion.title,
            criterion.weight
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Saves the posted form over draft `call`. Only a draft may be edited this way: once
/// announced, submitters rely on its terms.
///
/// Errors: as [`create`]; [`AppError::Conflict`] when it is no longer a draft; 404 when
/// the caller may not manage it.
pub async fn update(
    state: &AppState,
    caller: &Caller,
    call: CallId,
    fields: &[(String, String)],
) -> Result<(), Refusal> {
    let user = user_of(caller)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let (agency, status) = managed_call(&mut tx, caller, call).await?;
    if status != CallStatus::Draft {
        return Err(AppError::Conflict.into());
    }
    let draft = parse_call(fields, agency).map_err(Refusal::Invalid)?;
    let taken = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM calls WHERE code = $1 AND id <> $2) AS "taken!""#,
        draft.code,
        call.0
    )
    .fetch_one(&mut *tx)
    .await?;
    if taken {
        return Err(invalid("code", Problem::CallCodeTaken));
    }
    sqlx::query!(
        "UPDATE calls SET kind = ($2::text)::call_kind, code = $3, title = $4, description = $5,
             eligibility = $6, eligible_kinds = ($7::text[])::organisation_kind[], opens_on = $8,
             closes_on = $9, required_reviews = $10, notice_days = $11,
             notice_count = ($12::text)::notice_day_count, valid_from = $13, valid_until = $14,
             updated_at = $15
         WHERE id = $1",
        call.0,
        draft.kind.code(),
        draft.code,
        draft.title,
        draft.description,
        draft.eligibility,
        &kind_codes(&draft),
        draft.opens_on,
        draft.closes_on,
        draft.required_reviews,
        draft.notice_days,
        draft.notice_count.code(),
        draft.valid_from,
        draft.valid_until,
        now
    )
    .execute(&mut *tx)
    .await?;
    write_criteria(&mut tx, call, &draft).await?;
    record(&mut tx, user, call, "edit", None, None, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn record(
    tx: &mut PgConnection,
    user: UserId,
    call: CallId,
    action: &str,
    from: Option<CallStatus>,
    to: Option<CallStatus>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), sqlx::Error> {
    audit::record(
        tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "call",
            subject_id: call.0,
            action,
            from_state: from.map(CallStatus::code),
            to_state: to.map(CallStatus::code),
            reason: None,
            changed_fields: &[],
            at: now,
        },
    )
    .await
}

/// Deletes draft `call` with its criteria and reviewers (nothing was ever submitted to a
/// draft). Errors: [`AppError::Conflict`] once announced; 404; 401.
pub async fn delete_draft(state: &AppState, caller: &Caller, call: CallId) -> Result<(), Refusal> {
    let user = user_of(caller)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let (_, status) = managed_call(&mut tx, caller, call).await?;
    if status != CallStatus::Draft {
        return Err(AppError::Conflict.into());
    }
    sqlx::query!("DELETE FROM call_criteria WHERE call_id = $1", call.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM call_reviewers WHERE call_id = $1", call.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM calls WHERE id = $1", call.0)
        .execute(&mut *tx)
        .await?;
    record(&mut tx, user, call, "delete", Some(status), None, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Announces draft `call`: it becomes public, and opens on its opening date (at once when
/// that is today or past). It needs its required number of reviewers, one of them the
/// lead, and a closing date not yet passed (deployment time zone).
///
/// Errors: [`Refusal::Invalid`] on `reviewers` ([`Problem::NeedsReviewers`]) or
/// `closes_on` ([`Problem::DateInPast`]); [`AppError::Conflict`] when not a draft; 404; 401.
pub async fn announce(
    state: &AppState,
    caller: &Caller,
    call: CallId,
) -> Result<CallStatus, Refusal> {
    let user = user_of(caller)?;
    let (now, today) = (state.clock.now(), state.clock.today());
    let mut tx = state.pool.begin().await?;
    let (_, status) = managed_call(&mut tx, caller, call).await?;
    if status != CallStatus::Draft {
        return Err(AppError::Conflict.into());
    }
    let row = sqlx::query!(
        r#"SELECT c.opens_on, c.closes_on, c.required_reviews,
                  (SELECT count(*) FROM call_reviewers r WHERE r.call_id = c.id) AS "reviewers!",
                  EXISTS (SELECT 1 FROM call_reviewers r WHERE r.call_id = c.id AND r.is_lead)
                      AS "has_lead!"
           FROM calls c WHERE c.id = $1"#,
        call.0
    )
    .fetch_one(&mut *tx)
    .await?;
    if row.reviewers < i64::from(row.required_reviews) || !row.has_lead {
        return Err(invalid(
            "reviewers",
            Problem::NeedsReviewers {
                required: row.required_reviews.into(),
            },
        ));
    }
    if row.closes_on < today {
        return Err(invalid("closes_on", Problem::DateInPast));
    }
    let to = if row.opens_on <= today {
        CallStatus::Open
    } else {
        CallStatus::Scheduled
    };
    sqlx::query!(
        "UPDATE calls SET status = ($2::text)::call_status, announced_at = $3, updated_at = $3
         WHERE id = $1",
        call.0,
        to.code(),
        now
    )
    .execute(&mut *tx)
    .await?;
    record(&mut tx, user, call, "announce", Some(status), Some(to), now).await?;
    tx.commit().await?;
    Ok(to)
}

/// Assigns the account with `email` as a reviewer of `call` (the lead when `lead`, which
/// takes the lead from whoever had it). A reviewer is a confirmed account of a verified
/// organisation, or a platform reviewer; never a suspended or deleted one.
///
/// Errors: [`Refusal::Invalid`] on `email` ([`Problem::UnknownReviewer`],
/// [`Problem::AlreadyReviewer`]); 404; 401. A finished call's reviewers can still be
/// changed: they review the changes to what it published.
pub async fn add_reviewer(
    state: &AppState,
    caller: &Caller,
    call: CallId,
    email: &str,
    lead: bool,
) -> Result<(), Refusal> {
    let user = user_of(caller)?;
    let email = email.trim();
    if email.is_empty() {
        return Err(invalid("email", Problem::Required));
    }
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    // A finished call still reviews the changes to what it published: its reviewers can
    // be changed as long as it has any.
    managed_call(&mut tx, caller, call).await?;
    let reviewer = sqlx::query_scalar!(
        "SELECT u.id FROM users u
         WHERE lower(u.email) = lower($1) AND u.deleted_at IS NULL AND u.suspended_at IS NULL
           AND (u.email_confirmed_at IS NOT NULL OR u.mobile_confirmed_at IS NOT NULL)
           AND (EXISTS (SELECT 1 FROM memberships m JOIN organisations o ON o.id = m.organisation_id
                        WHERE m.user_id = u.id AND o.verified_at IS NOT NULL)
                OR EXISTS (SELECT 1 FROM platform_roles p
                           WHERE p.user_id = u.id AND p.role = 'reviewer'))",
        email
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| invalid("email", Problem::UnknownReviewer))?;
    if lead {
        sqlx::query!(
            "UPDATE call_reviewers SET is_lead = false WHERE call_id = $1 AND is_lead",
            call.0
        )
        .execute(&mut *tx)
        .await?;
    }
    let added = sqlx::query!(
        "INSERT INTO call_reviewers (call_id, user_id, is_lead) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
        call.0,
        reviewer,
        lead
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if added == 0 {
        return Err(invalid("email", Problem::AlreadyReviewer));
    }
    let reason = format!("user {reviewer}{}", if lead { " (lead)" } else { "" });
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "call",
            subject_id: call.0,
            action: "assign_reviewer",
            from_state: None,
            to_state: None,
            reason: Some(&reason),
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What an agency admin does to one assigned reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewerChange {
    /// Make them the lead (the previous lead stays a reviewer).
    MakeLead,
    /// Take them off the call.
    Remove,
}

/// Changes reviewer `reviewer` of `call`. Once the call is announced, the lead and the
/// reviewers it needs cannot be removed (assign another first).
///
/// Errors: 404 when they are not assigned or the caller may not manage the call;
/// [`Refusal::Invalid`] on `reviewers` ([`Problem::NeedsReviewers`]); 401.
pub async fn change_reviewer(
    state: &AppState,
    caller: &Caller,
    call: CallId,
    reviewer: UserId,
    change: ReviewerChange,
) -> Result<(), Refusal> {
    let user = user_of(caller)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let (_, status) = managed_call(&mut tx, caller, call).await?;
    if change == ReviewerChange::Remove && status != CallStatus::Draft {
        // Once announced, submissions rely on enough reviewers and a lead: another must
        // be assigned (or made lead) first.
        let row = sqlx::query!(
            r#"SELECT c.required_reviews,
                      (SELECT count(*) FROM call_reviewers r WHERE r.call_id = c.id) AS "reviewers!",
                      EXISTS (SELECT 1 FROM call_reviewers r WHERE r.call_id = c.id
                              AND r.user_id = $2 AND r.is_lead) AS "is_lead!"
               FROM calls c WHERE c.id = $1"#,
            call.0,
            reviewer.0
        )
        .fetch_one(&mut *tx)
        .await?;
        if row.is_lead || row.reviewers - 1 < i64::from(row.required_reviews) {
            return Err(invalid(
                "reviewers",
                Problem::NeedsReviewers {
                    required: row.required_reviews.into(),
                },
            ));
        }
    }
    let changed = match change {
        ReviewerChange::MakeLead => {
            sqlx::query!(
                "UPDATE call_reviewers SET is_lead = false WHERE call_id = $1 AND is_lead",
                call.0
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                "UPDATE call_reviewers SET is_lead = true WHERE call_id = $1 AND user_id = $2",
                call.0,
                reviewer.0
            )
            .execute(&mut *tx)
            .await?
        }
        ReviewerChange::Remove => {
            sqlx::query!(
                "DELETE FROM call_reviewers WHERE call_id = $1 AND user_id = $2",
                call.0,
                reviewer.0
            )
            .execute(&mut *tx)
            .await?
        }
    }
    .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound.into());
    }
    let action = match change {
        ReviewerChange::MakeLead => "make_lead_reviewer",
        ReviewerChange::Remove => "remove_reviewer",
    };
    let reason = format!("user {}", reviewer.0);
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "call",
            subject_id: call.0,
            action,
            from_state: None,
            to_state: None,
            reason: Some(&reason),
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
