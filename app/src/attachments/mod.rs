//! Files attached to catalogue records (PDF, OFD, DOCX, XLSX, PNG, JPEG).
//!
//! Rules, from the attachments issue:
//! - the type is decided by the file's content, never by its name or the
//!   declared content type ([`detect()`]);
//! - at most [`MAX_ATTACHMENT_BYTES`] per file and [`MAX_ATTACHMENTS_PER_RECORD`]
//!   per record;
//! - uploads are streamed to a staging file, then to storage, so no whole file
//!   is held in memory ([`receive()`]);
//! - the SHA-256 of every file is kept ([`Received::sha256_hex`]);
//! - files live in an object store ([`AttachmentStore`]): the data folder by
//!   default, or any S3-compatible store when configured ([`S3Config`]), so
//!   several servers can share them. Postgres rows keep only the key;
//! - a refused upload changes nothing in the store;
//! - backups copy the stored files to a plain folder and back
//!   ([`AttachmentStore::export_to_dir`], [`AttachmentStore::import_from_dir`]).

mod backup;
mod config;
mod detect;
mod error;
mod kind;
mod receive;
mod store;

#[cfg(test)]
mod samples;
#[cfg(test)]
mod tests;

pub use backup::BackupSummary;
pub use config::{
    S3Config, ENV_S3_ACCESS_KEY_ID, ENV_S3_BUCKET, ENV_S3_ENDPOINT, ENV_S3_REGION,
    ENV_S3_SECRET_ACCESS_KEY,
};
pub use detect::{detect, detect_path};
pub use error::AttachmentError;
pub use kind::AttachmentKind;
pub use receive::{receive, Received};
pub use store::{AttachmentStore, Download};

/// Largest accepted attachment, in bytes (10 MiB).
pub const MAX_ATTACHMENT_BYTES: u64 = 10 * 1024 * 1024;

/// Most attachments one catalogue record may have.
///
/// The store does not know about records; callers count the record's
/// attachments in the database and call [`check_attachment_count`] before
/// receiving another one.
pub const MAX_ATTACHMENTS_PER_RECORD: usize = 10;

/// Refuses one more attachment on a record that already has `existing` ones.
///
/// # Errors
/// [`AttachmentError::TooMany`] when `existing` is already
/// [`MAX_ATTACHMENTS_PER_RECORD`] or more.
pub fn check_attachment_count(existing: usize) -> Result<(), AttachmentError> {
    if existing >= MAX_ATTACHMENTS_PER_RECORD {
        Err(AttachmentError::TooMany {
            limit: MAX_ATTACHMENTS_PER_RECORD,
        })
    } else {
        Ok(())
    }
}
