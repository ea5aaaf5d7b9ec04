//! The contract excerpt or award notice of a first-purchase record: files the buyer's
//! agency adds (the workflow's storage and limits: 10 MiB each, 10 per record), public
//! with the record. A file added stays: a wrong one is answered by a correction's note or
//! by cancelling the record, like everything else about it.

use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::Refusal;
use crate::attachments::{Received, MAX_ATTACHMENTS_PER_RECORD};
use crate::auth::{check, Action, Caller, Target};
use crate::domain::OrganisationId;
use crate::error::AppError;
use crate::state::AppState;
use sqlx::PgConnection;

/// Locks record `id` and checks the caller may add its files and that there is room.
/// Returns the buying agency. Errors: 401; 404 (also for a record the caller may not
/// see); 403; [`Problem::TooManyAttachments`].
async fn lock_with_room(
    tx: &mut PgConnection,
    caller: &Caller,
    id: i64,
) -> Result<OrganisationId, Refusal> {
    let row = sqlx::query!(
        r#"SELECT f.buyer_organisation_id, f.supplier_organisation_id,
                  record_page_is_public(p.status, s.verified_at) AS "public!"
           FROM first_purchases f JOIN products p ON p.id = f.product_id
           JOIN organisations s ON s.id = p.organisation_id
           WHERE f.id = $1 FOR UPDATE OF f"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let buyer = OrganisationId(row.buyer_organisation_id);
    // A record the caller may not see is the same 404 as one that does not exist.
    if !super::detail::may_see(
        caller,
        row.public,
        buyer,
        OrganisationId(row.supplier_organisation_id),
    ) {
        return Err(AppError::NotFound.into());
    }
    check(
        caller,
        Action::CorrectFirstPurchase,
        &Target::organisation(buyer),
    )?;
    let count = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM attachments
           WHERE record_kind = 'first_purchase' AND record_id = $1"#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    if count >= MAX_ATTACHMENTS_PER_RECORD as i64 {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "file",
            problem: Problem::TooManyAttachments,
        }]));
    }
    Ok(buyer)
}

/// Whether record `id` may take one more file from `caller`, checked before any byte is
/// read. Errors as [`add_file`].
pub async fn room_for_one_more(state: &AppState, caller: &Caller, id: i64) -> Result<(), Refusal> {
    let mut tx = state.pool.begin().await?;
    lock_with_room(&mut tx, caller, id).await?;
    Ok(())
}

/// Records the stored file `received` (named `original_name`) as a file of record `id`,
/// audited. The record's row lock counts concurrent uploads one after the other.
/// Errors: 401; 404; 403 unless the caller buys for (or administers) the agency;
/// [`Problem::TooManyAttachments`]. On an error the caller removes the stored file.
pub async fn add_file(
    state: &AppState,
    caller: &Caller,
    id: i64,
    received: &Received,
    original_name: &str,
) -> Result<i64, Refusal> {
    let user = caller
        .signed_in()
        .map(|account| account.user)
        .ok_or(AppError::Unauthorized)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let buyer = lock_with_room(&mut tx, caller, id).await?;
    let file = sqlx::query_scalar!(
        "INSERT INTO attachments (record_kind, record_id, organisation_id, storage_key, sha256,
                                  size_bytes, file_kind, original_name, uploaded_by, uploaded_at)
         VALUES ('first_purchase', $1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING id",
        id,
        buyer.0,
        received.key,
        received.sha256_hex,
        received.size_bytes as i64,
        received.kind.code(),
        original_name,
        user.0,
        now
    )
    .fetch_one(&mut *tx)
    .await?;
    crate::audit::record(
        &mut tx,
        crate::audit::AuditEntry {
            actor: crate::audit::Actor::User(user),
            subject_kind: "first_purchase",
            subject_id: id,
            action: "attach",
            from_state: None,
            to_state: None,
            reason: None,
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(file)
}

/// Whether the files of record `id` are public (its product's page is).
pub async fn record_is_public(conn: &mut PgConnection, id: i64) -> Result<bool, AppError> {
    sqlx::query_scalar!(
        r#"SELECT record_page_is_public(p.status, s.verified_at) AS "public!"
           FROM first_purchases f JOIN products p ON p.id = f.product_id
           JOIN organisations s ON s.id = f.supplier_organisation_id
           WHERE f.id = $1"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)
}
