//! Meilisearch's filter language: the expression tree, `filter` values of requests
//! (a string, or arrays of them), and its three parts: `parser.rs` (the real grammar and
//! error messages), `rules.rs` (which attributes and operators an index allows), `eval.rs`
//! (whether a document passes).

mod eval;
mod parser;
mod rules;

use serde_json::Value;

pub use eval::matches;
pub use parser::parse;
pub use rules::{check, FilterRules, Rejection};

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The value, quotes removed and escapes resolved.
    pub value: String,
    /// Where it is in the source, in characters.
    pub start: usize,
    pub len: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    Cond { attr: Token, op: Op },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Eq(Token),
    Ne(Token),
    Gt(Token),
    Ge(Token),
    Lt(Token),
    Le(Token),
    Between(Token, Token),
    In(Vec<Token>),
    Exists,
    IsNull,
    IsEmpty,
    Contains(Token),
    StartsWith(Token),
}

impl Op {
    pub fn operator(&self) -> &'static str {
        match self {
            Op::Eq(_) => "=",
            Op::Ne(_) => "!=",
            Op::Gt(_) => ">",
            Op::Ge(_) => ">=",
            Op::Lt(_) => "<",
            Op::Le(_) => "<=",
            Op::Between(..) => "TO",
            Op::In(_) => "IN",
            Op::Exists => "EXISTS",
            Op::IsNull => "IS NULL",
            Op::IsEmpty => "IS EMPTY",
            Op::Contains(_) => "CONTAINS",
            Op::StartsWith(_) => "STARTS WITH",
        }
    }

    pub fn is_comparison(&self) -> bool {
        matches!(
            self,
            Op::Gt(_) | Op::Ge(_) | Op::Lt(_) | Op::Le(_) | Op::Between(..)
        )
    }
}

/// The `filter` of a request: a string, or an array whose elements are AND-ed, an element
/// being a string or an array of strings OR-ed together. Errors are messages.
pub fn from_json(filter: Option<&Value>) -> Result<Option<Expr>, String> {
    let wrong = |expected: &str, found: &Value| {
        format!("Invalid type for filter subexpression: expected: {expected}, found: {found}.")
    };
    match filter {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(src)) => parse(src),
        Some(Value::Array(items)) => {
            let mut all = Vec::new();
            for item in items {
                match item {
                    Value::String(src) => all.extend(parse(src)?),
                    Value::Array(inner) => {
                        let mut any = Vec::new();
                        for item in inner {
                            match item {
                                Value::String(src) => any.extend(parse(src)?),
                                other => return Err(wrong("String", other)),
                            }
                        }
                        match any.len() {
                            0 => {}
                            1 => all.extend(any),
                            _ => all.push(Expr::Or(any)),
                        }
                    }
                    other => return Err(wrong("String, Array", other)),
                }
            }
            Ok(match all.len() {
                0 => None,
                1 => all.pop(),
                _ => Some(Expr::And(all)),
            })
        }
        Some(other) => Err(wrong("String, Array", other)),
    }
}
