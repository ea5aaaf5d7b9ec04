//! Attachments of drafts and records in the database: room for one more, recording one,
//! removing one, and who may download one. The files themselves are in
//! `crate::attachments::AttachmentStore`; these rows name them.

use super::drafts::lock_draft;
use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::Refusal;
use crate::attachments::{AttachmentKind, Received, MAX_ATTACHMENTS_PER_RECORD};
use crate::auth::{check, Action, Caller, Target};
use crate::domain::RecordStatus;
use crate::error::AppError;
use crate::state::AppState;
use crate::submissions::pages::AttachmentLine;
use sqlx::PgConnection;

fn too_many() -> Refusal {
    Refusal::Invalid(vec![FieldError {
        field: "file",
        problem: Problem::TooManyAttachments,
    }])
}

/// The files of draft `draft` and of the record it changes, if any: together at most
/// [`MAX_ATTACHMENTS_PER_RECORD`].
async fn count(tx: &mut PgConnection, draft: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM attachments a
           WHERE (a.record_kind = 'draft' AND a.record_id = $1)
              OR EXISTS (SELECT 1 FROM drafts d WHERE d.id = $1 AND d.record_id IS NOT NULL
                         AND a.record_kind = d.record_kind AND a.record_id = d.record_id)"#,
        draft
    )
    .fetch_one(&mut *tx)
    .await?)
}

/// Whether draft `draft` may take one more file, checked before any byte is read.
/// Errors: 404 when it is not the caller's organisation's; [`Problem::TooManyAttachments`].
pub async fn room_for_one_more(
    state: &AppState,
    caller: &Caller,
    draft: i64,
) -> Result<(), Refusal> {
    let mut tx = state.pool.begin().await?;
    lock_draft(&mut tx, caller, draft).await?;
    if count(&mut tx, draft).await? >= MAX_ATTACHMENTS_PER_RECORD as i64 {
        return Err(too_many());
    }
    Ok(())
}

