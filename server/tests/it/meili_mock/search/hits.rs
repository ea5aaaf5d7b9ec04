//! Rendering a hit: the displayed and retrieved attributes, `_formatted` (highlighted and
//! cropped, numbers as strings), `_matchesPosition` and `_rankingScore`.

use serde_json::{json, Map, Value};

use super::{Ranked, SearchParams};
use crate::meili_mock::settings;
use crate::meili_mock::state::{select, Index};
use crate::meili_mock::text::{self, TextQuery};

/// A hit: the displayed, retrieved attributes, and `_formatted`, `_matchesPosition`,
/// `_rankingScore` as asked.
pub fn render_hit(
    index: &Index,
    params: &SearchParams,
    text: &TextQuery,
    hit: &Ranked,
) -> Map<String, Value> {
    let displayed = settings::strings(&index.settings, "displayedAttributes");
    let visible = select(&index.documents[hit.doc], Some(&displayed));
    let mut out = select(&visible, params.attributes_to_retrieve.as_deref());
    if !params.attributes_to_highlight.is_empty() || !params.attributes_to_crop.is_empty() {
        let formatted: Map<String, Value> = visible
            .iter()
            .filter(|(key, _)| {
                out.contains_key(*key)
                    || covers(&params.attributes_to_highlight, key)
                    || crop_length(params, key).is_some()
            })
            .map(|(key, value)| (key.clone(), format_value(key, value, params, text)))
            .collect();
        out.insert("_formatted".into(), Value::Object(formatted));
    }
    if params.show_matches_position {
        let mut positions = Map::new();
        for (key, value) in &visible {
            let Some(s) = value.as_str() else { continue };
            let found = text::byte_positions(s, &text.spans(s));
            if !found.is_empty() {
                let found: Vec<Value> = found
                    .into_iter()
                    .map(|(start, length)| json!({"start": start, "length": length}))
                    .collect();
                positions.insert(key.clone(), json!(found));
            }
        }
        out.insert("_matchesPosition".into(), Value::Object(positions));
    }
    if params.show_ranking_score {
        out.insert("_rankingScore".into(), json!(hit.score));
    }
    out
}

/// `list` names `path` (or a parent of it), or is `*`.
fn covers(list: &[String], path: &str) -> bool {
    list.iter().any(|a| {
        a == "*"
            || a == path
            || path
                .strip_prefix(a.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// The crop length for `path`: `attributesToCrop` entries are `attr` or `attr:length`.
fn crop_length(params: &SearchParams, path: &str) -> Option<usize> {
    params.attributes_to_crop.iter().find_map(|entry| {
        let (name, length) = match entry.rsplit_once(':') {
            Some((name, length)) => (name, length.parse().unwrap_or(params.crop_length)),
            None => (entry.as_str(), params.crop_length),
        };
        covers(&[name.to_string()], path).then_some(length)
    })
}

/// A `_formatted` value: strings highlighted/cropped as asked, numbers as strings
/// (fixture 11), booleans and null as they are.
fn format_value(path: &str, value: &Value, params: &SearchParams, text: &TextQuery) -> Value {
    match value {
        Value::String(s) => {
            let highlight = covers(&params.attributes_to_highlight, path);
            let crop = crop_length(params, path);
            if !highlight && crop.is_none() {
                return value.clone();
            }
            let tags = (
                params.highlight_pre_tag.as_str(),
                params.highlight_post_tag.as_str(),
            );
            Value::String(text::format(
                s,
                &text.spans(s),
                highlight.then_some(tags),
                crop.map(|length| (length, params.crop_marker.as_str())),
            ))
        }
        Value::Number(n) => Value::String(n.to_string()),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| format_value(path, v, params, text))
                .collect(),
        ),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        format_value(&format!("{path}.{k}"), v, params, text),
                    )
                })
                .collect(),
        ),
        other => other.clone(),
    }
}
