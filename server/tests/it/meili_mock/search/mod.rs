//! `POST`/`GET /indexes/{uid}/search`: `params.rs` reads the parameters, `ranking.rs`
//! matches and orders documents, `facets.rs` counts facet values, `hits.rs` renders hits
//! with `_formatted`, `_matchesPosition` and `_rankingScore`; this file runs a search and
//! paginates it.

mod facets;
mod hits;
mod params;
mod ranking;

use std::collections::HashSet;
use std::ops::Range;
use std::time::Instant;

use serde_json::{json, Map, Value};

pub use facets::{facet_distribution, facet_names};
pub use hits::render_hit;
pub use params::SearchParams;

use super::errors::MeiliError;
use super::filter::{self, FilterRules, Rejection};
use super::routes::{Reply, Req};
use super::settings;
use super::state::{leaves, values_at, Index, Store};
use super::text::TextQuery;
use params::params_from_query;
use ranking::{
    check_sortable, match_document, parse_sort, rank_order, score, searchable_attributes, DocMatch,
};

/// `/indexes/{uid}/search`.
pub fn handle(store: &mut Store, req: &Req, uid: &str) -> Reply {
    let started = Instant::now();
    store.authorize_index(req.headers, "search", uid)?;
    let body = if req.method == "GET" {
        params_from_query(&req.query)
    } else {
        req.json()?
    };
    let params = SearchParams::parse(&body, &[])?;
    let request_uid = store.request_uid();
    let index = store.index(uid)?;
    let outcome = run(index, &params)?;
    let body = response(index, &params, &outcome, started, &request_uid);
    Ok((200, Value::Object(body)))
}

/// A hit: the document's position in the index and its ranking score.
#[derive(Debug, Clone, Copy)]
pub struct Ranked {
    pub doc: usize,
    pub score: f64,
}

pub struct Outcome {
    /// Every match in rank order, not yet capped by `maxTotalHits`.
    pub ranked: Vec<Ranked>,
    pub text: TextQuery,
    /// `facetDistribution` and `facetStats`, when facets were asked for.
    pub facets: Option<(Map<String, Value>, Map<String, Value>)>,
}

/// Runs a search on an index: everything but pagination and rendering.
pub fn run(index: &Index, params: &SearchParams) -> Result<Outcome, MeiliError> {
    let uid = &index.uid;
    let rules = FilterRules::from_settings(&index.settings);
    let filter = filter::from_json(params.filter.as_ref())
        .map_err(|message| MeiliError::bad("invalid_search_filter", message))?;
    if let Some(expr) = &filter {
        filter::check(expr, &rules).map_err(|rejection| match rejection {
            Rejection::NotFilterable(message) => {
                MeiliError::bad("invalid_search_filter", message).in_index(uid)
            }
            Rejection::Feature(error) => error,
        })?;
    }
    let sort = parse_sort(&params.sort)?;
    check_sortable(index, &sort)?;
    let ranking_rules = settings::strings(&index.settings, "rankingRules");
    if !sort.is_empty() && !ranking_rules.iter().any(|r| r == "sort") {
        return Err(MeiliError::bad(
            "invalid_search_sort",
            "You must specify where `sort` is listed in the rankingRules setting to use the sort parameter at search time.",
        )
        .in_index(uid));
    }
    let facets = params
        .facets
        .as_ref()
        .map(|asked| facet_names(index, asked, &rules))
        .transpose()?;
    let searchable = searchable_attributes(index, params.attributes_to_search_on.as_deref())?;
    let text = TextQuery::parse(&params.q, &settings::query_rules(&index.settings));
    let typo_off = settings::typo_disabled_attributes(&index.settings);

    let mut matches: Vec<(usize, DocMatch)> = index
        .documents
        .iter()
        .enumerate()
        .filter(|(_, doc)| filter.as_ref().is_none_or(|f| filter::matches(f, doc)))
        .filter_map(|(i, doc)| {
            match_document(doc, &text, &searchable, &typo_off, params.strategy).map(|m| (i, m))
        })
        .collect();
    // A stable sort: ties keep the documents' order.
    matches.sort_by(|a, b| rank_order(index, &ranking_rules, &sort, a, b));

    let distinct = params
        .distinct
        .clone()
        .or_else(|| settings::distinct_attribute(&index.settings));
    if let Some(attribute) = distinct {
        let mut seen = HashSet::new();
        matches.retain(|(doc, _)| {
            let values = leaves(values_at(&index.documents[*doc], &attribute));
            values.is_empty() || seen.insert(serde_json::to_string(&values).unwrap_or_default())
        });
    }

    let groups = text.groups.len();
    let mut ranked: Vec<Ranked> = matches
        .iter()
        .map(|(doc, m)| Ranked {
            doc: *doc,
            score: score(m, groups, searchable.len()),
        })
        .collect();
    if let Some(threshold) = params.ranking_score_threshold {
        ranked.retain(|r| r.score >= threshold);
    }
    let facets = facets.map(|names| facet_distribution(index, &ranked, &names));
    Ok(Outcome {
        ranked,
        text,
        facets,
    })
}

/// The response of one search: hits of the page asked for, totals, facets.
pub fn response(
    index: &Index,
    params: &SearchParams,
    outcome: &Outcome,
    started: Instant,
    request_uid: &str,
) -> Map<String, Value> {
    let reachable = outcome
        .ranked
        .len()
        .min(settings::max_total_hits(&index.settings));
    let (range, paging) = paginate(
        params
            .paged()
            .then(|| (params.page.unwrap_or(1), params.hits_per_page.unwrap_or(20))),
        params.offset,
        params.limit,
        reachable,
    );
    let hits: Vec<Value> = outcome.ranked[range]
        .iter()
        .map(|r| Value::Object(render_hit(index, params, &outcome.text, r)))
        .collect();
    let mut body = Map::new();
    body.insert("hits".into(), json!(hits));
    body.insert("query".into(), json!(params.q));
    body.insert(
        "processingTimeMs".into(),
        json!(started.elapsed().as_millis() as u64),
    );
    body.extend(paging);
    if let Some((distribution, stats)) = &outcome.facets {
        body.insert("facetDistribution".into(), json!(distribution));
        body.insert("facetStats".into(), json!(stats));
    }
    body.insert("requestUid".into(), json!(request_uid));
    body
}

/// The hits of a page and the pagination fields: `page`/`hitsPerPage` gives exhaustive
/// `totalHits`/`totalPages`; otherwise `limit`/`offset` and `estimatedTotalHits`. Both stop
/// at `reachable` (capped by `maxTotalHits`).
pub fn paginate(
    page: Option<(usize, usize)>,
    offset: usize,
    limit: usize,
    reachable: usize,
) -> (Range<usize>, Map<String, Value>) {
    let mut fields = Map::new();
    let range = match page {
        Some((page, per_page)) => {
            fields.insert("hitsPerPage".into(), json!(per_page));
            fields.insert("page".into(), json!(page));
            let pages = if per_page == 0 {
                0
            } else {
                reachable.div_ceil(per_page)
            };
            fields.insert("totalPages".into(), json!(pages));
            fields.insert("totalHits".into(), json!(reachable));
            if page == 0 {
                0..0
            } else {
                let start = ((page - 1) * per_page).min(reachable);
                start..(page * per_page).min(reachable)
            }
        }
        None => {
            fields.insert("limit".into(), json!(limit));
            fields.insert("offset".into(), json!(offset));
            fields.insert("estimatedTotalHits".into(), json!(reachable));
            offset.min(reachable)..offset.saturating_add(limit).min(reachable)
        }
    };
    (range, fields)
}
