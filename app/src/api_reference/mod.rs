//! `/api`: the open-data API described for people, in the reader's language, written on
//! the server from the same OpenAPI document programs read at `/api/v1/openapi.json`
//! (so the page cannot drift from the API), with an example address for each operation
//! that answers on this catalogue, and the daily dump's date, size and SHA-256.

#[cfg(feature = "ssr")]
mod build;
mod markdown;
mod page;

pub use page::ApiPage;

use crate::open_data::DumpInfo;
use serde::{Deserialize, Serialize};

/// The API as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiReference {
    /// The OpenAPI document's `info.version` (the API's major version).
    pub version: String,
    /// The OpenAPI document's `info.description` (English, as the document is written).
    pub description: String,
    pub operations: Vec<ApiOperation>,
    /// The current open-data dump, when one was written.
    pub dump: Option<DumpInfo>,
}

/// One operation (a method on a path).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiOperation {
    /// `GET`, …
    pub method: String,
    /// As the document names it, with `{id}` for a path parameter.
    pub path: String,
    pub summary: String,
    pub description: String,
    pub parameters: Vec<ApiParameter>,
    pub responses: Vec<ApiResponse>,
    /// An address on this site that answers it (a path with its query), when the
    /// catalogue has a record to show.
    pub example: Option<String>,
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiParameter {
    pub name: String,
    /// `query` or `path`.
    pub location: String,
    pub required: bool,
    pub description: String,
    /// Its type and what it takes: `integer, 1–500`, `new_energy | smart_manufacturing…`.
    pub values: String,
}

/// An answer an operation may give.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiResponse {
    /// `200`, `404`, …
    pub status: String,
    pub description: String,
}
