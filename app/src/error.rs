//! The one error type that crosses from server functions to the UI.
//!
//! Variants are machine-readable; the UI translates them. Internal details stay in the
//! server log: the browser only learns which kind of failure happened.

use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// A query parameter has a value the page cannot use; `param` names it.
    #[error("invalid value for the parameter {param}")]
    InvalidParameter { param: String },
    /// The record is not in a state that allows this change.
    #[error("cannot {action} a record that is {from}")]
    InvalidTransition {
        action: String,
        from: crate::domain::RecordStatus,
    },
    /// Someone else changed the thing first (two decisions at once, a call announced while
    /// it was being edited), or it is no longer in a state that allows the change (409).
    /// Nothing was changed; reloading the page shows where it stands.
    #[error("changed in the meantime")]
    Conflict,
    /// The action needs a signed-in account and nobody is signed in (401).
    #[error("sign in first")]
    Unauthorized,
    /// The signed-in account may not take this action (403); see `auth::check`.
    #[error("not allowed")]
    Forbidden,
    #[error("the database is unavailable")]
    Unavailable,
    /// The search backend (the embedded index or Meilisearch) cannot answer now; pages
    /// that do not search still work.
    #[error("search is unavailable")]
    SearchUnavailable,
    #[error("something went wrong")]
    Internal,
    /// The request never reached the server function, or its answer could not be read.
    /// (A struct variant: the enum is internally tagged, which cannot carry a bare string.)
    #[error("request failed: {message}")]
    Transport { message: String },
}

impl AppError {
    /// The HTTP status a page showing this error should carry.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::InvalidParameter { .. } => 400,
            AppError::InvalidTransition { .. } | AppError::Conflict => 409,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::Unavailable | AppError::SearchUnavailable => 503,
            AppError::Internal | AppError::Transport { .. } => 500,
        }
    }
}

impl From<crate::domain::InvalidTransition> for AppError {
    fn from(error: crate::domain::InvalidTransition) -> Self {
        AppError::InvalidTransition {
            action: error.action.to_owned(),
            from: error.from,
        }
    }
}

impl From<crate::submissions::state::RefusedStep> for AppError {
    /// A submission that moved on meanwhile (decided by someone else, withdrawn): 409.
    fn from(_: crate::submissions::state::RefusedStep) -> Self {
        AppError::Conflict
    }
}

impl FromServerFnError for AppError {
    type Encoder = crate::codec::JsonText;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments the server could not read (`?filter[industry]=steel`): the caller's
            // mistake, answered 400 naming the parameter, as the pages and the API do.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Args(message) => {
                set_page_status(400);
                AppError::InvalidParameter {
                    param: rejected_argument(&message),
                }
            }
            other => AppError::Transport {
                message: other.to_string(),
            },
        }
    }
}

/// Which argument of a server function's query string the decoder refused, as far as its
/// message tells: a field it names (`missing field `page``), else the parameter holding the
/// value it quotes (`unknown Industry code "steel"`), else the only parameter, else
/// "arguments".
/// Nested names (`filter[industry]`) are given by their last part (`industry`).
#[cfg(feature = "ssr")]
fn rejected_argument(message: &str) -> String {
    let quoted = |prefix: &str| {
        let start = message.find(prefix)? + prefix.len();
        let end = start + message[start..].find('`')?;
        Some(message[start..end].to_owned())
    };
    if let Some(field) = quoted("missing field `").or_else(|| quoted("unknown field `")) {
        return field;
    }
    let query = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.uri.query().map(str::to_owned))
        .unwrap_or_default();
    let pairs = crate::url::query_pairs(&query);
    let last_part = |key: &str| {
        key.trim_end_matches(']')
            .rsplit(['[', ']'])
            .next()
            .unwrap_or(key)
            .to_owned()
    };
    // Decoders quote the value they refuse: `steel` (serde) or "steel" (our vocabularies).
    let holding = pairs
        .iter()
        .find(|(_, value)| {
            !value.is_empty()
                && (message.contains(&format!("`{value}`"))
                    || message.contains(&format!("{value:?}")))
        })
        .or(match pairs.as_slice() {
            [only] => Some(only),
            _ => None,
        });
    match holding {
        Some((key, _)) => last_part(key),
        None => "arguments".to_owned(),
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => AppError::NotFound,
            // The pool could not get a working connection: the database is down or
            // unreachable. Pages answer 503 and recover once it is back.
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                tracing::warn!(%error, "database unavailable");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}

/// Runs a server function's body and, when it fails, gives the response the error's HTTP
/// status (a server function's error is otherwise always a 500): 400 for a bad parameter,
/// 404, 503… The same status reaches a page that called the function while rendering.
pub async fn with_status<T>(
    body: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let result = body.await;
    if let Err(error) = &result {
        set_page_status(error.status_code());
    }
    result
}

/// Sets the status of the page being rendered on the server; a no-op in the browser.
pub fn set_page_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(code) = http::StatusCode::from_u16(status) {
            response.set_status(code);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_crosses_to_the_browser_as_json() {
        for error in [
            AppError::NotFound,
            AppError::InvalidParameter {
                param: "page".into(),
            },
            AppError::Unavailable,
            AppError::Unauthorized,
            AppError::Forbidden,
            AppError::Transport {
                message: "connection reset".into(),
            },
        ] {
            let json = serde_json::to_string(&error).expect("serialisable");
            assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), error);
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn query_strings_are_decoded() {
        assert_eq!(
            crate::url::percent_decode("filter%5Bindustry%5D"),
            "filter[industry]"
        );
        assert_eq!(crate::url::percent_decode("%E9%92%A2+x"), "钢 x");
        assert_eq!(crate::url::percent_decode("100%"), "100%");
        assert_eq!(crate::url::percent_decode("%zz"), "%zz");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_field_the_decoder_names_is_the_parameter() {
        assert_eq!(rejected_argument("missing field `eligible`"), "eligible");
        assert_eq!(rejected_argument("something else"), "arguments");
    }
}
