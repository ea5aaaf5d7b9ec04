//! What the open-data dump's description holds (the dump itself is written by the
//! server's `open_data`): read by `/api/v1/dump` and shown on the API's page (`/api`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What is known of the current dump, beside it (JSON of [`DumpInfo`]).
pub const DUMP_INFO_FILE: &str = "catalogue.json";

/// What a dump holds and how to check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DumpInfo {
    /// The day it was written (Beijing time, UTC+8).
    pub date: NaiveDate,
    pub generated_at: DateTime<Utc>,
    /// The gzip file's size, in bytes.
    pub bytes: u64,
    /// The gzip file's SHA-256, 64 lowercase hex digits.
    pub sha256: String,
    /// Its file name in the folder.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    #[cfg_attr(feature = "ssr", schema(ignore))]
    pub file: String,
    /// Records (lines) per collection.
    pub records: BTreeMap<String, u64>,
}

/// The folder of the dump under the data folder.
#[cfg(feature = "ssr")]
pub fn folder(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join("open-data")
}

/// Reads the current dump's [`DumpInfo`] in `folder`, `None` when no dump was written
/// yet. Errors: the file system's, and `InvalidData` for a description that is not one.
#[cfg(feature = "ssr")]
pub fn current(folder: &std::path::Path) -> std::io::Result<Option<DumpInfo>> {
    match std::fs::read(folder.join(DUMP_INFO_FILE)) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidData, error)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}
