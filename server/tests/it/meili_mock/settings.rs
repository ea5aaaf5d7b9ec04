//! Index settings: the full object with its defaults (fixture 07), `PATCH`/`DELETE
//! /indexes/{uid}/settings`, the per-setting routes (`/settings/typo-tolerance`, ...), and
//! the readers the search uses.

use chrono::Utc;
use serde_json::{json, Map, Value};

use super::errors::{snake_case, MeiliError};
use super::routes::{check_index_uid, Reply, Req};
use super::state::{Index, Store};
use super::text::{QueryRules, TypoRules};

/// Every setting, in the order `GET .../settings` lists them.
pub const NAMES: [&str; 20] = [
    "displayedAttributes",
    "searchableAttributes",
    "filterableAttributes",
    "sortableAttributes",
    "rankingRules",
    "stopWords",
    "nonSeparatorTokens",
    "separatorTokens",
    "dictionary",
    "synonyms",
    "distinctAttribute",
    "proximityPrecision",
    "typoTolerance",
    "faceting",
    "pagination",
    "embedders",
    "searchCutoffMs",
    "localizedAttributes",
    "facetSearch",
    "prefixSearch",
];

/// A new index's settings, as a real 1.50 reports them (fixture 07 shows them after an update).
pub fn defaults() -> Map<String, Value> {
    let defaults = json!({
        "displayedAttributes": ["*"],
        "searchableAttributes": ["*"],
        "filterableAttributes": [],
        "sortableAttributes": [],
        "rankingRules": ["words", "typo", "proximity", "attributeRank", "sort", "wordPosition", "exactness"],
        "stopWords": [],
        "nonSeparatorTokens": [],
        "separatorTokens": [],
        "dictionary": [],
        "synonyms": {},
        "distinctAttribute": null,
        "proximityPrecision": "byWord",
        "typoTolerance": {
            "enabled": true,
            "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
            "disableOnWords": [],
            "disableOnAttributes": [],
            "disableOnNumbers": false
        },
        "faceting": {"maxValuesPerFacet": 100, "sortFacetValuesBy": {"*": "alpha"}},
        "pagination": {"maxTotalHits": 1000},
        "embedders": {},
        "searchCutoffMs": null,
        "localizedAttributes": null,
        "facetSearch": true,
        "prefixSearch": "indexingTime"
    });
    match defaults {
        Value::Object(map) => map,
        _ => unreachable!("the defaults are an object"),
    }
}

/// The settings whose sub-route takes `PATCH` (they merge); the others take `PUT`.
fn merges(name: &str) -> bool {
    matches!(
        name,
        "typoTolerance" | "faceting" | "pagination" | "embedders"
    )
}

/// `typo-tolerance` → `typoTolerance`.
fn setting_of_route(route: &str) -> Option<&'static str> {
    NAMES.into_iter().find(|name| {
        let kebab: String = name
            .chars()
            .flat_map(|c| {
                if c.is_ascii_uppercase() {
                    vec!['-', c.to_ascii_lowercase()]
                } else {
                    vec![c]
                }
            })
            .collect();
        kebab == route
    })
}

/// `/indexes/{uid}/settings` and `/indexes/{uid}/settings/{name}`; `None` for what the real
/// server does not route (an unknown setting, `PUT` on a merging one, ...).
pub fn route(store: &mut Store, req: &Req, uid: &str, sub: Option<&str>) -> Option<Reply> {
    let name = match sub {
        None => None,
        Some(route) => Some(setting_of_route(route)?),
    };
    let routed = match (req.method, name) {
        ("GET" | "DELETE", _) | ("PATCH", None) => true,
        ("PATCH", Some(name)) => merges(name),
        ("PUT", Some(name)) => !merges(name),
        _ => false,
    };
    routed.then(|| handle(store, req, uid, name))
}

fn handle(store: &mut Store, req: &Req, uid: &str, name: Option<&'static str>) -> Reply {
    let action = if req.method == "GET" {
        "settings.get"
    } else {
        "settings.update"
    };
    store.authorize_index(req.headers, action, uid)?;
    check_index_uid(uid)?;
    if req.method == "GET" {
        let settings = &store.index(uid)?.settings;
        let body = match name {
            None => Value::Object(settings.clone()),
            Some(name) => settings.get(name).cloned().unwrap_or(Value::Null),
        };
        return Ok((200, body));
    }
    let update: Map<String, Value> = match (req.method, name) {
        ("DELETE", None) => NAMES.iter().map(|n| (n.to_string(), Value::Null)).collect(),
        ("DELETE", Some(name)) => [(name.to_string(), Value::Null)].into_iter().collect(),
        (_, None) => match req.json()? {
            Value::Object(update) => update,
            other => {
                return Err(MeiliError::invalid_type(
                    "bad_request",
                    "",
                    "an object",
                    &other,
                ))
            }
        },
        (_, Some(name)) => [(name.to_string(), req.json()?)].into_iter().collect(),
    };
    validate(&update)?;
    // Updating the settings of a missing index creates it, as on the real server.
    let index = store
        .indexes
        .entry(uid.to_string())
        .or_insert_with(|| Index::new(uid, None));
    apply(&mut index.settings, &update);
    index.updated_at = Utc::now();
    let details = Value::Object(update);
    Ok(store.enqueue(Some(uid), "settingsUpdate", details.clone(), Ok(details)))
}

