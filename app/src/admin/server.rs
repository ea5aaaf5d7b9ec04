//! What the platform admin's forms do: verify and unverify organisations (through the
//! publication module, so search and every list follow), suspend accounts and lift the
//! suspension, and read the audit log.

use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::{sign_ins, Refusal};
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::{check, Action, Caller, Target};
use crate::domain::credit_code::CreditCode;
use crate::domain::{OrganisationId, UserId};
use crate::error::AppError;
use crate::publication;
use crate::state::AppState;

fn admin(caller: &Caller, action: Action) -> Result<UserId, AppError> {
    check(caller, action, &Target::none())?;
    caller
        .signed_in()
        .map(|account| account.user)
        .ok_or(AppError::Unauthorized)
}

fn reason_required() -> Refusal {
    Refusal::Invalid(vec![FieldError {
        field: "reason",
        problem: Problem::ReasonRequired,
    }])
}

/// Verifies `organisation`. A credit code that fails its check characters is accepted
/// only with a written `reason` (audited with the verification). Errors:
/// [`Refusal::Invalid`] for `reason`; 404; 401/403.
pub async fn verify(
    state: &AppState,
    caller: &Caller,
    organisation: OrganisationId,
    reason: &str,
) -> Result<(), Refusal> {
    let user = admin(caller, Action::VerifyOrganisation)?;
    let code = sqlx::query_scalar!(
        "SELECT credit_code FROM organisations WHERE id = $1",
        organisation.0
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let checksum_ok = CreditCode::parse(&code).is_ok();
    let reason = reason.trim();
    if !checksum_ok && reason.is_empty() {
        return Err(reason_required());
    }
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    publication::verify_organisation(&mut tx, organisation, Some(user), now).await?;
    if !checksum_ok {
        audit::record(
            &mut tx,
            AuditEntry {
                actor: Actor::User(user),
                subject_kind: "organisation",
                subject_id: organisation.0,
                action: "accept_credit_code_failing_checksum",
                from_state: None,
                to_state: None,
                reason: Some(reason),
                changed_fields: &["credit_code"],
                at: now,
            },
        )
        .await?;
    }
    tx.commit().await?;
    state.home_figures.invalidate();
    Ok(())
}

/// Unverifies the organisation registered with `credit_code`, with a written `reason`.
/// Errors: [`Refusal::Invalid`] for `credit_code` (unknown) or `reason`; 401/403.
pub async fn unverify(
    state: &AppState,
    caller: &Caller,
    credit_code: &str,
    reason: &str,
) -> Result<(), Refusal> {
    let user = admin(caller, Action::VerifyOrganisation)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(reason_required());
    }
    let unknown = || {
        Refusal::Invalid(vec![FieldError {
            field: "credit_code",
            problem: Problem::UnknownOrganisation,
        }])
    };
    let code = CreditCode::parse_with_override(credit_code).map_err(|_| unknown())?;
    let organisation = sqlx::query_scalar!(
        "SELECT id FROM organisations WHERE credit_code = $1",
        code.as_str()
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or_else(unknown)?;
    let mut tx = state.pool.begin().await?;
    publication::unverify_organisation(
        &mut tx,
        OrganisationId(organisation),
        Some(user),
        reason,
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    state.home_figures.invalidate();
    Ok(())
}

/// Suspends `account` (it cannot sign in; its sign-ins end at once) with a written
/// `reason`, or lifts the suspension (`suspend = false`). A platform admin cannot suspend
/// their own account. Errors: [`Refusal::Invalid`] for `reason`; 404; 401/403.
pub async fn set_suspended(
    state: &AppState,
    caller: &Caller,
    account: UserId,
    suspend: bool,
    reason: &str,
) -> Result<(), Refusal> {
    let user = admin(caller, Action::SuspendAccount)?;
    let reason = reason.trim();
    if suspend && (reason.is_empty() || user == account) {
        return Err(reason_required());
    }
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let changed = sqlx::query!(
        "UPDATE users SET suspended_at = CASE WHEN $2 THEN $3::timestamptz END
         WHERE id = $1 AND deleted_at IS NULL AND (suspended_at IS NULL) = $2",
        account.0,
        suspend,
        now,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let exists = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND deleted_at IS NULL) AS "exists!""#,
        account.0
    )
    .fetch_one(&mut *tx)
    .await?;
    if !exists {
        return Err(AppError::NotFound.into());
    }
    if changed == 1 {
        if suspend {
            sign_ins::end_all(&mut tx, account, None).await?;
        }
        audit::record(
            &mut tx,
            AuditEntry {
                actor: Actor::User(user),
                subject_kind: "user",
                subject_id: account.0,
                action: if suspend {
                    "suspend"
                } else {
                    "lift_suspension"
                },
                from_state: Some(if suspend { "active" } else { "suspended" }),
                to_state: Some(if suspend { "suspended" } else { "active" }),
                reason: (!reason.is_empty()).then_some(reason),
                changed_fields: &[],
                at: now,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
