//! Queries behind the scenario pages: listed records only (`record_is_listed`), details
//! while their page is public (`record_page_is_public`). Whether a scenario is still open
//! for answers is judged on "today" from the server's clock.

use super::{ScenarioDetail, ScenarioFilter, ScenarioSummary};
use crate::domain::*;
use crate::listing::Page;
use crate::products::OrganisationRef;
use crate::search::list::{in_order, ListQuery, ListedIds};
use crate::search::{DocumentKind, SearchBackend};
use sqlx::PgPool;

struct SummaryRow {
    id: ScenarioId,
    title: String,
    publisher_id: OrganisationId,
    publisher_name: String,
    sector: Sector,
    location: Location,
    budget_min_fen: Option<i64>,
    budget_max_fen: Option<i64>,
    open_until: Option<chrono::NaiveDate>,
    open: bool,
}

impl From<SummaryRow> for ScenarioSummary {
    fn from(row: SummaryRow) -> Self {
        ScenarioSummary {
            id: row.id,
            title: row.title,
            publisher: OrganisationRef {
                id: row.publisher_id,
                name: row.publisher_name,
            },
            sector: row.sector,
            location: row.location,
            budget_min: row.budget_min_fen.map(Money::from_fen),
            budget_max: row.budget_max_fen.map(Money::from_fen),
            open_until: row.open_until,
            open: row.open,
        }
    }
}

/// Published scenarios matching `filter` (and of one publisher, if given), newest first,
/// `per_page` (at most [`PER_PAGE`](crate::listing::PER_PAGE)) at a time; open for answers
/// as on `today`. The search index finds the page (`search::list`); Postgres reads its
/// rows, or the whole page when the index cannot answer.
pub async fn list_published(
    pool: &PgPool,
    search: &SearchBackend,
    filter: &ScenarioFilter,
    per_page: u32,
    today: chrono::NaiveDate,
) -> Result<Page<ScenarioSummary>, sqlx::Error> {
    let query = ListQuery {
        category: filter.sector.map(|s| s.code().to_owned()),
        location: filter.location,
        organisation: filter.organisation.map(|id| id.0),
        page: filter.page,
        ..ListQuery::all(DocumentKind::Scenario)
    };
    let listed = search
        .list_or_else(&query, listed_in_postgres(pool, &query))
        .await?;
    let ids: Vec<i64> = listed.ids.into_iter().take(per_page as usize).collect();
    let rows = sqlx::query_as!(
        SummaryRow,
        r#"SELECT s.id AS "id: ScenarioId", s.title, o.id AS "publisher_id: OrganisationId",
                  o.name AS publisher_name, s.sector AS "sector!: Sector",
                  s.location AS "location!: Location", s.budget_min_fen, s.budget_max_fen,
                  s.open_until, (s.open_until IS NULL OR s.open_until >= $2) AS "open!"
           FROM scenarios s JOIN organisations o ON o.id = s.organisation_id
           WHERE s.id = ANY($1) AND record_is_listed(s.status, o.verified_at)"#,
        &ids,
        today,
    )
    .fetch_all(pool)
    .await?;
    let items = in_order(&ids, rows, |row| row.id.0)
        .into_iter()
        .map(ScenarioSummary::from)
        .collect();
    Ok(Page {
        items,
        total: listed.total,
        page: filter.page,
    })
}

/// The page of `query` as Postgres finds it, when the search index cannot.
async fn listed_in_postgres(pool: &PgPool, query: &ListQuery) -> Result<ListedIds, sqlx::Error> {
    let location = query.location.map(Location::code);
    sqlx::query_as!(
        ListedIds,
        r#"WITH matching AS (
               SELECT s.id, s.published_at FROM scenarios s
               JOIN organisations o ON o.id = s.organisation_id
               WHERE record_is_listed(s.status, o.verified_at)
                 AND ($1::text IS NULL OR s.sector = $1)
                 AND ($2::text IS NULL OR s.location = $2)
                 AND ($3::bigint IS NULL OR s.organisation_id = $3))
           SELECT (SELECT count(*) FROM matching) AS "total!",
                  ARRAY(SELECT id FROM matching ORDER BY published_at DESC, id DESC
                        LIMIT $4 OFFSET $5) AS "ids!""#,
        query.category,
        location,
        query.organisation,
        query.limit(),
        query.offset_rows(),
    )
    .fetch_one(pool)
    .await
}

/// A scenario whose page is public; open for answers as on `today`, "published on" in
/// `zone` (the deployment's time zone).
pub async fn public_detail(
    pool: &PgPool,
    id: ScenarioId,
    today: chrono::NaiveDate,
    zone: chrono_tz::Tz,
) -> Result<Option<ScenarioDetail>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT s.id AS "id: ScenarioId", s.title, o.id AS "publisher_id: OrganisationId",
                  o.name AS publisher_name, s.sector AS "sector!: Sector",
                  s.location AS "location!: Location", s.budget_min_fen, s.budget_max_fen,
                  s.open_until, (s.open_until IS NULL OR s.open_until >= $2) AS "open!",
                  s.status AS "status: RecordStatus", s.status_reason, s.notice_until, s.need,
                  s.expected_outcome, s.contact_phone, s.contact_email, s.published_at,
                  c.title AS "call_title?",
                  (SELECT count(*) FROM scenario_answers a
                   WHERE a.scenario_id = s.id AND a.status <> 'draft') AS "answers!",
                  (SELECT x.id FROM submissions x
                   WHERE x.record_kind = 'scenario' AND x.record_id = s.id
                     AND x.state = 'in_notice') AS "notice_submission?"
           FROM scenarios s
           JOIN organisations o ON o.id = s.organisation_id
           LEFT JOIN calls c ON c.id = s.call_id
           WHERE s.id = $1 AND record_page_is_public(s.status, o.verified_at)"#,
        id.0,
        today,
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let attachments = crate::submissions::server::attachments::list(pool, "scenario", id.0).await?;
    Ok(Some(ScenarioDetail {
        summary: ScenarioSummary::from(SummaryRow {
            id: row.id,
            title: row.title,
            publisher_id: row.publisher_id,
            publisher_name: row.publisher_name,
            sector: row.sector,
            location: row.location,
            budget_min_fen: row.budget_min_fen,
            budget_max_fen: row.budget_max_fen,
            open_until: row.open_until,
            open: row.open,
        }),
        status: row.status,
        status_reason: row.status_reason,
        notice_until: row.notice_until,
        need: row.need,
        expected_outcome: row.expected_outcome,
        contact_phone: row.contact_phone,
        contact_email: row.contact_email,
        call: row.call_title,
        published_on: row
            .published_at
            .map(|at| at.with_timezone(&zone).date_naive()),
        answers: row.answers,
        notice_submission: row.notice_submission,
        attachments,
    }))
}
