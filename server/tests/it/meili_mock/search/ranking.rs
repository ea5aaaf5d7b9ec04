//! Which documents match a query and in what order. Ranking follows the index's
//! `rankingRules` in order, with simplified rules: `words` (query words matched, more
//! first), `typo` (fewer first), `attribute`/`attributeRank` (match in an earlier
//! searchable attribute first), `sort` (the `sort` parameter) and custom `attr:asc|desc`
//! rules; `proximity`, `wordPosition` and `exactness` are not modelled. Ties keep the order
//! documents were added in. `_rankingScore` is 1 for a document matching every word
//! without typos in the first attribute, lower otherwise.

use std::cmp::Ordering;

use serde_json::Value;

use super::params::Strategy;
use crate::meili_mock::errors::MeiliError;
use crate::meili_mock::settings;
use crate::meili_mock::state::{leaves, values_at, Document, Index};
use crate::meili_mock::text::{Prepared, TextQuery};

/// How a document matched the query.
#[derive(Debug, Clone, Copy)]
pub(super) struct DocMatch {
    pub(super) words: usize,
    pub(super) typos: usize,
    pub(super) attribute: usize,
}

pub(super) fn score(m: &DocMatch, groups: usize, attributes: usize) -> f64 {
    if groups == 0 {
        return 1.0;
    }
    // Words first; within the same number of words, typos then attribute, each lowering
    // the score less than one word would.
    let max_typos = 2 * groups;
    let attributes = attributes.max(1);
    let steps = (max_typos + 1) * attributes;
    let position = m.typos.min(max_typos) * attributes + m.attribute.min(attributes - 1);
    let within = 1.0 - position as f64 / steps as f64;
    ((m.words.max(1) - 1) as f64 + within) / groups as f64
}

/// A document's texts in one attribute: strings, numbers and booleans, nested ones too.
pub(super) fn attribute_texts(doc: &Document, attribute: &str) -> Vec<String> {
    fn push(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(s) => out.push(s.clone()),
            Value::Number(n) => out.push(n.to_string()),
            Value::Bool(b) => out.push(b.to_string()),
            Value::Array(items) => items.iter().for_each(|v| push(v, out)),
            Value::Object(fields) => fields.values().for_each(|v| push(v, out)),
            Value::Null => {}
        }
    }
    let mut out = Vec::new();
    values_at(doc, attribute)
        .into_iter()
        .for_each(|v| push(v, &mut out));
    out
}

pub(super) fn match_document(
    doc: &Document,
    text: &TextQuery,
    searchable: &[String],
    typo_off: &[String],
    strategy: Strategy,
) -> Option<DocMatch> {
    let mut best: Vec<Option<(usize, usize)>> = vec![None; text.groups.len()];
    for (rank, attribute) in searchable.iter().enumerate() {
        let allow_typos = !typo_off.contains(attribute);
        for value in attribute_texts(doc, attribute) {
            let prepared = Prepared::new(&value);
            if text.excludes(&prepared) {
                return None;
            }
            for (group, typos) in text
                .group_typos(&prepared, allow_typos)
                .into_iter()
                .enumerate()
            {
                if let Some(typos) = typos {
                    if best[group].is_none_or(|b| (typos, rank) < b) {
                        best[group] = Some((typos, rank));
                    }
                }
            }
        }
    }
    let found: Vec<(usize, usize)> = best.into_iter().flatten().collect();
    if text.is_placeholder() {
        return Some(DocMatch {
            words: 0,
            typos: 0,
            attribute: 0,
        });
    }
    if found.is_empty() || (strategy == Strategy::All && found.len() < text.groups.len()) {
        return None;
    }
    Some(DocMatch {
        words: found.len(),
        typos: found.iter().map(|(typos, _)| typos).sum(),
        attribute: found.iter().map(|(_, rank)| *rank).min().unwrap_or(0),
    })
}

pub(super) fn rank_order(
    index: &Index,
    rules: &[String],
    sort: &[SortRule],
    a: &(usize, DocMatch),
    b: &(usize, DocMatch),
) -> Ordering {
    let (doc_a, doc_b) = (&index.documents[a.0], &index.documents[b.0]);
    for rule in rules {
        let order = match rule.as_str() {
            "words" => b.1.words.cmp(&a.1.words),
            "typo" => a.1.typos.cmp(&b.1.typos),
            "attribute" | "attributeRank" => a.1.attribute.cmp(&b.1.attribute),
            "sort" => sort
                .iter()
                .map(|s| s.compare(doc_a, doc_b))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal),
            custom => parse_sort_rule(custom).map_or(Ordering::Equal, |s| s.compare(doc_a, doc_b)),
        };
        if order.is_ne() {
            return order;
        }
    }
    Ordering::Equal
}