/// Checks an update's shape as the real server does on receipt (400 before any task).
pub fn validate(update: &Map<String, Value>) -> Result<(), MeiliError> {
    for (name, value) in update {
        if !NAMES.contains(&name.as_str()) {
            return Err(MeiliError::unknown_field(name, &NAMES));
        }
        if value.is_null() {
            continue;
        }
        let code = format!("invalid_settings_{}", snake_case(name));
        let at = format!(".{name}");
        let wrong =
            |expected: &str, found: &Value| MeiliError::invalid_type(&code, &at, expected, found);
        match name.as_str() {
            "displayedAttributes"
            | "searchableAttributes"
            | "sortableAttributes"
            | "stopWords"
            | "nonSeparatorTokens"
            | "separatorTokens"
            | "dictionary" => {
                string_list(value, &code, &at)?;
            }
            "rankingRules" => {
                for (i, rule) in string_list(value, &code, &at)?.iter().enumerate() {
                    if !valid_ranking_rule(rule) {
                        return Err(MeiliError::bad(&code, format!(
                            "Invalid value at `.rankingRules[{i}]`: `{rule}` ranking rule is invalid. Valid ranking rules are words, typo, sort, proximity, attribute, exactness and custom ranking rules."
                        )));
                    }
                }
            }
            "filterableAttributes" => {
                let rules = value.as_array().ok_or_else(|| wrong("an array", value))?;
                for (i, rule) in rules.iter().enumerate() {
                    let patterns = match rule {
                        Value::String(_) => continue,
                        Value::Object(object) => object.get("attributePatterns"),
                        other => {
                            return Err(MeiliError::invalid_type(
                                &code,
                                &format!("{at}[{i}]"),
                                "a string or an object",
                                other,
                            ))
                        }
                    };
                    match patterns {
                        Some(patterns) => {
                            string_list(patterns, &code, &format!("{at}[{i}].attributePatterns"))?;
                        }
                        None => return Err(MeiliError::missing_field(&code, "attributePatterns")),
                    }
                }
            }
            "synonyms" => {
                let synonyms = value.as_object().ok_or_else(|| wrong("an object", value))?;
                for (word, list) in synonyms {
                    string_list(list, &code, &format!("{at}.{word}"))?;
                }
            }
            "distinctAttribute" | "proximityPrecision" | "prefixSearch" => {
                let text = value.as_str().ok_or_else(|| wrong("a string", value))?;
                let allowed: &[&str] = match name.as_str() {
                    "proximityPrecision" => &["byWord", "byAttribute"],
                    "prefixSearch" => &["indexingTime", "disabled"],
                    _ => &[],
                };
                if !allowed.is_empty() && !allowed.contains(&text) {
                    let allowed: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
                    return Err(MeiliError::bad(
                        &code,
                        format!(
                            "Unknown value `{text}` at `{at}`: expected one of {}",
                            allowed.join(", ")
                        ),
                    ));
                }
            }
            "typoTolerance" | "faceting" | "pagination" | "embedders" => {
                let object = value.as_object().ok_or_else(|| wrong("an object", value))?;
                for field in ["maxTotalHits", "maxValuesPerFacet"] {
                    if let Some(number) = object.get(field).filter(|v| !v.is_null()) {
                        if number.as_u64().is_none() {
                            return Err(MeiliError::invalid_type(
                                &code,
                                &format!("{at}.{field}"),
                                "a positive integer",
                                number,
                            ));
                        }
                    }
                }
            }
            "searchCutoffMs" => {
                value
                    .as_u64()
                    .ok_or_else(|| wrong("a positive integer", value))?;
            }
            "localizedAttributes" => {
                value.as_array().ok_or_else(|| wrong("an array", value))?;
            }
            "facetSearch" => {
                value.as_bool().ok_or_else(|| wrong("a boolean", value))?;
            }
            _ => {}
        }
    }
    Ok(())
}

fn string_list(value: &Value, code: &str, at: &str) -> Result<Vec<String>, MeiliError> {
    let items = value
        .as_array()
        .ok_or_else(|| MeiliError::invalid_type(code, at, "an array", value))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.as_str().map(str::to_string).ok_or_else(|| {
                MeiliError::invalid_type(code, &format!("{at}[{i}]"), "a string", item)
            })
        })
        .collect()
}

