//! The search parameters: defaults, types and the real server's messages for bad ones.

use serde_json::{json, Map, Value};

use crate::meili_mock::errors::{snake_case, MeiliError};

/// The parameters a search accepts (others are a 400 `bad_request`).
pub const FIELDS: [&str; 29] = [
    "q",
    "vector",
    "offset",
    "limit",
    "page",
    "hitsPerPage",
    "attributesToRetrieve",
    "retrieveVectors",
    "attributesToCrop",
    "cropLength",
    "attributesToHighlight",
    "showMatchesPosition",
    "showRankingScore",
    "showRankingScoreDetails",
    "filter",
    "sort",
    "distinct",
    "facets",
    "highlightPreTag",
    "highlightPostTag",
    "cropMarker",
    "matchingStrategy",
    "attributesToSearchOn",
    "hybrid",
    "rankingScoreThreshold",
    "locales",
    "media",
    "exhaustiveFacetCount",
    "showPerformanceDetails",
];

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Strategy {
    /// The mock's `last` and `frequency`: a document matching any query word is a hit.
    Any,
    /// `all`: every query word must match.
    All,
}

#[derive(Debug, Clone)]
pub struct SearchParams {
    pub q: String,
    pub offset: usize,
    pub limit: usize,
    pub page: Option<usize>,
    pub hits_per_page: Option<usize>,
    pub filter: Option<Value>,
    pub facets: Option<Vec<String>>,
    pub sort: Vec<String>,
    pub attributes_to_retrieve: Option<Vec<String>>,
    pub attributes_to_highlight: Vec<String>,
    pub attributes_to_crop: Vec<String>,
    pub crop_length: usize,
    pub crop_marker: String,
    pub highlight_pre_tag: String,
    pub highlight_post_tag: String,
    pub show_ranking_score: bool,
    pub show_matches_position: bool,
    pub strategy: Strategy,
    pub attributes_to_search_on: Option<Vec<String>>,
    pub distinct: Option<String>,
    pub ranking_score_threshold: Option<f64>,
}

/// A parameter, `null` counting as absent.
fn field<'a>(body: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    body.get(name).filter(|v| !v.is_null())
}

fn wrong_type(name: &str, expected: &str, found: &Value) -> MeiliError {
    MeiliError::invalid_type(
        &format!("invalid_search_{}", snake_case(name)),
        &format!(".{name}"),
        expected,
        found,
    )
}

fn number(body: &Map<String, Value>, name: &str) -> Result<Option<usize>, MeiliError> {
    field(body, name)
        .map(|v| {
            v.as_u64()
                .map(|n| n as usize)
                .ok_or_else(|| wrong_type(name, "a positive integer", v))
        })
        .transpose()
}

fn string(body: &Map<String, Value>, name: &str) -> Result<Option<String>, MeiliError> {
    field(body, name)
        .map(|v| {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| wrong_type(name, "a string", v))
        })
        .transpose()
}

fn flag(body: &Map<String, Value>, name: &str) -> Result<bool, MeiliError> {
    field(body, name)
        .map(|v| v.as_bool().ok_or_else(|| wrong_type(name, "a boolean", v)))
        .transpose()
        .map(|b| b.unwrap_or(false))
}

fn strings(body: &Map<String, Value>, name: &str) -> Result<Option<Vec<String>>, MeiliError> {
    field(body, name)
        .map(|v| {
            let items = v
                .as_array()
                .ok_or_else(|| wrong_type(name, "an array", v))?;
            items
                .iter()
                .map(|item| {
                    item.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| wrong_type(name, "an array of strings", v))
                })
                .collect()
        })
        .transpose()
}

