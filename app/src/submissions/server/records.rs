//! Writing a submitted record's text: a new record from its snapshot, a record never
//! published taking a fixed text, and a reviewed revision of a published one (whose
//! columns the publication module writes). Each keeps
//! the snapshot as a numbered revision (`product_revisions`, `scenario_revisions`,
//! `project_revisions`), so what was reviewed and bought stays readable.
//!
//! Snapshots are the shapes `submissions::forms` checks, read in SQL with
//! `jsonb_populate_record(NULL::<table>, …)`.

use crate::domain::{ProductId, ProjectId, ScenarioId};
use crate::error::AppError;
use crate::publication::Subject;
use crate::submissions::forms::RecordKind;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgConnection;

/// Inserts a record of `kind` for `organisation` as a draft from `snapshot`, collected
/// through `call` (ignored for projects, which have none), with its revision 1.
pub async fn insert_record(
    tx: &mut PgConnection,
    kind: RecordKind,
    organisation: i64,
    call: Option<i64>,
    snapshot: &Value,
) -> Result<Subject, AppError> {
    let subject = match kind {
        RecordKind::Product => Subject::Product(ProductId(
            sqlx::query_scalar!(
                "INSERT INTO products (organisation_id, call_id, status, name, procurement_code,
                     procurement_name, industry, description, specifications, price_min_fen,
                     price_max_fen, price_unit, certifications, patents, is_medical,
                     registration_certificate, insurance_status, valid_until)
                 SELECT $1, $2, 'draft', r.name, r.procurement_code, r.procurement_name,
                     r.industry, r.description, r.specifications, r.price_min_fen,
                     r.price_max_fen, r.price_unit, r.certifications, r.patents, r.is_medical,
                     r.registration_certificate, r.insurance_status, r.valid_until
                 FROM jsonb_populate_record(NULL::products, $3) AS r
                 RETURNING id",
                organisation,
                call,
                snapshot
            )
            .fetch_one(&mut *tx)
            .await?,
        )),
        RecordKind::Scenario => Subject::Scenario(ScenarioId(
            sqlx::query_scalar!(
                "INSERT INTO scenarios (organisation_id, call_id, status, title, sector, need,
                     expected_outcome, budget_min_fen, budget_max_fen, location, open_until,
                     contact_phone, contact_email)
                 SELECT $1, $2, 'draft', r.title, r.sector, r.need, r.expected_outcome,
                     r.budget_min_fen, r.budget_max_fen, r.location, r.open_until,
                     r.contact_phone, r.contact_email
                 FROM jsonb_populate_record(NULL::scenarios, $3) AS r
                 RETURNING id",
                organisation,
                call,
                snapshot
            )
            .fetch_one(&mut *tx)
            .await?,
        )),
        RecordKind::Project => Subject::Project(ProjectId(
            sqlx::query_scalar!(
                "INSERT INTO projects (organisation_id, status, name, sector, stage,
                     financing_sought_fen, financing_form, highlights, team,
                     intellectual_property, traction, contact_consent, contact_phone,
                     contact_email)
                 SELECT $1, 'draft', r.name, r.sector, r.stage, r.financing_sought_fen,
                     r.financing_form, r.highlights, r.team, r.intellectual_property,
                     r.traction, r.contact_consent, r.contact_phone, r.contact_email
                 FROM jsonb_populate_record(NULL::projects, $2) AS r
                 RETURNING id",
                organisation,
                snapshot
            )
            .fetch_one(&mut *tx)
            .await?,
        )),
    };
    keep_revision(tx, subject, 1, snapshot).await?;
    Ok(subject)
}

/// A record never published (returned, or withdrawn back to a draft) takes the fixed text
/// as its next revision, and the call it now goes into (`None`: none, such as an agency's
/// direct scenario; projects have no call).
pub async fn rewrite_record(
    tx: &mut PgConnection,
    subject: Subject,
    call: Option<i64>,
    snapshot: &Value,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let revision = next_revision(tx, subject, snapshot).await?;
    crate::publication::write_unpublished_text(tx, subject, revision, now).await?;
    match subject {
        Subject::Product(id) => {
            sqlx::query!("UPDATE products SET call_id = $2 WHERE id = $1", id.0, call)
                .execute(&mut *tx)
                .await?;
        }
        Subject::Scenario(id) => {
            sqlx::query!(
                "UPDATE scenarios SET call_id = $2 WHERE id = $1",
                id.0,
                call
            )
            .execute(&mut *tx)
            .await?;
        }
        Subject::Project(_) => {}
    }
    Ok(())
}

/// Keeps `snapshot` as the record's next revision and returns its number: a reviewed change
/// of a published record (`publication::publish_revision` then makes it public), or the
/// fixed text of one never published.
pub async fn next_revision(
    tx: &mut PgConnection,
    subject: Subject,
    snapshot: &Value,
) -> Result<i32, AppError> {
    let latest = match subject {
        Subject::Product(id) => {
            sqlx::query_scalar!(
                r#"SELECT GREATEST((SELECT max(revision) FROM product_revisions WHERE product_id = $1),
                                    (SELECT revision FROM products WHERE id = $1)) AS "latest""#,
                id.0
            )
            .fetch_one(&mut *tx)
            .await?
        }
        Subject::Scenario(id) => {
            sqlx::query_scalar!(
                r#"SELECT GREATEST((SELECT max(revision) FROM scenario_revisions WHERE scenario_id = $1),
                                    (SELECT revision FROM scenarios WHERE id = $1)) AS "latest""#,
                id.0
            )
            .fetch_one(&mut *tx)
            .await?
        }
        Subject::Project(id) => {
            sqlx::query_scalar!(
                r#"SELECT GREATEST((SELECT max(revision) FROM project_revisions WHERE project_id = $1),
                                    (SELECT revision FROM projects WHERE id = $1)) AS "latest""#,
                id.0
            )
            .fetch_one(&mut *tx)
            .await?
        }
    };
    // The record's own counter covers records written before revisions were kept.
    let revision = latest.unwrap_or(0) + 1;
    keep_revision(tx, subject, revision, snapshot).await?;
    Ok(revision)
}

async fn keep_revision(
    tx: &mut PgConnection,
    subject: Subject,
    revision: i32,
    snapshot: &Value,
) -> Result<(), AppError> {
    match subject {
        Subject::Product(id) => {
            sqlx::query!(
            "INSERT INTO product_revisions (product_id, revision, snapshot) VALUES ($1, $2, $3)",
            id.0,
            revision,
            snapshot
        )
            .execute(&mut *tx)
            .await?
        }
        Subject::Scenario(id) => {
            sqlx::query!(
            "INSERT INTO scenario_revisions (scenario_id, revision, snapshot) VALUES ($1, $2, $3)",
            id.0,
            revision,
            snapshot
        )
            .execute(&mut *tx)
            .await?
        }
        Subject::Project(id) => {
            sqlx::query!(
            "INSERT INTO project_revisions (project_id, revision, snapshot) VALUES ($1, $2, $3)",
            id.0,
            revision,
            snapshot
        )
            .execute(&mut *tx)
            .await?
        }
    };
    Ok(())
}
