use app::error::AppError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// The API's error body: `{"error": {"code": "invalid_parameter", "message": …, "param": "kind"}}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiError {
    /// `invalid_parameter`, `not_found`, `conflict`, `unavailable` (the database),
    /// `search_unavailable`, `rate_limited` or `internal`.
    pub code: &'static str,
    pub message: String,
    /// The query parameter at fault, for `invalid_parameter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    #[serde(skip)]
    #[schema(ignore)]
    status: StatusCode,
}

/// How every error is sent (for the OpenAPI document).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ApiError,
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        let status =
            StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let (code, param) = match &error {
            AppError::NotFound => ("not_found", None),
            AppError::InvalidParameter { param } => ("invalid_parameter", Some(param.clone())),
            AppError::InvalidTransition { .. } | AppError::Conflict => ("conflict", None),
            AppError::Unauthorized => ("unauthorized", None),
            AppError::Forbidden => ("forbidden", None),
            AppError::Unavailable => ("unavailable", None),
            AppError::SearchUnavailable => ("search_unavailable", None),
            AppError::Internal | AppError::Transport { .. } => ("internal", None),
        };
        // Internal details stay in the log; the message says only what kind of failure.
        let message = match &error {
            AppError::Internal | AppError::Transport { .. } => "something went wrong".to_owned(),
            other => other.to_string(),
        };
        ApiError {
            code,
            message,
            param,
            status,
        }
    }
}

impl ApiError {
    /// 400 `invalid_parameter` for a parameter that is unknown, repeated or garbled,
    /// saying which of the three.
    pub fn parameter_fault(fault: &crate::routes::known_parameters::ParameterFault) -> Self {
        ApiError {
            code: "invalid_parameter",
            message: fault.message(),
            param: Some(fault.param().to_owned()),
            status: StatusCode::BAD_REQUEST,
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        AppError::from(error).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status;
        (status, Json(ErrorBody { error: self })).into_response()
    }
}
