//! Drafts: the products, scenarios and projects an organisation is writing, visible to it
//! alone. A draft keeps the form as typed; saving checks only what was filled in.

use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::Refusal;
use crate::auth::{check, Action, Caller, Target};
use crate::calls::types::CallKind;
use crate::domain::{OrganisationId, OrganisationKind, RecordStatus, UserId};
use crate::error::AppError;
use crate::publication::{self, Subject};
use crate::state::AppState;
use crate::submissions::forms::{RecordForm, RecordKind};
use sqlx::PgConnection;

/// A draft's row, locked, once the caller may prepare drafts for its organisation.
pub struct DraftRow {
    pub id: i64,
    pub kind: RecordKind,
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
        kind: RecordKind::from_code(&row.record_kind).ok_or(AppError::Internal)?,
        organisation,
        record_id: row.record_id,
        call_id: row.call_id,
        fields: row.fields,
    })
}

/// Starts an empty draft of `record_kind` (`product`, `scenario` or `project`) for
/// `organisation`. Returns its id.
///
/// Errors: 401; 404 for another kind; 403 when the caller may not prepare drafts for it;
/// [`Refusal::Invalid`] on `organisation` when none is chosen, or when its kind does not
/// write this kind of record ([`Problem::ProjectsFromFirmsOnly`]).
pub async fn create_draft(
    state: &AppState,
    caller: &Caller,
    organisation: Option<OrganisationId>,
    record_kind: &str,
) -> Result<i64, Refusal> {
    let user = user_of(caller)?;
    let kind = RecordKind::from_code(record_kind).ok_or(AppError::NotFound)?;
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
    let organisation_kind = sqlx::query_scalar!(
        r#"SELECT kind AS "kind: OrganisationKind" FROM organisations WHERE id = $1"#,
        organisation.0
    )
    .fetch_one(&state.pool)
    .await?;
    kind.check_author(organisation_kind).map_err(|problem| {
        Refusal::Invalid(vec![FieldError {
            field: "organisation",
            problem,
        }])
    })?;
    let now = state.clock.now();
    let id = sqlx::query_scalar!(
        "INSERT INTO drafts (record_kind, organisation_id, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
        kind.code(),
        organisation.0,
        user.0,
        now
    )
    .fetch_one(&state.pool)
    .await?;
    Ok(id)
}

