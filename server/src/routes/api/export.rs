//! `GET /api/v1/search/export` (CSV) and `GET /api/v1/search/export.xlsx` (XLSX): a
//! search as a file to download ([`crate::tabular`]: the site, the time of export and the
//! search's parameters above the header row). It holds exactly the records the search
//! returned, in its order, up to the search cap (1,000, with a last line saying how many
//! matched when there were more): ids from the search backend; this
//! site's records with their details read again from Postgres (so a record withdrawn in
//! between is left out), a partner site's records from their search document (their ids
//! mean nothing in this database), marked with the partner's site id and linked to the
//! partner's page.

use super::ApiError;
use crate::tabular::{Cell, Column, FileFormat, Table};
use app::clock::Clock;
use app::search::query::{HITS_PER_PAGE, MAX_SEARCH_PAGE};
use app::search::{document, DocumentKind, SearchBackend, SearchHit, SearchQuery};
use app::state::Site;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use sqlx::PgPool;
use std::collections::HashMap;

/// The header naming the partner sites whose records are missing from the file (their
/// index could not be searched); empty when every site answered.
pub const UNAVAILABLE_SITES: &str = "x-unavailable-sites";

/// The columns of the file: code (the CSV header) and Chinese name.
const COLUMNS: &[Column] = &[
    ("site", "来源网站"),
    ("kind", "类型"),
    ("id", "编号"),
    ("title", "名称"),
    ("organisation", "单位"),
    ("category", "领域"),
    ("location", "地区"),
    ("amount_min_yuan", "金额下限（元）"),
    ("amount_max_yuan", "金额上限（元）"),
    ("open_until", "截止日期"),
    ("url", "链接"),
];

/// What the file's 200 answer holds, in the OpenAPI document.
const ROWS: &str = "The site, the time of export (Beijing time) and the search's parameters, then one row per record: site (empty for this site, else the partner's site id), kind, id, title, organisation, category, location, amount_min_yuan, amount_max_yuan, open_until, url (absolute). The header `X-Unavailable-Sites` lists, comma-separated, the partner sites left out because their index could not be searched (empty when none).";

/// Search the same way as `/api/v1/search` (its `page` is ignored: the export holds every
/// page); the answer is CSV (UTF-8 with a byte-order mark, which spreadsheet programs need
/// to read Chinese correctly; the lines above the header start with `#`).
#[utoipa::path(
    get,
    path = "/api/v1/search/export",
    params(SearchQuery),
    responses(
        (status = 200, description = ROWS, content_type = "text/csv"),
        (status = 400, body = super::error::ErrorBody, description = "a parameter is invalid (named in `param`)"),
        (status = 429, body = super::error::ErrorBody, description = "too many exports from this client; `Retry-After` says when to try again"),
        (status = 503, body = super::error::ErrorBody, description = "search or the database is unavailable"),
    )
)]
pub async fn export_csv(
    search: State<SearchBackend>,
    pool: State<PgPool>,
    clock: State<Clock>,
    site: State<Site>,
    params: Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    export(FileFormat::Csv, search, pool, clock, site, params).await
}

/// The same file as an XLSX workbook: numbers, amounts and dates as typed cells, links as
/// hyperlinks, the header frozen with filter buttons.
#[utoipa::path(
    get,
    path = "/api/v1/search/export.xlsx",
    params(SearchQuery),
    responses(
        (status = 200, description = ROWS, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, body = super::error::ErrorBody, description = "a parameter is invalid (named in `param`)"),
        (status = 429, body = super::error::ErrorBody, description = "too many exports from this client; `Retry-After` says when to try again"),
        (status = 503, body = super::error::ErrorBody, description = "search or the database is unavailable"),
    )
)]
pub async fn export_xlsx(
    search: State<SearchBackend>,
    pool: State<PgPool>,
    clock: State<Clock>,
    site: State<Site>,
    params: Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    export(FileFormat::Xlsx, search, pool, clock, site, params).await
}

async fn export(
    format: FileFormat,
    State(search): State<SearchBackend>,
    State(pool): State<PgPool>,
    State(clock): State<Clock>,
    State(site): State<Site>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let query = super::search_query(&params)?;
    let mut hits: Vec<SearchHit> = Vec::new();
    let mut unavailable: std::collections::BTreeSet<String> = Default::default();
    let mut matched: i64 = 0;
    for page in 1..=MAX_SEARCH_PAGE {
        let results = search
            .run(&SearchQuery {
                page,
                ..query.clone()
            })
            .await?;
        matched = matched.max(results.total);
        let last = results.hits.len() < HITS_PER_PAGE as usize;
        hits.extend(results.hits);
        unavailable.extend(results.unavailable_sites);
        if last {
            break;
        }
    }
    let mut details: HashMap<(DocumentKind, i64), document::SearchDocument> = HashMap::new();
    for kind in DocumentKind::ALL {
        let ids: Vec<i64> = hits
            .iter()
            .filter(|hit| hit.site.is_none() && hit.kind == *kind)
            .map(|hit| hit.id)
            .collect();
        if ids.is_empty() {
            continue;
        }
        let mut conn = pool.acquire().await?;
        for doc in document::load(&mut conn, *kind, &ids, clock.today()).await? {
            details.insert((*kind, doc.id), doc);
        }
    }
    let mut table = Table::new(
        "search",
        "搜索结果",
        COLUMNS,
        &site,
        "/search",
        &clock,
        &query.query_pairs(),
    );
    for hit in &hits {
        let row = match &hit.site {
            // A partner's record, as its search document describes it.
            Some(partner) => vec![
                Cell::Code(partner.clone()),
                Cell::Code(hit.kind.code().to_owned()),
                Cell::Integer(hit.id),
                Cell::Text(hit.title.iter().map(|f| f.text.as_str()).collect()),
                Cell::text(hit.organisation_name.clone()),
                Cell::code(hit.category.clone()),
                Cell::code(hit.location.clone()),
                Cell::yuan(hit.amount_min_fen),
                Cell::yuan(hit.amount_max_fen),
                Cell::date(hit.open_until),
                Cell::Link(hit.url.clone()),
            ],
            None => {
                let Some(doc) = details.get(&(hit.kind, hit.id)) else {
                    continue; // withdrawn since the search
                };
                vec![
                    Cell::Empty,
                    Cell::Code(hit.kind.code().to_owned()),
                    Cell::Integer(doc.id),
                    Cell::Text(doc.title.clone()),
                    Cell::text(doc.organisation_name.clone()),
                    Cell::code(doc.category.clone()),
                    Cell::code(doc.location.clone()),
                    Cell::yuan(doc.amount_min_fen),
                    Cell::yuan(doc.amount_max_fen),
                    Cell::date(doc.open_until),
                    Cell::Link(site.url(&hit.kind.path(doc.id))),
                ]
            }
        };
        table.rows.push(row);
    }
    // Past the search cap the file holds the first 1,000: it says so, as a cut list does.
    if matched > hits.len() as i64 {
        table.footnote = Some((
            "已截断 / truncated",
            format!(
                "共 {matched} 条，仅导出前 {exported} 条 / {matched} matched, the first {exported} exported",
                exported = hits.len()
            ),
        ));
    }
    // A partner whose index could not be searched is missing from the file: say which.
    let unavailable = unavailable.into_iter().collect::<Vec<_>>().join(",");
    Ok(([(UNAVAILABLE_SITES, unavailable)], table.download(format)?).into_response())
}
