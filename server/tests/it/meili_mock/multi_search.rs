//! `POST /multi-search`: separate results per query (fixture 24), or with `federation`
//! one list merged by weighted ranking score (fixture 23), where each hit says where it
//! came from in `_federation`. Equal scores keep the queries' order, then each query's
//! ranking: that is how fixture 23's hits interleave. (Meilisearch also compares the hits
//! of a sorted federated search by their sort values; the mock does not, so that order is
//! checked on a real Meilisearch, in `search_contract::federation`.)

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use serde_json::{json, Map, Value};

use super::errors::MeiliError;
use super::filter::FilterRules;
use super::routes::{check_index_uid, Reply, Req};
use super::search::{self, Outcome, Ranked, SearchParams};
use super::settings;
use super::state::Store;

struct Query {
    index: String,
    params: SearchParams,
    weight: f64,
}

struct Federation {
    limit: usize,
    offset: usize,
    page: Option<usize>,
    hits_per_page: Option<usize>,
    facets_by_index: BTreeMap<String, Vec<String>>,
    merge_facets: bool,
}

pub fn handle(store: &mut Store, req: &Req) -> Reply {
    let started = Instant::now();
    store.authorize(req.headers, "search")?;
    let body = req.json()?;
    let Some(body) = body.as_object() else {
        return Err(MeiliError::invalid_type(
            "bad_request",
            "",
            "an object",
            &body,
        ));
    };
    if let Some(key) = body
        .keys()
        .find(|k| !matches!(k.as_str(), "queries" | "federation"))
    {
        return Err(MeiliError::unknown_field(key, &["queries", "federation"]));
    }
    let queries = match body.get("queries") {
        None => return Err(MeiliError::missing_field("bad_request", "queries")),
        Some(Value::Array(queries)) => queries,
        Some(other) => {
            return Err(MeiliError::invalid_type(
                "bad_request",
                ".queries",
                "an array",
                other,
            ))
        }
    };
    let federation = match body.get("federation") {
        None | Some(Value::Null) => None,
        Some(Value::Object(federation)) => Some(parse_federation(federation)?),
        Some(other) => {
            return Err(MeiliError::invalid_type(
                "bad_request",
                ".federation",
                "an object",
                other,
            ))
        }
    };
    let mut parsed = Vec::new();
    for (i, query) in queries.iter().enumerate() {
        let query = parse_query(store, req, query, i, federation.is_some())
            .map_err(|e| e.prefixed(&format!("Inside `.queries[{i}]`: ")))?;
        parsed.push(query);
    }
    let request_uid = store.request_uid();
    let mut outcomes = Vec::new();
    for (i, query) in parsed.iter().enumerate() {
        // A missing index is a 400 here, not the 404 of a single search (as Meilisearch
        // 1.50 answers).
        let outcome = store
            .index(&query.index)
            .map_err(|e| MeiliError { status: 400, ..e })
            .and_then(|index| search::run(index, &query.params))
            .map_err(|e| e.prefixed(&format!("Inside `.queries[{i}]`: ")))?;
        outcomes.push(outcome);
    }
    let body = match federation {
        None => {
            let mut results = Vec::new();
            for (query, outcome) in parsed.iter().zip(&outcomes) {
                let index = store.index(&query.index)?;
                let mut result = Map::new();
                result.insert("indexUid".into(), json!(query.index));
                result.extend(search::response(
                    index,
                    &query.params,
                    outcome,
                    started,
                    &request_uid,
                ));
                results.push(Value::Object(result));
            }
            json!({ "results": results })
        }
        Some(federation) => federated(
            store,
            &parsed,
            &outcomes,
            &federation,
            started,
            &request_uid,
        )?,
    };
    Ok((200, body))
}

