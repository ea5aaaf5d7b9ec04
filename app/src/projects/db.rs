//! Queries behind the project pages.

use super::{ProjectDetail, ProjectFilter, ProjectSummary};
use crate::domain::*;
use crate::listing::Page;
use crate::products::OrganisationRef;
use crate::search::list::{in_order, ListQuery, ListedIds};
use crate::search::{DocumentKind, SearchBackend};
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

/// Published projects matching `filter` (and of one owner, if given), newest first,
/// `per_page` (at most [`PER_PAGE`](crate::listing::PER_PAGE)) at a time. The search index
/// finds the page (`search::list`); Postgres reads its rows, or the whole page when the
/// index cannot answer.
pub async fn list_published(
    pool: &PgPool,
    search: &SearchBackend,
    traction: &crate::traction::TractionCache,
    filter: &ProjectFilter,
    per_page: u32,
) -> Result<Page<ProjectSummary>, sqlx::Error> {
    let query = ListQuery {
        category: filter.sector.map(|s| s.code().to_owned()),
        stage: filter.stage,
        organisation: filter.organisation.map(|id| id.0),
        page: filter.page,
        ..ListQuery::all(DocumentKind::Project)
    };
    let listed = search
        .list_or_else(&query, listed_in_postgres(pool, &query))
        .await?;
    let ids: Vec<i64> = listed.ids.into_iter().take(per_page as usize).collect();
    let rows = sqlx::query_as!(
        SummaryRow,
        r#"SELECT p.id AS "id: ProjectId", p.name, o.id AS "owner_id: OrganisationId",
                  o.name AS owner_name, p.sector AS "sector!: Sector",
                  p.stage AS "stage: ProjectStage", p.financing_sought_fen,
                  p.financing_form AS "financing_form: FinancingForm"
           FROM projects p JOIN organisations o ON o.id = p.organisation_id
           WHERE p.id = ANY($1) AND record_is_listed(p.status, o.verified_at)"#,
        &ids,
    )
    .fetch_all(pool)
    .await?;
    let items: Vec<ProjectSummary> = in_order(&ids, rows, |row| row.id.0)
        .into_iter()
        .map(ProjectSummary::from)
        .collect();
    let owners: Vec<i64> = items.iter().map(|p| p.owner.id.0).collect();
    let traction = traction.for_organisations(pool, &owners).await?;
    let items = items
        .into_iter()
        .map(|mut p| {
            p.government_traction = traction.get(&p.owner.id.0).copied().unwrap_or_default();
            p
        })
        .collect();
    Ok(Page {
        items,
        total: listed.total,
        page: filter.page,
    })
}

/// The page of `query` as Postgres finds it, when the search index cannot.
async fn listed_in_postgres(pool: &PgPool, query: &ListQuery) -> Result<ListedIds, sqlx::Error> {
    let stage = query.stage.map(ProjectStage::code);
    sqlx::query_as!(
        ListedIds,
        r#"WITH matching AS (
               SELECT p.id, p.published_at FROM projects p
               JOIN organisations o ON o.id = p.organisation_id
               WHERE record_is_listed(p.status, o.verified_at)
                 AND ($1::text IS NULL OR p.sector = $1)
                 AND ($2::text IS NULL OR p.stage::text = $2)
                 AND ($3::bigint IS NULL OR p.organisation_id = $3))
           SELECT (SELECT count(*) FROM matching) AS "total!",
                  ARRAY(SELECT id FROM matching ORDER BY published_at DESC, id DESC
                        LIMIT $4 OFFSET $5) AS "ids!""#,
        query.category,
        stage,
        query.organisation,
        query.limit(),
        query.offset_rows(),
    )
    .fetch_one(pool)
    .await
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
