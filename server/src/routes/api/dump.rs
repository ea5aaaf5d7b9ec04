//! `GET /api/v1/dump`: what the day's open-data dump holds (its date, size, SHA-256 and
//! records per collection) and where to fetch it; `GET /api/v1/dump/catalogue.jsonl.gz`:
//! the file itself (see `crate::open_data`).

use super::ApiError;
use crate::open_data::{self, DumpInfo};
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use tower::ServiceExt;

/// The current dump (version 1).
#[derive(Serialize, utoipa::ToSchema)]
pub struct DumpV1 {
    /// Where to download it (gzip-compressed JSON Lines).
    pub url: String,
    /// The day it was written (Beijing time, UTC+8); a new one is written every day.
    pub date: NaiveDate,
    pub generated_at: DateTime<Utc>,
    /// Size of the file, in bytes.
    pub bytes: u64,
    /// SHA-256 of the file, 64 lowercase hex digits.
    pub sha256: String,
    /// Records (lines) per collection.
    pub records: BTreeMap<String, u64>,
}

/// The current dump's description, or 404 when none was written yet. Errors: 503 when
/// the folder cannot be read.
fn current(state: &AppState) -> Result<(std::path::PathBuf, DumpInfo), ApiError> {
    let folder = state.open_data_dir.clone().ok_or(AppError::NotFound)?;
    let info = open_data::current(&folder)
        .map_err(|error| {
            tracing::error!(
                error = format!("{error:#}"),
                "reading the open-data dump failed"
            );
            AppError::Unavailable
        })?
        .ok_or(AppError::NotFound)?;
    Ok((folder, info))
}

/// What the current dump holds and where it is.
#[utoipa::path(
    get,
    path = "/api/v1/dump",
    operation_id = "describe_dump",
    responses(
        (status = 200, body = DumpV1, description = "the current dump: its date, size, SHA-256 and records per collection"),
        (status = 404, body = super::error::ErrorBody, description = "no dump has been written yet"),
    )
)]
pub async fn describe(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let (_, info) = current(&state)?;
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Json(DumpV1 {
            url: format!("{}/api/v1/dump/catalogue.jsonl.gz", state.site.public_url),
            date: info.date,
            generated_at: info.generated_at,
            bytes: info.bytes,
            sha256: info.sha256,
            records: info.records,
        }),
    ))
}

/// The current dump: every listed record, one JSON object a line (`{"collection":
/// "products", "record": {…}}`, the record as its collection gives it), gzip-compressed. Ranges are served, so
/// an interrupted download can resume.
#[utoipa::path(
    get,
    path = "/api/v1/dump/catalogue.jsonl.gz",
    operation_id = "download_dump",
    responses(
        (status = 200, description = "the dump", content_type = "application/gzip"),
        (status = 404, body = super::error::ErrorBody, description = "no dump has been written yet"),
    )
)]
pub async fn download(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let (folder, info) = current(&state)?;
    let served = tower_http::services::ServeFile::new(folder.join(&info.file))
        .oneshot(request)
        .await
        .map_err(|_| AppError::Unavailable)?;
    let mut response = served.map(axum::body::Body::new);
    if response.status() == http::StatusCode::NOT_FOUND {
        // Replaced between reading the description and opening the file.
        return Err(AppError::NotFound.into());
    }
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/gzip"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    if let Ok(tag) = HeaderValue::from_str(&format!("\"{}\"", info.sha256)) {
        headers.insert(header::ETAG, tag);
    }
    if let Ok(disposition) = HeaderValue::from_str(&format!(
        "attachment; filename=\"catalogue-{}.jsonl.gz\"",
        info.date
    )) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}