fn parse_query(
    store: &Store,
    req: &Req,
    query: &Value,
    i: usize,
    federated: bool,
) -> Result<Query, MeiliError> {
    let Some(fields) = query.as_object() else {
        return Err(MeiliError::invalid_type(
            "bad_request",
            "",
            "an object",
            query,
        ));
    };
    let index = match fields.get("indexUid") {
        None => return Err(MeiliError::missing_field("missing_index_uid", "indexUid")),
        Some(Value::String(uid)) => uid.clone(),
        Some(other) => {
            return Err(MeiliError::invalid_type(
                "invalid_index_uid",
                ".indexUid",
                "a string",
                other,
            ))
        }
    };
    check_index_uid(&index)?;
    store.authorize_index(req.headers, "search", &index)?;
    let params = SearchParams::parse(query, &["indexUid", "federationOptions"])?;
    let options = fields.get("federationOptions").filter(|v| !v.is_null());
    if federated {
        if let Some(key) = ["limit", "offset", "page", "hitsPerPage"]
            .into_iter()
            .find(|key| fields.contains_key(*key))
        {
            return Err(MeiliError::bad(
                "invalid_multi_search_query_pagination",
                format!("Using pagination options is not allowed in federated queries.\n - Hint: remove `{key}` from query #{i} or remove `federation` from the request\n - Hint: pass `federation.limit` and `federation.offset` for pagination in federated search"),
            ));
        }
        if let Some(facets) = &params.facets {
            return Err(MeiliError::bad(
                "invalid_multi_search_query_facets",
                format!("Using facet options is not allowed in federated queries.\n - Hint: remove `facets` from query #{i} or remove `federation` from the request\n - Hint: pass `federation.facetsByIndex.{index}: {facets:?}` for facets in federated search"),
            ));
        }
    } else if options.is_some() {
        return Err(MeiliError::bad(
            "invalid_multi_search_federation_options",
            format!("Using `federationOptions` is not allowed in a non-federated search.\n - Hint: remove `federationOptions` from query #{i} or add `federation` to the request."),
        ));
    }
    let weight = match options
        .and_then(|o| o.get("weight"))
        .filter(|w| !w.is_null())
    {
        None => 1.0,
        Some(weight) => weight.as_f64().filter(|w| *w >= 0.0).ok_or_else(|| {
            MeiliError::invalid_type(
                "invalid_multi_search_weight",
                ".federationOptions.weight",
                "a positive number",
                weight,
            )
        })?,
    };
    Ok(Query {
        index,
        params,
        weight,
    })
}

fn parse_federation(fields: &Map<String, Value>) -> Result<Federation, MeiliError> {
    let allowed = [
        "limit",
        "offset",
        "page",
        "hitsPerPage",
        "facetsByIndex",
        "mergeFacets",
        "showPerformanceDetails",
    ];
    if let Some(key) = fields.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(MeiliError::unknown_field(key, &allowed));
    }
    let number = |name: &str| -> Result<Option<usize>, MeiliError> {
        match fields.get(name).filter(|v| !v.is_null()) {
            None => Ok(None),
            Some(v) => v.as_u64().map(|n| Some(n as usize)).ok_or_else(|| {
                MeiliError::invalid_type(
                    &format!(
                        "invalid_multi_search_federation_{}",
                        super::errors::snake_case(name)
                    ),
                    &format!(".federation.{name}"),
                    "a positive integer",
                    v,
                )
            }),
        }
    };
    let mut facets_by_index = BTreeMap::new();
    if let Some(by_index) = fields.get("facetsByIndex").filter(|v| !v.is_null()) {
        let wrong = |v: &Value| {
            MeiliError::invalid_type(
                "invalid_multi_search_facets_by_index",
                ".federation.facetsByIndex",
                "an object of arrays of strings",
                v,
            )
        };
        for (index, facets) in by_index.as_object().ok_or_else(|| wrong(by_index))? {
            let facets: Vec<String> = facets
                .as_array()
                .ok_or_else(|| wrong(facets))?
                .iter()
                .map(|f| f.as_str().map(str::to_string).ok_or_else(|| wrong(f)))
                .collect::<Result<_, _>>()?;
            facets_by_index.insert(index.clone(), facets);
        }
    }
    Ok(Federation {
        limit: number("limit")?.unwrap_or(20),
        offset: number("offset")?.unwrap_or(0),
        page: number("page")?,
        hits_per_page: number("hitsPerPage")?,
        facets_by_index,
        merge_facets: fields.get("mergeFacets").is_some_and(|v| !v.is_null()),
    })
}

/// A hit of one of the queries, before merging.
struct Candidate {
    query: usize,
    rank: usize,
    hit: Ranked,
    weighted: f64,
}

