//! Filter evaluation over JSON documents, with Meilisearch's semantics: an array matches
//! if an element does, strings compare case-insensitively, `!=` includes documents
//! without the attribute.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::{Expr, Op, Token};
use crate::meili_mock::state::{leaves, values_at};

/// Whether a document passes the filter.
pub fn matches(expr: &Expr, doc: &Map<String, Value>) -> bool {
    match expr {
        Expr::Or(items) => items.iter().any(|e| matches(e, doc)),
        Expr::And(items) => items.iter().all(|e| matches(e, doc)),
        Expr::Not(inner) => !matches(inner, doc),
        Expr::Cond { attr, op } => condition(doc, &attr.value, op),
    }
}

fn condition(doc: &Map<String, Value>, attr: &str, op: &Op) -> bool {
    let values = values_at(doc, attr);
    let ordered = |token: &Token, wanted: &[Ordering]| {
        leaves(values.clone())
            .into_iter()
            .any(|v| compare(v, &token.value).is_some_and(|o| wanted.contains(&o)))
    };
    match op {
        Op::Exists => !values.is_empty(),
        Op::IsNull => values.iter().any(|v| v.is_null()),
        Op::IsEmpty => values.iter().any(|v| match v {
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        }),
        Op::Eq(token) => leaves(values).into_iter().any(|v| equals(v, &token.value)),
        // Documents without the attribute are "not equal" too, as on the real server.
        Op::Ne(token) => !leaves(values).into_iter().any(|v| equals(v, &token.value)),
        Op::In(tokens) => leaves(values)
            .into_iter()
            .any(|v| tokens.iter().any(|t| equals(v, &t.value))),
        Op::Gt(token) => ordered(token, &[Ordering::Greater]),
        Op::Ge(token) => ordered(token, &[Ordering::Greater, Ordering::Equal]),
        Op::Lt(token) => ordered(token, &[Ordering::Less]),
        Op::Le(token) => ordered(token, &[Ordering::Less, Ordering::Equal]),
        Op::Between(from, to) => leaves(values).into_iter().any(|v| {
            compare(v, &from.value).is_some_and(|o| o != Ordering::Less)
                && compare(v, &to.value).is_some_and(|o| o != Ordering::Greater)
        }),
        Op::Contains(token) => leaves(values).into_iter().any(|v| {
            v.as_str()
                .is_some_and(|s| s.to_lowercase().contains(&token.value.to_lowercase()))
        }),
        Op::StartsWith(token) => leaves(values).into_iter().any(|v| {
            v.as_str()
                .is_some_and(|s| s.to_lowercase().starts_with(&token.value.to_lowercase()))
        }),
    }
}

/// Facet equality: strings case-insensitively, numbers numerically, booleans as `true`/`false`.
fn equals(value: &Value, wanted: &str) -> bool {
    match value {
        Value::String(s) => s.to_lowercase() == wanted.to_lowercase(),
        Value::Number(n) => wanted
            .trim()
            .parse::<f64>()
            .is_ok_and(|w| n.as_f64() == Some(w)),
        Value::Bool(b) => wanted.eq_ignore_ascii_case(if *b { "true" } else { "false" }),
        _ => false,
    }
}

/// Ranges: numerically when the bound is a number, else on strings (lowercased).
fn compare(value: &Value, bound: &str) -> Option<Ordering> {
    match bound.trim().parse::<f64>() {
        Ok(bound) => value.as_f64()?.partial_cmp(&bound),
        Err(_) => value
            .as_str()
            .map(|s| s.to_lowercase().cmp(&bound.to_lowercase())),
    }
}
