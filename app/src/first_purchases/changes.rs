//! What happens to a first-purchase record after it is recorded. Nothing is ever deleted:
//! the buyer's agency corrects it within [`CORRECTION_DAYS`] (each correction audited
//! with the names of the fields it changed) or marks it cancelled later; the supplier
//! disputes it; the buyer's agency answers by correcting or standing by it; a platform
//! admin settles what remains open. The product's first-purchased flag follows the
//! awarded records (the `first_purchases` trigger, which also queues the product for
//! search in the same transaction).

use super::detail::{correction_open, DisputeGround, DisputeState};
use super::eligibility::refusal_on;
use super::record::check_purchase;
use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::Refusal;
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::{check, Action, Caller, Target};
use crate::domain::{OrganisationId, ProductId, PurchaseOutcome, PurchaseRoute, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::submissions::server::notify::{notify_about, Audience, Event};
use sqlx::PgConnection;

fn invalid(field: &'static str, problem: Problem) -> Refusal {
    Refusal::Invalid(vec![FieldError { field, problem }])
}

/// A record's row, locked for a change.
struct Locked {
    product: ProductId,
    product_name: String,
    buyer: OrganisationId,
    supplier: OrganisationId,
    recorded_by: Option<i64>,
    created_at: chrono::DateTime<chrono::Utc>,
    cancelled: bool,
    outcome: PurchaseOutcome,
}

/// Locks record `id` for a change by `caller`, its product's row first (the order
/// recording takes, whose trigger updates the product), so changes and new records of one
/// product queue. Errors: 404 for an unknown id and for a record the caller may not see
/// (the same answer, so a hidden record's existence never shows).
async fn lock(tx: &mut PgConnection, caller: &Caller, id: i64) -> Result<Locked, AppError> {
    let product = sqlx::query_scalar!("SELECT product_id FROM first_purchases WHERE id = $1", id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    sqlx::query!(
        "SELECT id FROM products WHERE id = $1 FOR NO KEY UPDATE",
        product
    )
    .fetch_one(&mut *tx)
    .await?;
    let row = sqlx::query!(
        r#"SELECT f.buyer_organisation_id, f.supplier_organisation_id, f.recorded_by,
                  f.created_at, f.cancelled_at, f.outcome AS "outcome: PurchaseOutcome",
                  p.name AS product_name,
                  record_page_is_public(p.status, s.verified_at) AS "public!"
           FROM first_purchases f JOIN products p ON p.id = f.product_id
           JOIN organisations s ON s.id = p.organisation_id
           WHERE f.id = $1 FOR UPDATE OF f"#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    let (buyer, supplier) = (
        OrganisationId(row.buyer_organisation_id),
        OrganisationId(row.supplier_organisation_id),
    );
    if !super::detail::may_see(caller, row.public, buyer, supplier) {
        return Err(AppError::NotFound);
    }
    Ok(Locked {
        product: ProductId(product),
        product_name: row.product_name,
        buyer,
        supplier,
        recorded_by: row.recorded_by,
        created_at: row.created_at,
        cancelled: row.cancelled_at.is_some(),
        outcome: row.outcome,
    })
}

fn user_of(caller: &Caller) -> Result<UserId, AppError> {
    caller
        .signed_in()
        .map(|account| account.user)
        .ok_or(AppError::Unauthorized)
}

/// Checks `action` on the record's `organisation`; someone with no part in it gets the
/// same 403 as for any refused action (the record itself is public).
fn allowed(caller: &Caller, action: Action, organisation: OrganisationId) -> Result<(), AppError> {
    check(caller, action, &Target::organisation(organisation))
}

/// The page a record's notifications point at.
fn link(id: i64) -> String {
    format!("/first-purchases/{id}")
}

/// Closes the dispute under way, if any, as answered by the agency: a correction answers
/// one still waiting for it (`open`); a cancellation concedes any, also one it stood by
/// and that waits for a platform admin (a later correction does not escape that ruling).
async fn close_dispute_by_correction(
    tx: &mut PgConnection,
    id: i64,
    user: UserId,
    answer: Option<&str>,
    also_stood_by: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE first_purchase_disputes
         SET state = 'corrected', answer = $3, answered_by = $2, answered_at = $4
         WHERE first_purchase_id = $1
           AND (state = 'open' OR ($5 AND state = 'stood_by'))",
        id,
        user.0,
        answer,
        now,
        also_stood_by
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0)
}

/// Corrects record `id` from the posted form (the recording form's fields, with the same
/// checks: eligibility on the signing date, the buyer's own scenario), within
/// [`CORRECTION_DAYS`] of recording. The listing version bought stays. Audited with the
/// names of the fields changed; a dispute under way is closed as corrected; the supplier
/// is told. Returns whether anything changed.
///
/// Errors: 401; 404; 403 unless the caller buys for (or is an admin of) the record's
/// agency; [`Problem::CorrectionClosed`] on `record` after the window or once cancelled;
/// [`Refusal::Invalid`] naming each bad field.
pub async fn correct_purchase(
    state: &AppState,
    caller: &Caller,
    id: i64,
    fields: &[(String, String)],
) -> Result<bool, Refusal> {
    let user = user_of(caller)?;
    let (now, today) = (state.clock.now(), state.clock.today());
    let mut tx = state.pool.begin().await?;
    let record = lock(&mut tx, caller, id).await?;
    allowed(caller, Action::CorrectFirstPurchase, record.buyer)?;
    if record.cancelled || !correction_open(record.created_at, now) {
        return Err(invalid("record", Problem::CorrectionClosed));
    }
    let purchase = check_purchase(fields, today).map_err(Refusal::Invalid)?;
    // Cancelling has its own form, with a public reason and its own audit entry.
    if purchase.outcome == PurchaseOutcome::Cancelled
        && record.outcome != PurchaseOutcome::Cancelled
    {
        return Err(invalid("outcome", Problem::CancelInstead));
    }
    if let Some(why) = refusal_on(&mut tx, record.product, purchase.signed_on, today).await? {
        return Err(invalid("signed_on", Problem::NotEligibleOn(why)));
    }
    let old = sqlx::query!(
        r#"SELECT route AS "route: PurchaseRoute", scenario_id, contract_number, signed_on,
                  amount_fen, quantity, notice_on, notice_url,
                  outcome AS "outcome: PurchaseOutcome"
           FROM first_purchases WHERE id = $1"#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    // A scenario named anew must be the agency's own published one; the one already
    // named stays whatever became of its page.
    if let Some(scenario) = purchase.scenario.filter(|s| old.scenario_id != Some(*s)) {
        let own = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM scenarios WHERE id = $1 AND organisation_id = $2
                              AND status IN ('published', 'expired', 'withdrawn')) AS "own!""#,
            scenario,
            record.buyer.0
        )
        .fetch_one(&mut *tx)
        .await?;
        if !own {
            return Err(invalid("scenario", Problem::InvalidChoice));
        }
    }
    if super::record::is_duplicate(
        &mut tx,
        record.product,
        record.buyer,
        purchase.contract_number.as_deref(),
        Some(id),
    )
    .await?
    {
        return Err(invalid("contract_number", Problem::DuplicateContract));
    }
    let amount = purchase.amount.map(|money| money.fen);
    let mut changed: Vec<&str> = Vec::new();
    let mut differs = |name: &'static str, same: bool| {
        if !same {
            changed.push(name);
        }
    };
    differs("route", old.route == purchase.route);
    differs("scenario", old.scenario_id == purchase.scenario);
    differs(
        "contract_number",
        old.contract_number == purchase.contract_number,
    );
    differs("signed_on", old.signed_on == purchase.signed_on);
    differs("amount", old.amount_fen == amount);
    differs("quantity", old.quantity == purchase.quantity);
    differs("notice_on", old.notice_on == purchase.notice_on);
    differs("notice_url", old.notice_url == purchase.notice_url);
    differs("outcome", old.outcome == purchase.outcome);
    if changed.is_empty() {
        return Ok(false);
    }
    sqlx::query!(
        "UPDATE first_purchases
         SET route = $2, scenario_id = $3, contract_number = $4, signed_on = $5,
             amount_fen = $6, quantity = $7, notice_on = $8, notice_url = $9, outcome = $10,
             corrected_at = $11
         WHERE id = $1",
        id,
        purchase.route as PurchaseRoute,
        purchase.scenario,
        purchase.contract_number,
        purchase.signed_on,
        amount,
        purchase.quantity,
        purchase.notice_on,
        purchase.notice_url,
        purchase.outcome as PurchaseOutcome,
        now
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "first_purchase",
            subject_id: id,
            action: "correct",
            from_state: Some(old.outcome.code()),
            to_state: Some(purchase.outcome.code()),
            reason: None,
            changed_fields: &changed,
            at: now,
        },
    )
    .await?;
    // The answer is the correction itself (listed on the record's page with its fields).
    close_dispute_by_correction(&mut tx, id, user, None, false, now).await?;
    let names = |locale| {
        let labels = super::record_labels(locale);
        changed
            .iter()
            .map(|field| labels.label(field).to_owned())
            .collect::<Vec<_>>()
    };
    let what = format!(
        "{} / {}",
        names(crate::i18n::Locale::ZhCn).join("、"),
        names(crate::i18n::Locale::En).join(", ")
    );
    notify_about(
        &mut tx,
        &state.site,
        record.supplier,
        Audience::Supplier,
        None,
        Event::FirstPurchaseCorrected,
        &record.product_name,
        Some(&what),
        &link(id),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The posted text `field` (required, at most 1,000 characters), or the error naming it.
/// Each form on a record's page has its own name for it (`reason`, `answer`,
/// `settlement`), so two forms on one page never share a field.
fn text_of(fields: &[(String, String)], field: &'static str) -> Result<String, Refusal> {
    let text = fields
        .iter()
        .find(|(name, _)| name == field)
        .map_or("", |(_, value)| value.trim());
    if text.is_empty() {
        return Err(invalid(field, Problem::Required));
    }
    if text.chars().count() > 1000 {
        return Err(invalid(field, Problem::TooLong));
    }
    Ok(text.to_owned())
}

fn reason_of(fields: &[(String, String)]) -> Result<String, Refusal> {
    text_of(fields, "reason")
}

/// Marks record `id` cancelled with the posted `reason`, at any time (its outcome becomes
/// cancelled; nothing is deleted); a dispute under way is closed as corrected; the
/// supplier is told. Errors: 401; 404; 403 as for a correction; `reason` required;
/// 409 when it already is cancelled.
pub async fn cancel_purchase(
    state: &AppState,
    caller: &Caller,
    id: i64,
    fields: &[(String, String)],
) -> Result<(), Refusal> {
    let user = user_of(caller)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let record = lock(&mut tx, caller, id).await?;
    allowed(caller, Action::CorrectFirstPurchase, record.buyer)?;
    let reason = reason_of(fields)?;
    if record.cancelled {
        return Err(AppError::Conflict.into());
    }
    mark_cancelled(&mut tx, id, &record, user, "cancel", &reason, now).await?;
    close_dispute_by_correction(&mut tx, id, user, Some(&reason), true, now).await?;
    notify_about(
        &mut tx,
        &state.site,
        record.supplier,
        Audience::Supplier,
        None,
        Event::FirstPurchaseCancelled,
        &record.product_name,
        Some(&reason),
        &link(id),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn mark_cancelled(
    tx: &mut PgConnection,
    id: i64,
    record: &Locked,
    user: UserId,
    action: &str,
    reason: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE first_purchases
         SET outcome = 'cancelled', cancelled_at = $2, cancel_reason = $3
         WHERE id = $1",
        id,
        now,
        reason
    )
    .execute(&mut *tx)
    .await?;
    let changed: &[&str] = if record.outcome == PurchaseOutcome::Cancelled {
        &[]
    } else {
        &["outcome"]
    };
    audit::record(
        tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "first_purchase",
            subject_id: id,
            action,
            from_state: Some(record.outcome.code()),
            to_state: Some(PurchaseOutcome::Cancelled.code()),
            reason: Some(reason),
            changed_fields: changed,
            at: now,
        },
    )
    .await
}

/// The supplier disputes record `id` with a `ground` (wrong product, wrong amount, never
/// signed) and a `reason`; the buyer's agency is told. Errors: 401; 404; 403 unless the
/// caller acts for the verified supplier; `ground`/`reason` named; 409 when a dispute is
/// already under way or the record is cancelled. Returns the dispute's id.
pub async fn dispute_purchase(
    state: &AppState,
    caller: &Caller,
    id: i64,
    fields: &[(String, String)],
) -> Result<i64, Refusal> {
    let user = user_of(caller)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let record = lock(&mut tx, caller, id).await?;
    allowed(caller, Action::DisputeFirstPurchase, record.supplier)?;
    let ground_code = fields
        .iter()
        .find(|(name, _)| name == "ground")
        .map_or("", |(_, value)| value.as_str());
    let ground = DisputeGround::from_code(ground_code);
    let reason = reason_of(fields);
    let ground = match (ground, reason) {
        (Some(ground), Ok(reason)) => (ground, reason),
        (ground, reason) => {
            let mut errors = Vec::new();
            if ground.is_none() {
                errors.push(FieldError {
                    field: "ground",
                    problem: if ground_code.is_empty() {
                        Problem::Required
                    } else {
                        Problem::InvalidChoice
                    },
                });
            }
            if let Err(Refusal::Invalid(more)) = reason {
                errors.extend(more);
            }
            return Err(Refusal::Invalid(errors));
        }
    };
    let (ground, reason) = ground;
    // One under way at a time; once a platform admin dismissed one, the record stands.
    let under_way = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM first_purchase_disputes
                          WHERE first_purchase_id = $1
                            AND state IN ('open', 'stood_by', 'dismissed')) AS "any!""#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    if record.cancelled || under_way {
        return Err(AppError::Conflict.into());
    }
    let dispute = sqlx::query_scalar!(
        "INSERT INTO first_purchase_disputes (first_purchase_id, ground, reason, raised_by, raised_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        id,
        ground as DisputeGround,
        reason,
        user.0,
        now
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|error| match &error {
        // The one-under-way index: another dispute got there first.
        sqlx::Error::Database(db) if db.is_unique_violation() => AppError::Conflict,
        _ => AppError::from(error),
    })?;
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "first_purchase",
            subject_id: id,
            action: "dispute",
            from_state: None,
            to_state: Some(DisputeState::Open.code()),
            reason: Some(&reason),
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    notify_about(
        &mut tx,
        &state.site,
        record.buyer,
        Audience::Buyer,
        record.recorded_by.map(UserId),
        Event::FirstPurchaseDisputed,
        &record.product_name,
        Some(&reason),
        &link(id),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(dispute)
}