fn valid_ranking_rule(rule: &str) -> bool {
    matches!(
        rule,
        "words"
            | "typo"
            | "proximity"
            | "attribute"
            | "attributeRank"
            | "sort"
            | "wordPosition"
            | "exactness"
    ) || rule
        .rsplit_once(':')
        .is_some_and(|(attr, order)| !attr.is_empty() && matches!(order, "asc" | "desc"))
}

/// The task's work: `null` resets a setting; object settings merge into the current ones;
/// set-like lists come back sorted (fixture 07 sorts `sortableAttributes`).
pub fn apply(settings: &mut Map<String, Value>, update: &Map<String, Value>) {
    let defaults = defaults();
    for (name, value) in update {
        let default = defaults.get(name).cloned().unwrap_or(Value::Null);
        let new = if value.is_null() {
            default
        } else {
            match name.as_str() {
                "sortableAttributes" | "stopWords" | "nonSeparatorTokens" | "separatorTokens"
                | "dictionary" => {
                    let mut items: Vec<String> = value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect();
                    items.sort();
                    items.dedup();
                    json!(items)
                }
                _ if merges(name) => {
                    let mut merged = merge(settings.get(name).unwrap_or(&default), value, &default);
                    if name == "embedders" {
                        // `null` removes an embedder.
                        if let Value::Object(embedders) = &mut merged {
                            embedders.retain(|_, v| !v.is_null());
                        }
                    }
                    merged
                }
                _ => value.clone(),
            }
        };
        settings.insert(name.clone(), new);
    }
}

/// `patch` over `current`, recursively for objects; a `null` field takes its default.
fn merge(current: &Value, patch: &Value, default: &Value) -> Value {
    match (current, patch) {
        (Value::Object(current), Value::Object(patch)) => {
            let mut out = current.clone();
            for (key, value) in patch {
                let default = default.get(key).cloned().unwrap_or(Value::Null);
                let new = if value.is_null() {
                    default
                } else {
                    merge(current.get(key).unwrap_or(&Value::Null), value, &default)
                };
                out.insert(key.clone(), new);
            }
            Value::Object(out)
        }
        _ => patch.clone(),
    }
}

pub fn strings(settings: &Map<String, Value>, name: &str) -> Vec<String> {
    settings
        .get(name)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn number(settings: &Map<String, Value>, setting: &str, field: &str, default: u64) -> u64 {
    settings
        .get(setting)
        .and_then(|s| s.get(field))
        .and_then(Value::as_u64)
        .unwrap_or(default)
}

/// `pagination.maxTotalHits`: no search reaches further, and totals stop there.
pub fn max_total_hits(settings: &Map<String, Value>) -> usize {
    number(settings, "pagination", "maxTotalHits", 1000) as usize
}

pub fn max_values_per_facet(settings: &Map<String, Value>) -> usize {
    number(settings, "faceting", "maxValuesPerFacet", 100) as usize
}

/// `alpha` or `count`, from `faceting.sortFacetValuesBy`.
pub fn facet_order(settings: &Map<String, Value>, facet: &str) -> String {
    let by = settings
        .get("faceting")
        .and_then(|f| f.get("sortFacetValuesBy"));
    by.and_then(|b| b.get(facet).or_else(|| b.get("*")))
        .and_then(Value::as_str)
        .unwrap_or("alpha")
        .to_string()
}

pub fn distinct_attribute(settings: &Map<String, Value>) -> Option<String> {
    settings
        .get("distinctAttribute")
        .and_then(Value::as_str)
        .map(str::to_string)
}

pub fn typo_disabled_attributes(settings: &Map<String, Value>) -> Vec<String> {
    settings
        .get("typoTolerance")
        .and_then(|t| t.get("disableOnAttributes"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// What the query parser needs from the settings: typo rules, synonyms, stop words.
pub fn query_rules(settings: &Map<String, Value>) -> QueryRules {
    let typo = settings
        .get("typoTolerance")
        .cloned()
        .unwrap_or(Value::Null);
    let sizes = typo.get("minWordSizeForTypos");
    let size = |field: &str, default: u64| {
        sizes
            .and_then(|s| s.get(field))
            .and_then(Value::as_u64)
            .unwrap_or(default) as usize
    };
    let words = |field: &str| -> Vec<String> {
        typo.get(field)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_lowercase))
                    .collect()
            })
            .unwrap_or_default()
    };
    let synonyms = settings
        .get("synonyms")
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .map(|(word, list)| {
                    let list = list
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|v| v.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    (word.clone(), list)
                })
                .collect()
        })
        .unwrap_or_default();
    QueryRules {
        typo: TypoRules {
            enabled: typo.get("enabled").and_then(Value::as_bool).unwrap_or(true),
            one_typo: size("oneTypo", 5),
            two_typos: size("twoTypos", 9),
            disabled_words: words("disableOnWords"),
            disabled_on_numbers: typo
                .get("disableOnNumbers")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        },
        synonyms,
        stop_words: strings(settings, "stopWords")
            .into_iter()
            .map(|w| w.to_lowercase())
            .collect(),
    }
}
