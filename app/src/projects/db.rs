//! Queries behind the project pages.

use super::{ProjectDetail, ProjectFilter, ProjectSummary};
use crate::domain::*;
use crate::listing::Page;
use crate::products::OrganisationRef;
use sqlx::PgPool;

struct SummaryRow {
    id: ProjectId,
    name: String,
    owner_id: OrganisationId,
    owner_name: String,
    sector: Sector,
    stage: ProjectStage,
    financing_sought_fen: Option<i64>,
    financing_form: FinancingForm,
}

impl From<SummaryRow> for ProjectSummary {
    fn from(row: SummaryRow) -> Self {
        ProjectSummary {
            id: row.id,
            name: row.name,
            owner: OrganisationRef {
                id: row.owner_id,
                name: row.owner_name,
            },
            sector: row.sector,
            stage: row.stage,
            financing_sought: row.financing_sought_fen.map(Money::from_fen),
            financing_form: row.financing_form,
            government_traction: Default::default(),
        }
    }
}

/// Published projects matching `filter` (and of one owner, if given), newest first.
pub async fn list_published(
    pool: &PgPool,
    filter: &ProjectFilter,
    per_page: u32,
) -> Result<Page<ProjectSummary>, sqlx::Error> {
    let sector = filter.sector.map(Sector::code);
    let stage = filter.stage.map(ProjectStage::code);
    let owner = filter.organisation.map(|id| id.0);
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM projects p
           JOIN organisations o ON o.id = p.organisation_id
           WHERE record_is_listed(p.status, o.verified_at)
             AND ($1::text IS NULL OR p.sector = $1)
             AND ($2::text IS NULL OR p.stage::text = $2)
             AND ($3::bigint IS NULL OR p.organisation_id = $3)"#,
        sector,
        stage,
        owner,
    )
    .fetch_one(pool)
    .await?;
    let items = sqlx::query_as!(
        SummaryRow,
        r#"SELECT p.id AS "id: ProjectId", p.name, o.id AS "owner_id: OrganisationId",
                  o.name AS owner_name, p.sector AS "sector!: Sector",
                  p.stage AS "stage: ProjectStage", p.financing_sought_fen,
                  p.financing_form AS "financing_form: FinancingForm"
           FROM projects p JOIN organisations o ON o.id = p.organisation_id
           WHERE record_is_listed(p.status, o.verified_at)
             AND ($1::text IS NULL OR p.sector = $1)
             AND ($2::text IS NULL OR p.stage::text = $2)
             AND ($3::bigint IS NULL OR p.organisation_id = $3)
           ORDER BY p.published_at DESC, p.id DESC
           LIMIT $4 OFFSET $5"#,
        sector,
        stage,
        owner,
        i64::from(per_page),
        Page::<()>::offset(filter.page),
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(ProjectSummary::from)
    .collect::<Vec<_>>();
    let owners: Vec<i64> = items.iter().map(|p| p.owner.id.0).collect();
    let traction = crate::traction::for_organisations(pool, &owners).await?;
    let items = items
        .into_iter()
        .map(|mut p| {
            p.government_traction = traction.get(&p.owner.id.0).copied().unwrap_or_default();
            p
        })
        .collect();
    Ok(Page {
        items,
        total,
        page: filter.page,
    })
}

/// A project whose page is public, with its "published on" day in `zone` (the
/// deployment's time zone).
pub async fn public_detail(
    pool: &PgPool,
    id: ProjectId,
    zone: chrono_tz::Tz,
) -> Result<Option<ProjectDetail>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT p.id AS "id: ProjectId", p.name, o.id AS "owner_id: OrganisationId",
                  o.name AS owner_name, p.sector AS "sector!: Sector",
                  p.stage AS "stage: ProjectStage", p.financing_sought_fen,
                  p.financing_form AS "financing_form: FinancingForm",
                  p.status AS "status: RecordStatus", p.status_reason, p.highlights, p.team,
                  p.intellectual_property, p.traction, p.contact_consent, p.contact_phone,
                  p.contact_email, p.published_at
           FROM projects p JOIN organisations o ON o.id = p.organisation_id
           WHERE p.id = $1 AND record_page_is_public(p.status, o.verified_at)"#,
        id.0,
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let attachments = crate::submissions::server::attachments::list(pool, "project", id.0).await?;
    let government_traction = crate::traction::load(pool, row.owner_id, None).await?;
    Ok(Some({
        // Personal contact data leaves the server only with the owner's consent.
        let contact = row.contact_consent.then(|| {
            [row.contact_phone.as_deref(), row.contact_email.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ")
        });
        ProjectDetail {
            summary: ProjectSummary::from(SummaryRow {
                id: row.id,
                name: row.name,
                owner_id: row.owner_id,
                owner_name: row.owner_name,
                sector: row.sector,
                stage: row.stage,
                financing_sought_fen: row.financing_sought_fen,
                financing_form: row.financing_form,
            })
            .with_government_traction(government_traction),
            status: row.status,
            status_reason: row.status_reason,
            highlights: row.highlights,
            team: row.team,
            intellectual_property: row.intellectual_property,
            traction: row.traction,
            contact: contact.filter(|c| !c.is_empty()),
            published_on: row
                .published_at
                .map(|at| at.with_timezone(&zone).date_naive()),
            attachments,
        }
    }))
}