/// The buyer's agency stands by record `id` against the dispute waiting for it, with its
/// `answer`; the dispute waits for a platform admin, who is told, as is the supplier.
/// Errors: 401; 404; 403 as for a correction; `reason` named; 409 when no dispute waits
/// for the agency.
pub async fn stand_by_purchase(
    state: &AppState,
    caller: &Caller,
    id: i64,
    fields: &[(String, String)],
) -> Result<(), Refusal> {
    let user = user_of(caller)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let record = lock(&mut tx, caller, id).await?;
    allowed(caller, Action::CorrectFirstPurchase, record.buyer)?;
    let reason = text_of(fields, "answer")?;
    let answered = sqlx::query!(
        "UPDATE first_purchase_disputes
         SET state = 'stood_by', answer = $3, answered_by = $2, answered_at = $4
         WHERE first_purchase_id = $1 AND state = 'open'",
        id,
        user.0,
        reason,
        now
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if answered == 0 {
        return Err(AppError::Conflict.into());
    }
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "first_purchase",
            subject_id: id,
            action: "stand_by",
            from_state: Some(DisputeState::Open.code()),
            to_state: Some(DisputeState::StoodBy.code()),
            reason: Some(&reason),
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    for (organisation, audience) in [
        (record.supplier, Audience::Supplier),
        (record.supplier, Audience::PlatformAdmins),
    ] {
        notify_about(
            &mut tx,
            &state.site,
            organisation,
            audience,
            None,
            Event::DisputeStoodBy,
            &record.product_name,
            Some(&reason),
            &link(id),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A platform admin settles the dispute under way on record `id`: `decision` `upheld`
/// (the record is marked cancelled with the settlement as its reason) or `dismissed` (it
/// stands), with a `settlement` (its reasons); both sides are told. Errors: 401; 404; 403
/// for anyone but a platform admin; `decision`/`settlement` named; 409 when no dispute is under way.
pub async fn settle_dispute(
    state: &AppState,
    caller: &Caller,
    id: i64,
    fields: &[(String, String)],
) -> Result<(), Refusal> {
    let user = user_of(caller)?;
    let now = state.clock.now();
    check(caller, Action::SettleFirstPurchaseDispute, &Target::none())?;
    let mut tx = state.pool.begin().await?;
    let record = lock(&mut tx, caller, id).await?;
    let upheld = match fields
        .iter()
        .find(|(name, _)| name == "decision")
        .map(|(_, value)| value.as_str())
    {
        Some("upheld") => true,
        Some("dismissed") => false,
        None | Some("") => return Err(invalid("decision", Problem::Required)),
        Some(_) => return Err(invalid("decision", Problem::InvalidChoice)),
    };
    let reason = text_of(fields, "settlement")?;
    let to = if upheld {
        DisputeState::Upheld
    } else {
        DisputeState::Dismissed
    };
    let settled = sqlx::query!(
        "UPDATE first_purchase_disputes
         SET state = $2, settlement = $3, settled_by = $4, settled_at = $5
         WHERE first_purchase_id = $1 AND state IN ('open', 'stood_by')",
        id,
        to as DisputeState,
        reason,
        user.0,
        now
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if settled == 0 {
        return Err(AppError::Conflict.into());
    }
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "first_purchase",
            subject_id: id,
            action: "settle_dispute",
            from_state: None,
            to_state: Some(to.code()),
            reason: Some(&reason),
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    if upheld && !record.cancelled {
        mark_cancelled(&mut tx, id, &record, user, "cancel", &reason, now).await?;
    }
    let event = if upheld {
        Event::DisputeUpheld
    } else {
        Event::DisputeDismissed
    };
    notify_about(
        &mut tx,
        &state.site,
        record.supplier,
        Audience::Supplier,
        None,
        event,
        &record.product_name,
        Some(&reason),
        &link(id),
        now,
    )
    .await?;
    notify_about(
        &mut tx,
        &state.site,
        record.buyer,
        Audience::Buyer,
        record.recorded_by.map(UserId),
        event,
        &record.product_name,
        Some(&reason),
        &link(id),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_correction_window_is_thirty_days() {
        use super::super::detail::CORRECTION_DAYS;
        use super::*;
        let recorded = chrono::DateTime::parse_from_rfc3339("2026-10-01T09:00:00+08:00")
            .unwrap()
            .to_utc();
        let day = chrono::Duration::days(1);
        assert!(correction_open(recorded, recorded + day * 29));
        assert!(correction_open(
            recorded,
            recorded + day * 30 - chrono::Duration::seconds(1)
        ));
        assert!(!correction_open(recorded, recorded + day * 30));
        assert_eq!(CORRECTION_DAYS, 30);
    }
}
