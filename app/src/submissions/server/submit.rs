//! Submitting a draft: the product is checked as a listing, its batch must be open and take
//! the organisation's kind, and the record, its revision and the submission are written in
//! one transaction, through the publication module for the record's status.

use super::drafts::{chosen_call, lock_draft, user_of};
use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::Refusal;
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::{check, Action, Caller, Target};
use crate::calls::types::{CallKind, CallStatus};
use crate::domain::{OrganisationKind, ProductId, RecordStatus, UserId};
use crate::error::AppError;
use crate::publication::{self, Subject};
use crate::state::AppState;
use crate::submissions::product_fields::{Product, ProductForm};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

fn invalid(field: &'static str, problem: Problem) -> Refusal {
    Refusal::Invalid(vec![FieldError { field, problem }])
}

/// Submits draft `id` (after saving the posted form into it) for review: a new product
/// into the batch chosen in `call`; a returned or withdrawn one back into its batch; a
/// published one as a revision (no `call`, or its own batch) or a listing in a later
/// batch. Returns the submission's id.
///
/// Errors: [`Refusal::Invalid`] naming each incomplete field, `call`
/// ([`Problem::CallNotOpen`], [`Problem::NotEligibleForCall`], [`Problem::Required`]),
/// `submit` ([`Problem::OrganisationNotVerified`], [`Problem::AlreadySubmitted`]); 404.
pub async fn submit_draft(
    state: &AppState,
    caller: &Caller,
    id: i64,
    fields: &[(String, String)],
) -> Result<i64, Refusal> {
    let user = user_of(caller)?;
    // What was typed is saved first, whatever happens to the submission (when it is
    // well-formed; otherwise the check below names every problem, and the page keeps
    // what was typed).
    if ProductForm::from_fields(fields).check(false).is_ok() {
        super::drafts::save_draft(state, caller, id, fields).await?;
    }
    let (now, today) = (state.clock.now(), state.clock.today());
    let mut tx = state.pool.begin().await?;
    let draft = lock_draft(&mut tx, caller, id).await?;
    let form = ProductForm::from_fields(fields);
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
    let product = form.check(true).map_err(Refusal::Invalid)?;
    if product.valid_until.is_some_and(|until| until < today) {
        return Err(invalid("valid_until", Problem::DateInPast));
    }
    // A returned submission comes back into its own call, even once that call has closed.
    let returned = match draft.record_id {
        Some(record) => {
            sqlx::query_scalar!(
                "SELECT call_id FROM submissions
             WHERE record_kind = 'product' AND record_id = $1 AND state = 'returned'",
                record
            )
            .fetch_optional(&mut *tx)
            .await?
        }
        None => None,
    };
    let call = match returned {
        Some(call) => call,
        None => chosen_call(fields).or(draft.call_id),
    };

    let existing = match draft.record_id {
        Some(record) => Some(
            sqlx::query!(
                r#"SELECT status AS "status: RecordStatus", call_id FROM products
                   WHERE id = $1 AND organisation_id = $2 FOR UPDATE"#,
                record,
                draft.organisation.0
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let published = existing
        .as_ref()
        .is_some_and(|row| row.status == RecordStatus::Published);
    // A published product's change is a revision, reviewed in its batch; naming another
    // batch lists it there too.
    let listed_in = match (draft.record_id, published) {
        (Some(record), true) => {
            sqlx::query_scalar!(
                "SELECT call_id FROM product_listings WHERE product_id = $1",
                record
            )
            .fetch_all(&mut *tx)
            .await?
        }
        _ => Vec::new(),
    };
    let relisting = published && call.is_some_and(|call| !listed_in.contains(&call));
    let purpose = if published && !relisting {
        "revision"
    } else {
        "listing"
    };
    let review_call = if purpose == "revision" {
        existing.as_ref().and_then(|row| row.call_id)
    } else if returned.is_some() {
        call
    } else {
        let Some(call) = call else {
            return Err(invalid("call", Problem::Required));
        };
        check_call_open(&mut tx, call, organisation.kind, today).await?;
        Some(call)
    };
    let required_reviews = match review_call {
        Some(call) => {
            sqlx::query_scalar!("SELECT required_reviews FROM calls WHERE id = $1", call)
                .fetch_one(&mut *tx)
                .await?
        }
        None => 1,
    };

    let snapshot = product.snapshot();
    let record = match (draft.record_id, published) {
        (None, _) => insert_product(&mut tx, draft.organisation.0, review_call, &product).await?,
        (Some(record), false) => {
            rewrite_product(&mut tx, record, review_call, &product, now).await?;
            record
        }
        (Some(record), true) => record,
    };
    if !published {
        publication::submit(
            &mut tx,
            Subject::Product(ProductId(record)),
            Some(user),
            now,
        )
        .await?;
    }
    let submission = write_submission(
        &mut tx,
        NewSubmission {
            record,
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
                subject_kind: "product",
                subject_id: record,
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
    if !published {
        // The draft's files go with the record (not public until it is).
        sqlx::query!(
            "UPDATE attachments SET record_kind = 'product', record_id = $2
             WHERE record_kind = 'draft' AND record_id = $1",
            draft.id,
            record
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!("DELETE FROM drafts WHERE id = $1", draft.id)
            .execute(&mut *tx)
            .await?;
    }
    // A published record's change keeps its draft, with its files, until it is accepted:
    // the public page must not serve files nobody reviewed.
    tx.commit().await?;
    Ok(submission)
}

/// The batch `call` takes submissions today from an organisation of `kind`.
async fn check_call_open(
    tx: &mut PgConnection,
    call: i64,
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
    if row.kind != CallKind::ProductBatch {
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

async fn insert_product(
    tx: &mut PgConnection,
    organisation: i64,
    call: Option<i64>,
    product: &Product,
) -> Result<i64, AppError> {
    let id = sqlx::query_scalar!(
        "INSERT INTO products (organisation_id, call_id, status, name, procurement_code,
             procurement_name, industry, description, specifications, price_min_fen,
             price_max_fen, price_unit, certifications, patents, is_medical,
             registration_certificate, insurance_status, valid_until)
         SELECT $1, $2, 'draft', r.name, r.procurement_code, r.procurement_name, r.industry,
             r.description, r.specifications, r.price_min_fen, r.price_max_fen, r.price_unit,
             r.certifications, r.patents, r.is_medical, r.registration_certificate,
             r.insurance_status, r.valid_until
         FROM jsonb_populate_record(NULL::products, $3) AS r
         RETURNING id",
        organisation,
        call,
        product.snapshot()
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO product_revisions (product_id, revision, snapshot) VALUES ($1, 1, $2)",
        id,
        product.snapshot()
    )
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

/// A product never published (returned, or withdrawn back to a draft) takes the fixed
/// text as its next revision.
async fn rewrite_product(
    tx: &mut PgConnection,
    id: i64,
    call: Option<i64>,
    product: &Product,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let revision = sqlx::query_scalar!(
        "UPDATE products AS p
         SET name = r.name, procurement_code = r.procurement_code,
             procurement_name = r.procurement_name, industry = r.industry,
             description = r.description, specifications = r.specifications,
             price_min_fen = r.price_min_fen, price_max_fen = r.price_max_fen,
             price_unit = r.price_unit, certifications = r.certifications, patents = r.patents,
             is_medical = r.is_medical, registration_certificate = r.registration_certificate,
             insurance_status = r.insurance_status, valid_until = r.valid_until,
             call_id = COALESCE($2, p.call_id), revision = p.revision + 1, updated_at = $4
         FROM jsonb_populate_record(NULL::products, $3) AS r
         WHERE p.id = $1
         RETURNING p.revision",
        id,
        call,
        product.snapshot(),
        now
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO product_revisions (product_id, revision, snapshot) VALUES ($1, $2, $3)",
        id,
        revision,
        product.snapshot()
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

struct NewSubmission<'a> {
    record: i64,
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
         WHERE record_kind = 'product' AND record_id = $1 AND state = 'returned'
         FOR UPDATE",
        new.record
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
                 VALUES ('product', $1, $2, $3, ($4::text)::submission_purpose, $5, $6, $7, $8, $8)
                 ON CONFLICT DO NOTHING
                 RETURNING id",
                new.record,
                new.organisation,
                new.call,
                new.purpose,
                new.snapshot,
                new.required_reviews,
                new.user.0,
                new.now
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
