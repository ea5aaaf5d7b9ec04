//! Drafts: what an organisation is writing, visible to it alone. A draft keeps the form
//! as typed; saving checks only what was filled in.

use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::Refusal;
use crate::auth::{check, Action, Caller, Target};
use crate::domain::{OrganisationId, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::submissions::product_fields::ProductForm;
use sqlx::PgConnection;

/// A draft's row, locked, once the caller may prepare drafts for its organisation.
pub struct DraftRow {
    pub id: i64,
    pub record_kind: String,
    pub organisation: OrganisationId,
    pub record_id: Option<i64>,
    pub call_id: Option<i64>,
    pub fields: serde_json::Value,
}

pub fn user_of(caller: &Caller) -> Result<UserId, AppError> {
    caller
        .signed_in()
        .map(|account| account.user)
        .ok_or(AppError::Unauthorized)
}

/// Locks draft `id` for `caller`. A draft is its organisation's alone: anyone else gets
/// 404, as for a draft that does not exist.
pub async fn lock_draft(
    tx: &mut PgConnection,
    caller: &Caller,
    id: i64,
) -> Result<DraftRow, AppError> {
    user_of(caller)?;
    let row = sqlx::query!(
        "SELECT record_kind, organisation_id, record_id, call_id, fields FROM drafts
         WHERE id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let organisation = OrganisationId(row.organisation_id);
    check(
        caller,
        Action::PrepareDraft,
        &Target::organisation(organisation),
    )
    .map_err(|_| AppError::NotFound)?;
    Ok(DraftRow {
        id,
        record_kind: row.record_kind,
        organisation,
        record_id: row.record_id,
        call_id: row.call_id,
        fields: row.fields,
    })
}

/// Starts an empty draft of a `record_kind` (`product`) for `organisation`. Returns its id.
///
/// Errors: 401; 403 when the caller may not prepare drafts for it; [`Refusal::Invalid`]
/// on `organisation` when none is chosen.
pub async fn create_draft(
    state: &AppState,
    caller: &Caller,
    organisation: Option<OrganisationId>,
    record_kind: &str,
) -> Result<i64, Refusal> {
    let user = user_of(caller)?;
    if record_kind != "product" {
        return Err(AppError::NotFound.into());
    }
    let Some(organisation) = organisation else {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "organisation",
            problem: Problem::InvalidChoice,
        }]));
    };
    check(
        caller,
        Action::PrepareDraft,
        &Target::organisation(organisation),
    )?;
    let now = state.clock.now();
    let id = sqlx::query_scalar!(
        "INSERT INTO drafts (record_kind, organisation_id, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
        record_kind,
        organisation.0,
        user.0,
        now
    )
    .fetch_one(&state.pool)
    .await?;
    Ok(id)
}

/// Saves the posted form over draft `id`: what was filled in must be well-formed, nothing
/// else is required yet. Errors: [`Refusal::Invalid`] naming each field; 404.
pub async fn save_draft(
    state: &AppState,
    caller: &Caller,
    id: i64,
    fields: &[(String, String)],
) -> Result<(), Refusal> {
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let draft = lock_draft(&mut tx, caller, id).await?;
    let form = ProductForm::from_fields(fields);
    form.check(false).map_err(Refusal::Invalid)?;
    let call = chosen_call(fields);
    if let Some(call) = call {
        let batch = sqlx::query_scalar!(
            "SELECT EXISTS (SELECT 1 FROM calls WHERE id = $1 AND kind = 'product_batch'
                            AND status <> 'draft') AS \"batch!\"",
            call
        )
        .fetch_one(&mut *tx)
        .await?;
        if !batch {
            return Err(Refusal::Invalid(vec![FieldError {
                field: "call",
                problem: Problem::InvalidChoice,
            }]));
        }
    }
    sqlx::query!(
        "UPDATE drafts SET fields = $2, call_id = COALESCE($3, call_id), updated_at = $4
         WHERE id = $1",
        draft.id,
        serde_json::to_value(&form).map_err(|_| AppError::Internal)?,
        call,
        now
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The batch chosen in the form's `call` field, if any.
pub(crate) fn chosen_call(fields: &[(String, String)]) -> Option<i64> {
    fields
        .iter()
        .find(|(name, _)| name == "call")
        .and_then(|(_, value)| value.parse().ok())
}

/// Deletes draft `id` and its attachments' rows (their files are removed by the caller
/// after the commit). Returns the storage keys to remove. Errors: 404.
pub async fn delete_draft(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<Vec<String>, Refusal> {
    let mut tx = state.pool.begin().await?;
    let draft = lock_draft(&mut tx, caller, id).await?;
    let keys = sqlx::query_scalar!(
        "DELETE FROM attachments WHERE record_kind = 'draft' AND record_id = $1
         RETURNING storage_key",
        draft.id
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM drafts WHERE id = $1", draft.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(keys)
}