/// Starts (or finds) the draft that changes published record `subject`: its form holds the
/// published text, and submitting it sends a revision for review (or, for a product given
/// another batch, a listing there) while the published text stays public. Returns the
/// draft's id.
///
/// Errors: 401; 404 when the caller may not prepare drafts for the record's organisation
/// (or it does not exist); [`AppError::Conflict`] when the record is not published;
/// [`Refusal::Invalid`] on `revise` ([`Problem::AlreadySubmitted`]) while a change of it
/// is under review.
pub async fn start_revision(
    state: &AppState,
    caller: &Caller,
    subject: Subject,
) -> Result<i64, Refusal> {
    let user = user_of(caller)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let record = publication::lock_record(&mut tx, subject).await?;
    check(
        caller,
        Action::PrepareDraft,
        &Target::organisation(record.organisation),
    )
    .map_err(|_| AppError::NotFound)?;
    if record.status != RecordStatus::Published {
        return Err(AppError::Conflict.into());
    }
    // One change at a time: the next starts once this one is decided (a returned change
    // has its draft, which the insert below finds).
    let under_way = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM submissions WHERE record_kind = $1 AND record_id = $2
                          AND state IN ('submitted', 'in_review', 'in_notice')) AS "under_way!""#,
        subject.kind(),
        subject.id()
    )
    .fetch_one(&mut *tx)
    .await?;
    if under_way {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "revise",
            problem: Problem::AlreadySubmitted,
        }]));
    }
    // The record's columns are its snapshot's shape.
    let snapshot = match subject {
        Subject::Product(id) => {
            sqlx::query_scalar!(
                r#"SELECT to_jsonb(p) AS "row!" FROM products p WHERE id = $1"#,
                id.0
            )
            .fetch_one(&mut *tx)
            .await?
        }
        Subject::Scenario(id) => {
            sqlx::query_scalar!(
                r#"SELECT to_jsonb(s) AS "row!" FROM scenarios s WHERE id = $1"#,
                id.0
            )
            .fetch_one(&mut *tx)
            .await?
        }
        Subject::Project(id) => {
            sqlx::query_scalar!(
                r#"SELECT to_jsonb(p) AS "row!" FROM projects p WHERE id = $1"#,
                id.0
            )
            .fetch_one(&mut *tx)
            .await?
        }
    };
    let kind = RecordKind::from_code(subject.kind()).ok_or(AppError::Internal)?;
    let fields = RecordForm::from_snapshot(kind, &snapshot).draft_fields();
    let id = sqlx::query_scalar!(
        "INSERT INTO drafts (record_kind, organisation_id, record_id, fields, created_by,
                             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         -- A change begun earlier is picked up where it was left.
         ON CONFLICT (record_kind, record_id) WHERE record_id IS NOT NULL
         DO UPDATE SET updated_at = drafts.updated_at
         RETURNING id",
        kind.code(),
        record.organisation.0,
        subject.id(),
        fields,
        user.0,
        now
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
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
    let form = RecordForm::from_fields(draft.kind, fields);
    form.check(false).map_err(Refusal::Invalid)?;
    let posted_call = posted_call(fields)?;
    if let Some(Some(call)) = posted_call {
        let takes_kind = match draft.kind.call_kind() {
            Some(call_kind) => {
                sqlx::query_scalar!(
                    r#"SELECT EXISTS (SELECT 1 FROM calls WHERE id = $1 AND kind = $2
                                  AND status <> 'draft') AS "takes!""#,
                    call,
                    call_kind as CallKind
                )
                .fetch_one(&mut *tx)
                .await?
            }
            None => false,
        };
        if !takes_kind {
            return Err(Refusal::Invalid(vec![FieldError {
                field: "call",
                problem: Problem::InvalidChoice,
            }]));
        }
    }
    sqlx::query!(
        // The call as chosen (none: an agency's direct scenario, or a product's change
        // staying in its batch); kept when the form has no choice to make.
        "UPDATE drafts SET fields = $2, call_id = CASE WHEN $5 THEN $3 ELSE call_id END,
                           updated_at = $4
         WHERE id = $1",
        draft.id,
        form.draft_fields(),
        posted_call.flatten(),
        now,
        posted_call.is_some()
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The form's `call` field: `None` when the form has none, `Some(None)` when it was left
/// empty. Errors: [`Problem::InvalidChoice`] on `call` for anything but an id.
fn posted_call(fields: &[(String, String)]) -> Result<Option<Option<i64>>, Refusal> {
    let Some((_, value)) = fields.iter().find(|(name, _)| name == "call") else {
        return Ok(None);
    };
    let value = value.trim();
    if value.is_empty() {
        return Ok(Some(None));
    }
    match crate::domain::parse_id(value) {
        Ok(call) => Ok(Some(Some(call))),
        Err(_) => Err(Refusal::Invalid(vec![FieldError {
            field: "call",
            problem: Problem::InvalidChoice,
        }])),
    }
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

/// Gives submission `submission` back to its organisation as an editable draft of the text
/// it submitted (returned for revision, or withdrawn), with the files it brought. A draft
/// of the record begun meanwhile (a change started while this one was reviewed) is kept as
/// it is. Returns the draft's id. Works in the caller's transaction, after the record and
/// the submission were locked.
pub async fn back_to_draft(
    tx: &mut PgConnection,
    submission: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64, AppError> {
    let row = sqlx::query!(
        "SELECT record_kind, snapshot FROM submissions WHERE id = $1",
        submission
    )
    .fetch_one(&mut *tx)
    .await?;
    let kind = RecordKind::from_code(&row.record_kind).ok_or(AppError::Internal)?;
    let fields = RecordForm::from_snapshot(kind, &row.snapshot).draft_fields();
    sqlx::query!(
        "INSERT INTO drafts (record_kind, organisation_id, record_id, call_id, fields,
                             created_by, created_at, updated_at)
         SELECT s.record_kind, s.organisation_id, s.record_id, s.call_id, $2,
                s.submitted_by, $3, $3
         FROM submissions s WHERE s.id = $1
         ON CONFLICT (record_kind, record_id) WHERE record_id IS NOT NULL DO NOTHING",
        submission,
        fields,
        now
    )
    .execute(&mut *tx)
    .await?;
    let draft = sqlx::query_scalar!(
        "SELECT d.id FROM drafts d JOIN submissions s
           ON s.record_kind = d.record_kind AND s.record_id = d.record_id
         WHERE s.id = $1",
        submission
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE attachments SET record_kind = 'draft', record_id = $2
         WHERE record_kind = 'submission' AND record_id = $1",
        submission,
        draft
    )
    .execute(&mut *tx)
    .await?;
    Ok(draft)
}