impl SearchParams {
    /// Reads a search body; `extra` are fields a multi-search query may add.
    pub fn parse(body: &Value, extra: &[&str]) -> Result<Self, MeiliError> {
        let Some(body) = body.as_object() else {
            return Err(MeiliError::invalid_type(
                "bad_request",
                "",
                "an object",
                body,
            ));
        };
        for key in body.keys() {
            if !FIELDS.contains(&key.as_str()) && !extra.contains(&key.as_str()) {
                let expected: Vec<&str> = FIELDS.iter().chain(extra).copied().collect();
                return Err(MeiliError::unknown_field(key, &expected));
            }
        }
        let strategy = match string(body, "matchingStrategy")?.as_deref() {
            None | Some("last" | "frequency") => Strategy::Any,
            Some("all") => Strategy::All,
            Some(other) => {
                return Err(MeiliError::bad(
                    "invalid_search_matching_strategy",
                    format!("Unknown value `{other}` at `.matchingStrategy`: expected one of `last`, `all`, `frequency`"),
                ))
            }
        };
        let threshold = match field(body, "rankingScoreThreshold") {
            None => None,
            Some(v) => match v.as_f64() {
                Some(t) if (0.0..=1.0).contains(&t) => Some(t),
                _ => return Err(MeiliError::bad(
                    "invalid_search_ranking_score_threshold",
                    "Invalid value at `.rankingScoreThreshold`: the value of `rankingScoreThreshold` is invalid, expected a float between `0.0` and `1.0`.",
                )),
            },
        };
        Ok(SearchParams {
            q: string(body, "q")?.unwrap_or_default(),
            offset: number(body, "offset")?.unwrap_or(0),
            limit: number(body, "limit")?.unwrap_or(20),
            page: number(body, "page")?,
            hits_per_page: number(body, "hitsPerPage")?,
            filter: field(body, "filter").cloned(),
            facets: strings(body, "facets")?,
            sort: strings(body, "sort")?.unwrap_or_default(),
            attributes_to_retrieve: strings(body, "attributesToRetrieve")?,
            attributes_to_highlight: strings(body, "attributesToHighlight")?.unwrap_or_default(),
            attributes_to_crop: strings(body, "attributesToCrop")?.unwrap_or_default(),
            crop_length: number(body, "cropLength")?.unwrap_or(10),
            crop_marker: string(body, "cropMarker")?.unwrap_or_else(|| "…".to_string()),
            highlight_pre_tag: string(body, "highlightPreTag")?
                .unwrap_or_else(|| "<em>".to_string()),
            highlight_post_tag: string(body, "highlightPostTag")?
                .unwrap_or_else(|| "</em>".to_string()),
            show_ranking_score: flag(body, "showRankingScore")?,
            show_matches_position: flag(body, "showMatchesPosition")?,
            strategy,
            attributes_to_search_on: strings(body, "attributesToSearchOn")?,
            distinct: string(body, "distinct")?,
            ranking_score_threshold: threshold,
        })
    }

    pub fn paged(&self) -> bool {
        self.page.is_some() || self.hits_per_page.is_some()
    }
}

/// `GET /indexes/{uid}/search?q=...`: lists are comma-separated, numbers and booleans parsed.
pub(super) fn params_from_query(query: &[(String, String)]) -> Value {
    let mut body = Map::new();
    for (name, raw) in query {
        let value = match name.as_str() {
            "offset" | "limit" | "page" | "hitsPerPage" | "cropLength" => {
                raw.parse::<u64>().map_or_else(|_| json!(raw), |n| json!(n))
            }
            "rankingScoreThreshold" => raw.parse::<f64>().map_or_else(|_| json!(raw), |n| json!(n)),
            "showRankingScore"
            | "showMatchesPosition"
            | "showRankingScoreDetails"
            | "retrieveVectors" => raw
                .parse::<bool>()
                .map_or_else(|_| json!(raw), |b| json!(b)),
            "facets"
            | "attributesToRetrieve"
            | "attributesToHighlight"
            | "attributesToCrop"
            | "sort"
            | "attributesToSearchOn"
            | "locales" => {
                json!(raw
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>())
            }
            _ => json!(raw),
        };
        body.insert(name.clone(), value);
    }
    Value::Object(body)
}
