//! `facetDistribution` and `facetStats`.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{json, Map, Value};

use super::Ranked;
use crate::meili_mock::errors::MeiliError;
use crate::meili_mock::filter::FilterRules;
use crate::meili_mock::settings;
use crate::meili_mock::state::{leaves, values_at, Index};

/// The facets asked for (`*`: every filterable field), all of which must be filterable.
pub fn facet_names(
    index: &Index,
    asked: &[String],
    rules: &FilterRules,
) -> Result<Vec<String>, MeiliError> {
    if asked.iter().any(|f| f == "*") {
        return Ok(index
            .fields
            .iter()
            .filter(|f| rules.filterable(f))
            .cloned()
            .collect());
    }
    let invalid: BTreeSet<&String> = asked.iter().filter(|f| !rules.filterable(f)).collect();
    if invalid.is_empty() {
        return Ok(asked.to_vec());
    }
    let patterns = rules.patterns();
    let available = if patterns.is_empty() {
        "This index does not have configured filterable attributes.".to_string()
    } else {
        format!(
            "Available filterable attributes patterns are: `{}`.",
            patterns.join(", ")
        )
    };
    let names: Vec<&str> = invalid.iter().map(|s| s.as_str()).collect();
    let message = if names.len() == 1 {
        format!(
            "Invalid facet distribution: Attribute `{}` is not filterable. {available}",
            names[0]
        )
    } else {
        format!(
            "Invalid facet distribution: Attributes `{}` are not filterable. {available}",
            names.join(", ")
        )
    };
    Err(MeiliError::bad("invalid_search_facets", message).in_index(&index.uid))
}

/// How facet values are ordered: numbers numerically, then strings.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum FacetOrder {
    Number(f64),
    Text(String),
}

/// `facetDistribution` (value → documents having it) and `facetStats` (min/max of
/// numeric facets) over the hits.
pub fn facet_distribution(
    index: &Index,
    hits: &[Ranked],
    names: &[String],
) -> (Map<String, Value>, Map<String, Value>) {
    let max_values = settings::max_values_per_facet(&index.settings);
    let mut distribution = Map::new();
    let mut stats = Map::new();
    for name in names {
        // Normalized value → (display, order, count).
        let mut counts: HashMap<String, (String, FacetOrder, usize)> = HashMap::new();
        let mut range: Option<(f64, f64)> = None;
        for hit in hits {
            let mut in_document = HashSet::new();
            for value in leaves(values_at(&index.documents[hit.doc], name)) {
                let (key, display, order) = match value {
                    Value::String(s) => (
                        format!("s{}", s.to_lowercase()),
                        s.clone(),
                        FacetOrder::Text(s.to_lowercase()),
                    ),
                    Value::Bool(b) => (
                        format!("s{b}"),
                        b.to_string(),
                        FacetOrder::Text(b.to_string()),
                    ),
                    Value::Number(n) => {
                        let f = n.as_f64().unwrap_or(0.0);
                        range = Some(range.map_or((f, f), |(lo, hi)| (lo.min(f), hi.max(f))));
                        (format!("n{f}"), number_display(n), FacetOrder::Number(f))
                    }
                    _ => continue,
                };
                if in_document.insert(key.clone()) {
                    counts.entry(key).or_insert((display, order, 0)).2 += 1;
                }
            }
        }
        let mut entries: Vec<(String, FacetOrder, usize)> = counts.into_values().collect();
        let by_order = |a: &FacetOrder, b: &FacetOrder| a.partial_cmp(b).unwrap_or(Ordering::Equal);
        if settings::facet_order(&index.settings, name) == "count" {
            entries.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| by_order(&a.1, &b.1)));
        } else {
            entries.sort_by(|a, b| by_order(&a.1, &b.1));
        }
        entries.truncate(max_values);
        let values: Map<String, Value> = entries
            .into_iter()
            .map(|(display, _, count)| (display, json!(count)))
            .collect();
        distribution.insert(name.clone(), Value::Object(values));
        if let Some((min, max)) = range {
            stats.insert(name.clone(), json!({"min": min, "max": max}));
        }
    }
    (distribution, stats)
}

/// Facet values of numbers: integers without a decimal point.
fn number_display(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if !(n.is_i64() || n.is_u64()) && f.fract() == 0.0 && f.abs() < 1e15 => {
            format!("{}", f as i64)
        }
        _ => n.to_string(),
    }
}