pub struct SortRule {
    attribute: String,
    descending: bool,
}

enum SortKey {
    Number(f64),
    Text(String),
}

impl SortRule {
    /// Numbers before strings; documents without the attribute last either way.
    fn key(&self, doc: &Document) -> Option<SortKey> {
        let values = leaves(values_at(doc, &self.attribute));
        let pick = |a: f64, b: f64| if self.descending { a.max(b) } else { a.min(b) };
        let number = values.iter().filter_map(|v| v.as_f64()).reduce(pick);
        if let Some(n) = number {
            return Some(SortKey::Number(n));
        }
        let texts = values.iter().filter_map(|v| match v {
            Value::String(s) => Some(s.to_lowercase()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        });
        let text = if self.descending {
            texts.max()
        } else {
            texts.min()
        };
        text.map(SortKey::Text)
    }

    fn compare(&self, a: &Document, b: &Document) -> Ordering {
        let directed = |o: Ordering| if self.descending { o.reverse() } else { o };
        match (self.key(a), self.key(b)) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(SortKey::Number(x)), Some(SortKey::Number(y))) => {
                directed(x.partial_cmp(&y).unwrap_or(Ordering::Equal))
            }
            (Some(SortKey::Number(_)), Some(SortKey::Text(_))) => Ordering::Less,
            (Some(SortKey::Text(_)), Some(SortKey::Number(_))) => Ordering::Greater,
            (Some(SortKey::Text(x)), Some(SortKey::Text(y))) => directed(x.cmp(&y)),
        }
    }
}

pub(super) fn parse_sort_rule(text: &str) -> Option<SortRule> {
    let (attribute, order) = text.rsplit_once(':')?;
    let descending = match order {
        "asc" => false,
        "desc" => true,
        _ => return None,
    };
    (!attribute.is_empty()).then(|| SortRule {
        attribute: attribute.to_string(),
        descending,
    })
}

pub(super) fn parse_sort(sort: &[String]) -> Result<Vec<SortRule>, MeiliError> {
    sort.iter()
        .map(|text| {
            if text.starts_with("_geoPoint(") {
                return Err(MeiliError::bad(
                    "invalid_search_sort",
                    "The Meilisearch mock does not support geo sorting.",
                ));
            }
            parse_sort_rule(text).ok_or_else(|| {
                MeiliError::bad(
                    "invalid_search_sort",
                    format!("Invalid syntax for the sort parameter: expected expression ending by `:asc` or `:desc`, found `{text}`."),
                )
            })
        })
        .collect()
}

pub(super) fn check_sortable(index: &Index, sort: &[SortRule]) -> Result<(), MeiliError> {
    let sortable = settings::strings(&index.settings, "sortableAttributes");
    for rule in sort {
        let allowed = sortable.iter().any(|s| {
            s == &rule.attribute
                || rule
                    .attribute
                    .strip_prefix(s.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        });
        if !allowed {
            let available = if sortable.is_empty() {
                "This index does not have configured sortable attributes.".to_string()
            } else {
                format!(
                    "Available sortable attributes are: `{}`.",
                    sortable.join(", ")
                )
            };
            return Err(MeiliError::bad(
                "invalid_search_sort",
                format!(
                    "Attribute `{}` is not sortable. {available}",
                    rule.attribute
                ),
            )
            .in_index(&index.uid));
        }
    }
    Ok(())
}

/// The attributes a search looks in, in ranking order.
pub(super) fn searchable_attributes(
    index: &Index,
    search_on: Option<&[String]>,
) -> Result<Vec<String>, MeiliError> {
    let all = index.searchable_attributes();
    let Some(asked) = search_on.filter(|a| !a.iter().any(|a| a == "*")) else {
        return Ok(all);
    };
    let everything = settings::strings(&index.settings, "searchableAttributes")
        .iter()
        .any(|a| a == "*");
    if everything {
        return Ok(asked.to_vec());
    }
    if let Some(unknown) = asked.iter().find(|a| !all.contains(a)) {
        return Err(MeiliError::bad(
            "invalid_search_attributes_to_search_on",
            format!(
                "Attribute `{unknown}` is not searchable. Available searchable attributes are: `{}`.",
                all.join(", ")
            ),
        )
        .in_index(&index.uid));
    }
    Ok(all.into_iter().filter(|a| asked.contains(a)).collect())
}
