//! `GET /api/v1/search/export?…`: a search as a CSV file. It holds exactly the records the
//! search returned, in its order, up to the search cap (1,000): ids from the search
//! backend; this site's records with their details read again from Postgres (so a record
//! withdrawn in between is left out), a partner site's records from their search document
//! (their ids mean nothing in this database), marked with the partner's site id and linked
//! to the partner's page.

use super::ApiError;
use app::clock::Clock;
use app::search::query::{HITS_PER_PAGE, MAX_SEARCH_PAGE};
use app::search::{document, DocumentKind, SearchBackend, SearchHit, SearchQuery};
use app::state::Site;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use sqlx::PgPool;
use std::collections::HashMap;

/// The header naming the partner sites whose records are missing from the file (their
/// index could not be searched); empty when every site answered.
pub const UNAVAILABLE_SITES: &str = "x-unavailable-sites";

/// The columns of the file.
const HEADER: &str = "site,kind,id,title,organisation,category,location,amount_min_yuan,amount_max_yuan,open_until,url";

/// Search the same way as `/api/v1/search` (its `page` is ignored: the export holds every
/// page); the answer is `text/csv` in UTF-8 with a byte-order mark, which spreadsheet
/// programs need to read Chinese correctly.
#[utoipa::path(
    get,
    path = "/api/v1/search/export",
    params(SearchQuery),
    responses(
        (status = 200, description = "CSV: site (empty for this site, else the partner's site id), kind, id, title, organisation, category, location, amount_min_yuan, amount_max_yuan, open_until, url (absolute). The header `X-Unavailable-Sites` lists, comma-separated, the partner sites left out because their index could not be searched (empty when none).", content_type = "text/csv"),
        (status = 400, body = super::error::ErrorBody, description = "a parameter is invalid (named in `param`)"),
        (status = 429, body = super::error::ErrorBody, description = "too many exports from this client; `Retry-After` says when to try again"),
        (status = 503, body = super::error::ErrorBody, description = "search or the database is unavailable"),
    )
)]
pub async fn export(
    State(search): State<SearchBackend>,
    State(pool): State<PgPool>,
    State(clock): State<Clock>,
    State(site): State<Site>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<impl IntoResponse, ApiError> {
    let query = super::search_query(&params)?;
    let mut hits: Vec<SearchHit> = Vec::new();
    let mut unavailable: std::collections::BTreeSet<String> = Default::default();
    for page in 1..=MAX_SEARCH_PAGE {
        let results = search
            .run(&SearchQuery {
                page,
                ..query.clone()
            })
            .await?;
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
    let mut csv = String::from("\u{feff}");
    csv.push_str(HEADER);
    csv.push_str("\r\n");
    let yuan = |fen: Option<i64>| fen.map(|f| format!("{:.2}", f as f64 / 100.0));
    for hit in &hits {
        let row = match &hit.site {
            // A partner's record, as its search document describes it.
            Some(partner) => [
                Some(partner.clone()),
                Some(hit.kind.code().to_owned()),
                Some(hit.id.to_string()),
                Some(hit.title.iter().map(|f| f.text.as_str()).collect()),
                hit.organisation_name.clone(),
                hit.category.clone(),
                hit.location.clone(),
                yuan(hit.amount_min_fen),
                yuan(hit.amount_max_fen),
                hit.open_until.map(|d| d.to_string()),
                Some(hit.url.clone()),
            ],
            None => {
                let Some(doc) = details.get(&(hit.kind, hit.id)) else {
                    continue; // withdrawn since the search
                };
                [
                    None,
                    Some(hit.kind.code().to_owned()),
                    Some(doc.id.to_string()),
                    Some(doc.title.clone()),
                    doc.organisation_name.clone(),
                    doc.category.clone(),
                    doc.location.clone(),
                    yuan(doc.amount_min_fen),
                    yuan(doc.amount_max_fen),
                    doc.open_until.map(|d| d.to_string()),
                    Some(site.url(&hit.kind.path(doc.id))),
                ]
            }
        };
        let cells: Vec<String> = row
            .iter()
            .map(|cell| field(cell.as_deref().unwrap_or("")))
            .collect();
        csv.push_str(&cells.join(","));
        csv.push_str("\r\n");
    }
    // A partner whose index could not be searched is missing from the file: say which.
    let unavailable = unavailable.into_iter().collect::<Vec<_>>().join(",");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"search.csv\"".to_owned(),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        [(UNAVAILABLE_SITES, unavailable)],
        csv,
    ))
}

/// One CSV field, quoted, its formula defused ([`defuse`]).
pub(crate) fn field(value: &str) -> String {
    format!("\"{}\"", defuse(value).replace('"', "\"\""))
}

/// Text a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a leading apostrophe, so an exported cell can never execute
/// (OWASP, "CSV Injection").
pub(crate) fn defuse(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("机器人"), "\"机器人\"");
        assert_eq!(field("say \"hi\", ok"), "\"say \"\"hi\"\", ok\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1"), "\"'-1\"");
    }
}
