//! The local first-purchase rule's parameters (docs/domain.md: "the rule is local policy:
//! keep it configurable"): grace days after a catalogue batch lapses, and whether the
//! product's own validity must cover the signing date. A platform admin changes them with
//! a reason; each change is a version in force from the day it is made (Beijing date), so
//! a record is always judged by the parameters of its signing date
//! (`first_purchase_policy_versions`).

use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::Refusal;
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::{check, Action, Caller, Target};
use crate::error::AppError;
use crate::state::AppState;
use chrono::NaiveDate;

/// The longest grace, in days.
pub const MAX_GRACE_DAYS: i32 = 365;

/// Puts new parameters in force from today: `grace_days` (0–365, as typed),
/// `require_product_valid`, with `reason`. A second change on the same day replaces that
/// day's. Every published product is indexed again (its eligibility today may change).
/// Returns the day the version takes effect.
///
/// Errors: [`Refusal::Invalid`] on `batch_grace_days` ([`Problem::OutOfRange`]) and
/// `reason` ([`Problem::ReasonRequired`], [`Problem::TooLong`] past 500 characters);
/// 401/403 for anyone but a platform admin.
pub async fn set_rule(
    state: &AppState,
    caller: &Caller,
    grace_days: &str,
    require_product_valid: bool,
    reason: &str,
) -> Result<NaiveDate, Refusal> {
    check(caller, Action::EditFirstPurchaseRule, &Target::none())?;
    let user = caller
        .signed_in()
        .map(|account| account.user)
        .ok_or(AppError::Unauthorized)?;
    let mut errors = Vec::new();
    let grace = grace_days
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|days| (0..=MAX_GRACE_DAYS).contains(days));
    if grace.is_none() {
        errors.push(FieldError {
            field: "batch_grace_days",
            problem: Problem::OutOfRange {
                min: 0,
                max: MAX_GRACE_DAYS.into(),
            },
        });
    }
    let reason = reason.trim();
    if reason.is_empty() {
        errors.push(FieldError {
            field: "reason",
            problem: Problem::ReasonRequired,
        });
    } else if reason.chars().count() > 500 {
        errors.push(FieldError {
            field: "reason",
            problem: Problem::TooLong,
        });
    }
    let Some(grace) = grace.filter(|_| errors.is_empty()) else {
        return Err(Refusal::Invalid(errors));
    };
    let (now, today) = (state.clock.now(), state.clock.today());
    let mut tx = state.pool.begin().await?;
    let before = sqlx::query!(
        "SELECT batch_grace_days, require_product_valid FROM first_purchase_policy FOR UPDATE"
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO first_purchase_policy_versions (effective_from, batch_grace_days,
             require_product_valid, changed_by, changed_at, reason)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (effective_from) DO UPDATE SET
             batch_grace_days = EXCLUDED.batch_grace_days,
             require_product_valid = EXCLUDED.require_product_valid,
             changed_by = EXCLUDED.changed_by, changed_at = EXCLUDED.changed_at,
             reason = EXCLUDED.reason",
        today,
        grace,
        require_product_valid,
        user.0,
        now,
        reason
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE first_purchase_policy SET batch_grace_days = $1, require_product_valid = $2",
        grace,
        require_product_valid
    )
    .execute(&mut *tx)
    .await?;
    // Lists and search show eligibility today: let the index judge every listed product
    // again under the new parameters.
    sqlx::query!(
        "INSERT INTO search_outbox (subject_kind, subject_id, operation)
         SELECT 'product', id, 'upsert' FROM products WHERE status = 'published'"
    )
    .execute(&mut *tx)
    .await?;
    let change = format!(
        "from {today}: grace {} → {grace} days, product validity counts {} → {}; {reason}",
        before.batch_grace_days, before.require_product_valid, require_product_valid
    );
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "first_purchase_rule",
            subject_id: 1,
            action: "change_rule",
            from_state: None,
            to_state: None,
            reason: Some(&change),
            changed_fields: &["batch_grace_days", "require_product_valid"],
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(today)
}