fn federated(
    store: &Store,
    queries: &[Query],
    outcomes: &[Outcome],
    federation: &Federation,
    started: Instant,
    request_uid: &str,
) -> Result<Value, MeiliError> {
    let mut candidates = Vec::new();
    for (i, (query, outcome)) in queries.iter().zip(outcomes).enumerate() {
        let cap = settings::max_total_hits(&store.index(&query.index)?.settings);
        for (rank, hit) in outcome.ranked.iter().take(cap).enumerate() {
            candidates.push(Candidate {
                query: i,
                rank,
                hit: *hit,
                weighted: hit.score * query.weight,
            });
        }
    }
    candidates.sort_by(|a, b| {
        b.weighted
            .partial_cmp(&a.weighted)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.query.cmp(&b.query))
            .then(a.rank.cmp(&b.rank))
    });
    // A document found by two queries on the same index appears once, at its best place.
    let mut seen = HashSet::new();
    candidates.retain(|c| seen.insert((queries[c.query].index.clone(), c.hit.doc)));

    let page = (federation.page.is_some() || federation.hits_per_page.is_some()).then(|| {
        (
            federation.page.unwrap_or(1),
            federation.hits_per_page.unwrap_or(20),
        )
    });
    let (range, paging) =
        search::paginate(page, federation.offset, federation.limit, candidates.len());
    let mut hits = Vec::new();
    for candidate in &candidates[range] {
        let query = &queries[candidate.query];
        let index = store.index(&query.index)?;
        let mut hit = search::render_hit(
            index,
            &query.params,
            &outcomes[candidate.query].text,
            &candidate.hit,
        );
        hit.insert(
            "_federation".into(),
            json!({
                "indexUid": query.index,
                "queriesPosition": candidate.query,
                "weightedRankingScore": candidate.weighted,
            }),
        );
        hits.push(Value::Object(hit));
    }
    let mut body = Map::new();
    body.insert("hits".into(), json!(hits));
    body.insert(
        "processingTimeMs".into(),
        json!(started.elapsed().as_millis() as u64),
    );
    body.extend(paging);
    if !federation.facets_by_index.is_empty() {
        let by_index = facets_by_index(store, queries, outcomes, federation)?;
        if federation.merge_facets {
            let (distribution, stats) = merge_facets(&by_index);
            body.insert("facetDistribution".into(), distribution);
            body.insert("facetStats".into(), stats);
        } else {
            body.insert("facetsByIndex".into(), Value::Object(by_index));
        }
    }
    body.insert("requestUid".into(), json!(request_uid));
    Ok(Value::Object(body))
}

/// `facetsByIndex`: per index, the facets over the hits of every query on it.
fn facets_by_index(
    store: &Store,
    queries: &[Query],
    outcomes: &[Outcome],
    federation: &Federation,
) -> Result<Map<String, Value>, MeiliError> {
    let mut out = Map::new();
    for (uid, names) in &federation.facets_by_index {
        let prefix = format!("Inside `.federation.facetsByIndex.{uid}`: ");
        let index = store.index(uid).map_err(|e| e.prefixed(&prefix))?;
        let rules = FilterRules::from_settings(&index.settings);
        let names = search::facet_names(index, names, &rules).map_err(|e| e.prefixed(&prefix))?;
        let mut seen = HashSet::new();
        let hits: Vec<Ranked> = queries
            .iter()
            .zip(outcomes)
            .filter(|(query, _)| &query.index == uid)
            .flat_map(|(_, outcome)| outcome.ranked.iter().copied())
            .filter(|hit| seen.insert(hit.doc))
            .collect();
        let (distribution, stats) = search::facet_distribution(index, &hits, &names);
        out.insert(
            uid.clone(),
            json!({"distribution": distribution, "stats": stats}),
        );
    }
    Ok(out)
}

/// `mergeFacets`: counts added up and ranges widened across indexes.
fn merge_facets(by_index: &Map<String, Value>) -> (Value, Value) {
    let mut distribution: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut stats: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for facets in by_index.values() {
        for (facet, values) in facets["distribution"].as_object().into_iter().flatten() {
            let counts = distribution.entry(facet.clone()).or_default();
            for (value, count) in values.as_object().into_iter().flatten() {
                *counts.entry(value.clone()).or_default() += count.as_u64().unwrap_or(0);
            }
        }
        for (facet, range) in facets["stats"].as_object().into_iter().flatten() {
            let (min, max) = (
                range["min"].as_f64().unwrap_or(0.0),
                range["max"].as_f64().unwrap_or(0.0),
            );
            let entry = stats.entry(facet.clone()).or_insert((min, max));
            *entry = (entry.0.min(min), entry.1.max(max));
        }
    }
    let stats: Map<String, Value> = stats
        .into_iter()
        .map(|(facet, (min, max))| (facet, json!({"min": min, "max": max})))
        .collect();
    (json!(distribution), Value::Object(stats))
}
