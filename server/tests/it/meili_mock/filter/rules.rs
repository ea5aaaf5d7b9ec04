//! Which attributes and operators an index allows in filters (`filterableAttributes`), and
//! the real server's messages when a filter uses others.

use serde_json::{Map, Value};

use super::{Expr, Op};
use crate::meili_mock::errors::MeiliError;

/// Which attributes may be filtered on, from `filterableAttributes` (plain names/patterns,
/// or `{attributePatterns, features: {filter: {equality, comparison}}}` rules).
#[derive(Debug, Clone, Default)]
pub struct FilterRules(Vec<Rule>);

#[derive(Debug, Clone)]
struct Rule {
    patterns: Vec<String>,
    equality: bool,
    comparison: bool,
}

impl FilterRules {
    pub fn from_settings(settings: &Map<String, Value>) -> Self {
        let rules = settings
            .get("filterableAttributes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|rule| match rule {
                Value::String(pattern) => Some(Rule {
                    patterns: vec![pattern.clone()],
                    equality: true,
                    comparison: true,
                }),
                Value::Object(rule) => {
                    let filter = rule.get("features").and_then(|f| f.get("filter"));
                    let feature = |name: &str, default: bool| {
                        filter
                            .and_then(|f| f.get(name))
                            .and_then(Value::as_bool)
                            .unwrap_or(default)
                    };
                    Some(Rule {
                        patterns: rule
                            .get("attributePatterns")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                            .filter_map(|p| p.as_str().map(str::to_string))
                            .collect(),
                        equality: feature("equality", true),
                        comparison: feature("comparison", false),
                    })
                }
                _ => None,
            })
            .collect();
        FilterRules(rules)
    }

    /// The first rule whose patterns match, and its position.
    fn rule_for(&self, attr: &str) -> Option<(usize, &Rule)> {
        self.0
            .iter()
            .enumerate()
            .find(|(_, rule)| rule.patterns.iter().any(|p| pattern_matches(p, attr)))
    }

    pub fn filterable(&self, attr: &str) -> bool {
        self.rule_for(attr)
            .is_some_and(|(_, rule)| rule.equality || rule.comparison)
    }

    /// The patterns that allow filtering, sorted, as error messages list them.
    pub fn patterns(&self) -> Vec<String> {
        let mut patterns: Vec<String> = self
            .0
            .iter()
            .filter(|rule| rule.equality || rule.comparison)
            .flat_map(|rule| rule.patterns.iter().cloned())
            .collect();
        patterns.sort();
        patterns.dedup();
        patterns
    }
}

/// `*`, an exact name (its sub-fields too), `prefix*` or `*suffix`.
fn pattern_matches(pattern: &str, attr: &str) -> bool {
    if pattern == "*" || pattern == attr {
        return true;
    }
    if attr
        .strip_prefix(pattern)
        .is_some_and(|rest| rest.starts_with('.'))
    {
        return true;
    }
    if let Some(prefix) = pattern.strip_suffix('*') {
        return attr.starts_with(prefix);
    }
    pattern
        .strip_prefix('*')
        .is_some_and(|suffix| attr.ends_with(suffix))
}

/// Why a parsed filter cannot run on an index.
pub enum Rejection {
    /// An attribute or operator the index does not allow: a message (code chosen by the route).
    NotFilterable(String),
    /// `CONTAINS`/`STARTS WITH` need an experimental feature the mock does not let tests enable.
    Feature(MeiliError),
}

/// Checks every condition against the filterable attributes, as the real server does
/// before filtering. The message's position line shows the condition rewritten with quotes
/// (`2:7 "title" = "x"`): that is what fixture 15 shows Meilisearch 1.50 doing, though it
/// only shows a one-condition filter, so rewriting only the offending condition is a guess.
pub fn check(expr: &Expr, rules: &FilterRules) -> Result<(), Rejection> {
    match expr {
        Expr::Or(items) | Expr::And(items) => items.iter().try_for_each(|e| check(e, rules)),
        Expr::Not(inner) => check(inner, rules),
        Expr::Cond { attr, op } => {
            if let Op::Contains(_) | Op::StartsWith(_) = op {
                return Err(Rejection::Feature(MeiliError::bad(
                    "feature_not_enabled",
                    format!("Using `{}` in a filter requires enabling the `contains filter` experimental feature. See https://github.com/orgs/meilisearch/discussions/763", op.operator()),
                )));
            }
            let name = &attr.value;
            let rendered = render(name, op);
            let context = format!("2:{} {rendered}", 2 + name.chars().count());
            match rules.rule_for(name) {
                Some((i, rule)) if rule.equality || rule.comparison => {
                    let allowed = if op.is_comparison() {
                        rule.comparison
                    } else {
                        rule.equality
                    };
                    if allowed {
                        return Ok(());
                    }
                    let mut operators = Vec::new();
                    if rule.equality {
                        operators.extend(["=", "!=", "IN", "IS EMPTY", "IS NULL", "EXISTS"]);
                    }
                    if rule.comparison {
                        operators.extend(["<", ">", "<=", ">=", "TO"]);
                    }
                    let feature = if op.is_comparison() {
                        "comparison"
                    } else {
                        "equality"
                    };
                    Err(Rejection::NotFilterable(format!(
                        "Filter operator `{}` is not allowed for the attribute `{name}`.\n  - Note: allowed operators: {}.\n  - Note: field `{name}` matched rule #{i} in `filterableAttributes`\n  - Hint: enable {feature} in rule #{i} by modifying the features.filter object\n  - Hint: prepend another rule matching `{name}` with appropriate filter features before rule #{i}\n{context}",
                        op.operator(),
                        operators.join(", "),
                    )))
                }
                _ => {
                    let patterns = rules.patterns();
                    let available = if patterns.is_empty() {
                        " This index does not have configured filterable attributes.".to_string()
                    } else {
                        let quoted: Vec<String> =
                            patterns.iter().map(|p| format!("`{p}`")).collect();
                        format!(
                            " Available filterable attribute patterns are: {}.",
                            quoted.join(", ")
                        )
                    };
                    Err(Rejection::NotFilterable(format!(
                        "Attribute `{name}` is not filterable.{available}\n{context}"
                    )))
                }
            }
        }
    }
}

/// A condition with its attribute and values in double quotes.
fn render(attr: &str, op: &Op) -> String {
    fn quote(s: &str) -> String {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
    let attr = quote(attr);
    match op {
        Op::Eq(v)
        | Op::Ne(v)
        | Op::Gt(v)
        | Op::Ge(v)
        | Op::Lt(v)
        | Op::Le(v)
        | Op::Contains(v)
        | Op::StartsWith(v) => {
            format!("{attr} {} {}", op.operator(), quote(&v.value))
        }
        Op::Between(from, to) => format!("{attr} {} TO {}", quote(&from.value), quote(&to.value)),
        Op::In(items) => {
            let items: Vec<String> = items.iter().map(|t| quote(&t.value)).collect();
            format!("{attr} IN [{}]", items.join(", "))
        }
        Op::Exists | Op::IsNull | Op::IsEmpty => format!("{attr} {}", op.operator()),
    }
}