/// Records the stored file `received` as an attachment of draft `draft`, named
/// `original_name` (for display and download). The draft's row lock makes concurrent
/// uploads count one after the other, so a draft never holds more than 10.
///
/// Errors: 404; [`Problem::TooManyAttachments`]. On an error the caller removes the file.
pub async fn add_to_draft(
    state: &AppState,
    caller: &Caller,
    draft: i64,
    received: &Received,
    original_name: &str,
) -> Result<i64, Refusal> {
    let user = super::drafts::user_of(caller)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let row = lock_draft(&mut tx, caller, draft).await?;
    if count(&mut tx, draft).await? >= MAX_ATTACHMENTS_PER_RECORD as i64 {
        return Err(too_many());
    }
    let id = sqlx::query_scalar!(
        "INSERT INTO attachments (record_kind, record_id, organisation_id, storage_key, sha256,
                                  size_bytes, file_kind, original_name, uploaded_by, uploaded_at)
         VALUES ('draft', $1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING id",
        draft,
        row.organisation.0,
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
    tx.commit().await?;
    Ok(id)
}

/// Removes attachment `id` from its draft. Returns the draft's id and the storage key of
/// the file, for the caller to delete after the commit. Files of a submitted record stay
/// with its submission. Errors: 404; [`AppError::Conflict`] for a submitted record's file.
pub async fn remove_from_draft(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<(i64, String), Refusal> {
    super::drafts::user_of(caller)?;
    let mut tx = state.pool.begin().await?;
    let row = sqlx::query!(
        "SELECT record_kind, record_id, storage_key FROM attachments WHERE id = $1",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let draft = if row.record_kind == "draft" {
        lock_draft(&mut tx, caller, row.record_id).await?.id
    } else {
        // A record's file, removed from the draft that changes it: only while the record
        // was never published (returned, or withdrawn back to a draft). A published
        // record's files change with an accepted revision.
        let subject = crate::publication::Subject::from_kind(&row.record_kind, row.record_id)
            .ok_or(AppError::NotFound)?;
        let record = crate::publication::lock_record(&mut tx, subject).await?;
        check(
            caller,
            Action::PrepareDraft,
            &Target::organisation(record.organisation),
        )
        .map_err(|_| AppError::NotFound)?;
        let draft = sqlx::query_scalar!(
            "SELECT id FROM drafts WHERE record_kind = $1 AND record_id = $2",
            row.record_kind,
            row.record_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        match (record.status, draft) {
            (RecordStatus::Draft | RecordStatus::Returned, Some(draft)) => draft,
            _ => return Err(AppError::Conflict.into()),
        }
    };
    sqlx::query!("DELETE FROM attachments WHERE id = $1", id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((draft, row.storage_key))
}

/// The attachments of `record_kind` (`draft`, `product`…) `record_id`, oldest first. The
/// caller has checked the reader may see the record.
pub async fn list(
    pool: &sqlx::PgPool,
    record_kind: &str,
    record_id: i64,
) -> Result<Vec<AttachmentLine>, sqlx::Error> {
    Ok(sqlx::query!(
        "SELECT id, original_name, file_kind, size_bytes FROM attachments
         WHERE record_kind = $1 AND record_id = $2 ORDER BY id",
        record_kind,
        record_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| AttachmentLine {
        id: row.id,
        name: row.original_name,
        kind: row.file_kind,
        size: row.size_bytes,
    })
    .collect())
}

/// What a download needs: the file's key, kind and name, and whether it may be shown in
/// the browser (an image of a public record) rather than only downloaded.
pub struct Downloadable {
    pub key: String,
    pub kind: AttachmentKind,
    pub name: String,
    pub inline: bool,
    /// Anyone may read it (a public record's file): it may be cached.
    pub public: bool,
}

/// Attachment `id` if `caller` may download it: a draft's files its organisation only; a
/// record's files whoever may see the record ("Who sees what": anyone once its page is
/// public; else its organisation, its call's reviewers and agency admins, platform admins).
/// Everyone else gets 404, as for a file that does not exist.
pub async fn downloadable(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<Downloadable, AppError> {
    let row = sqlx::query!(
        "SELECT record_kind, record_id, organisation_id, storage_key, file_kind, original_name
         FROM attachments WHERE id = $1",
        id
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let kind = AttachmentKind::from_code(&row.file_kind).ok_or(AppError::Internal)?;
    let public = match row.record_kind.as_str() {
        "draft" => {
            let organisation = crate::domain::OrganisationId(row.organisation_id);
            check(
                caller,
                Action::PrepareDraft,
                &Target::organisation(organisation),
            )
            .map_err(|_| AppError::NotFound)?;
            false
        }
        // A change to a published record under review: its reviewers, the call's agency and
        // the organisation see the files it brings; nobody else before it is accepted.
        "submission" => {
            let mut conn = state.pool.acquire().await?;
            let target = super::target::read_submission(&mut conn, row.record_id)
                .await?
                .target;
            check(caller, Action::ViewUnpublished, &target).map_err(|_| AppError::NotFound)?;
            false
        }
        // A first-purchase record's files: whoever sees the record.
        "first_purchase" => {
            crate::first_purchases::detail::load(state, caller, row.record_id).await?;
            let mut conn = state.pool.acquire().await?;
            crate::first_purchases::files::record_is_public(&mut conn, row.record_id).await?
        }
        kind => {
            let subject = crate::publication::Subject::from_kind(kind, row.record_id)
                .ok_or(AppError::NotFound)?;
            let mut conn = state.pool.acquire().await?;
            let (public, status) = page_visibility(&mut conn, subject).await?;
            if !public {
                // Its submission's reviewers and agency see it while it is under selection
                // (or was rejected); a record back to a draft is its organisation's alone.
                let submission = if status == RecordStatus::Draft {
                    None
                } else {
                    sqlx::query_scalar!(
                        "SELECT id FROM submissions
                         WHERE record_kind = $1 AND record_id = $2
                           AND state IN ('submitted', 'in_review', 'returned', 'rejected',
                                         'in_notice')
                         ORDER BY id DESC LIMIT 1",
                        kind,
                        row.record_id
                    )
                    .fetch_optional(&mut *conn)
                    .await?
                };
                let target = match submission {
                    Some(submission) => {
                        super::target::read_submission(&mut conn, submission)
                            .await?
                            .target
                    }
                    None => {
                        Target::organisation(crate::domain::OrganisationId(row.organisation_id))
                    }
                };
                check(caller, Action::ViewUnpublished, &target).map_err(|_| AppError::NotFound)?;
            }
            public
        }
    };
    Ok(Downloadable {
        key: row.storage_key,
        kind,
        name: row.original_name,
        inline: public && kind.is_image(),
        public,
    })
}

/// Whether the record's page is public (`record_page_is_public`: published, in notice,
/// expired or withdrawn, of a verified organisation), and its status.
async fn page_visibility(
    conn: &mut sqlx::PgConnection,
    subject: crate::publication::Subject,
) -> Result<(bool, RecordStatus), AppError> {
    use crate::publication::Subject;
    let row = match subject {
        Subject::Product(id) => sqlx::query!(
            r#"SELECT record_page_is_public(p.status, o.verified_at) AS "public!",
                      p.status AS "status: RecordStatus"
               FROM products p JOIN organisations o ON o.id = p.organisation_id
               WHERE p.id = $1"#,
            id.0
        )
        .fetch_one(&mut *conn)
        .await
        .map(|r| (r.public, r.status))?,
        Subject::Scenario(id) => sqlx::query!(
            r#"SELECT record_page_is_public(s.status, o.verified_at) AS "public!",
                      s.status AS "status: RecordStatus"
               FROM scenarios s JOIN organisations o ON o.id = s.organisation_id
               WHERE s.id = $1"#,
            id.0
        )
        .fetch_one(&mut *conn)
        .await
        .map(|r| (r.public, r.status))?,
        Subject::Project(id) => sqlx::query!(
            r#"SELECT record_page_is_public(p.status, o.verified_at) AS "public!",
                      p.status AS "status: RecordStatus"
               FROM projects p JOIN organisations o ON o.id = p.organisation_id
               WHERE p.id = $1"#,
            id.0
        )
        .fetch_one(&mut *conn)
        .await
        .map(|r| (r.public, r.status))?,
    };
    Ok(row)
}
