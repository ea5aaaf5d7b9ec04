//! Strict query strings for programs: the API (`/api/v1/…`) and the feeds answer 400 to
//! a parameter they do not know, one given twice, or one holding a control character,
//! rather than ignoring it. A mistyped filter (`?industy=…`) silently ignored would hand
//! a program the whole catalogue as if it were the filtered answer.
//!
//! The API's parameters are taken from its OpenAPI document (each operation's `query`
//! parameters), so what is accepted is exactly what is documented. Pages stay lenient:
//! people follow links that carry tracking parameters.

use super::api::ApiError;
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::LazyLock;

/// What is wrong with one parameter of a query string; each names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParameterFault {
    /// Not a parameter of this address.
    Unknown(String),
    /// Given more than once (which value would count is not for the server to guess).
    Repeated(String),
    /// Its value holds a control character (a NUL above all, which Postgres refuses in
    /// text); no code, name or time has one.
    Garbled(String),
}

impl ParameterFault {
    /// The parameter at fault.
    pub fn param(&self) -> &str {
        match self {
            ParameterFault::Unknown(name)
            | ParameterFault::Repeated(name)
            | ParameterFault::Garbled(name) => name,
        }
    }

    /// What is wrong, in English (the API's messages are English; its codes are stable).
    pub fn message(&self) -> String {
        match self {
            ParameterFault::Unknown(name) => format!("unknown parameter {name}"),
            ParameterFault::Repeated(name) => {
                format!("the parameter {name} is given more than once")
            }
            ParameterFault::Garbled(name) => {
                format!("the parameter {name} holds a control character")
            }
        }
    }

    /// What is wrong, in Chinese then English, for the feeds' text answers.
    pub fn bilingual(&self) -> String {
        let name = self.param();
        let chinese = match self {
            ParameterFault::Unknown(_) => format!("未知参数 {name}。"),
            ParameterFault::Repeated(_) => format!("参数 {name} 重复出现。"),
            ParameterFault::Garbled(_) => format!("参数 {name} 含有控制字符。"),
        };
        format!("{chinese}\n{}.\n", capitalised(&self.message()))
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Checks the raw query string `raw` (percent-encoded, `+` for space) against the
/// parameter names `known`. Errors: the first parameter that is unknown, repeated or
/// garbled. An empty query string (or `None`) passes.
pub fn check(raw: Option<&str>, known: &[String]) -> Result<(), ParameterFault> {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
    for (index, (key, value)) in pairs.iter().enumerate() {
        if !known.contains(key) {
            return Err(ParameterFault::Unknown(key.clone()));
        }
        if pairs[..index].iter().any(|(seen, _)| seen == key) {
            return Err(ParameterFault::Repeated(key.clone()));
        }
        if value.chars().any(char::is_control) {
            return Err(ParameterFault::Garbled(key.clone()));
        }
    }
    Ok(())
}

/// The query parameters of each GET operation of the OpenAPI document, by its path
/// template (`/api/v1/products/{id}`).
static DOCUMENTED: LazyLock<HashMap<String, Vec<String>>> = LazyLock::new(|| {
    let document = super::api::openapi::document();
    let Some(paths) = document["paths"].as_object() else {
        return HashMap::new();
    };
    paths
        .iter()
        .map(|(path, item)| {
            let names = item["get"]["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|parameter| parameter["in"] == "query")
                .filter_map(|parameter| parameter["name"].as_str().map(str::to_owned))
                .collect();
            (path.clone(), names)
        })
        .collect()
});

/// Middleware of the API's router: a request whose query string does not fit its
/// operation's documented parameters answers 400 `invalid_parameter`, naming the
/// parameter and saying what is wrong. Addresses that name no operation pass on (to the
/// API's 404).
pub async fn documented_parameters(request: Request, next: Next) -> Response {
    let documented = request
        .extensions()
        .get::<MatchedPath>()
        .and_then(|path| DOCUMENTED.get(path.as_str()));
    if let Some(known) = documented {
        if let Err(fault) = check(request.uri().query(), known) {
            return ApiError::parameter_fault(&fault).into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        vec!["q".to_owned(), "kind".to_owned()]
    }

    #[test]
    fn a_query_of_known_parameters_passes() {
        assert_eq!(check(None, &known()), Ok(()));
        assert_eq!(check(Some(""), &known()), Ok(()));
        assert_eq!(check(Some("q=%E6%9C%BA+x&kind=product"), &known()), Ok(()));
    }

    #[test]
    fn each_fault_names_its_parameter() {
        assert_eq!(
            check(Some("q=a&industy=C"), &known()),
            Err(ParameterFault::Unknown("industy".into()))
        );
        assert_eq!(
            check(Some("kind=product&q=a&kind=scenario"), &known()),
            Err(ParameterFault::Repeated("kind".into()))
        );
        assert_eq!(
            check(Some("q=a%00b"), &known()),
            Err(ParameterFault::Garbled("q".into()))
        );
        assert_eq!(
            ParameterFault::Unknown("industy".into()).message(),
            "unknown parameter industy"
        );
        assert!(ParameterFault::Repeated("kind".into())
            .bilingual()
            .starts_with("参数 kind 重复出现。\nThe parameter kind"));
    }
}
