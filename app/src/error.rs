//! The one error type that crosses from server functions to the UI.
//!
//! Variants are machine-readable; the UI translates them. Internal details stay in the
//! server log: the browser only learns which kind of failure happened.

use leptos::server_fn::codec::JsonEncoding;
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
    #[error("the database is unavailable")]
    Unavailable,
    /// The search backend (the embedded index or Meilisearch) cannot answer now; pages
    /// that do not search still work.
    #[error("search is unavailable")]
    SearchUnavailable,
    #[error("something went wrong")]
    Internal,
    /// The request never reached the server function, or its answer could not be read.
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status a page showing this error should carry.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::InvalidParameter { .. } => 400,
            AppError::InvalidTransition { .. } => 409,
            AppError::Unavailable | AppError::SearchUnavailable => 503,
            AppError::Internal | AppError::Transport(_) => 500,
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

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
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
