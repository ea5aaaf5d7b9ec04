use std::fmt::Display;
use std::pin::pin;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use object_store::path::Path as ObjectPath;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

use super::store::location;
use super::{detect, AttachmentError, AttachmentKind, AttachmentStore};

/// A file accepted and stored by [`receive()`]. The caller records these
/// fields in the database; the bytes themselves stay in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// Key of the stored file, `ab/<sha256_hex>-<uuid>` where `ab` is the
    /// first two hex digits of the hash (keeps folders small).
    pub key: String,
    /// SHA-256 of the content, 64 lower-case hex digits.
    pub sha256_hex: String,
    /// Size of the content, in bytes (1 ..= the limit).
    pub size_bytes: u64,
    /// The kind found in the content.
    pub kind: AttachmentKind,
}

/// The upload, written to an anonymous file in the staging folder.
struct Staged {
    file: std::fs::File,
    sha256_hex: String,
    size_bytes: u64,
}

/// Receives one upload from `chunks` (for instance an axum or multer
/// multipart field) and stores it.
///
/// The chunks go to an anonymous file in the store's
/// [staging folder](AttachmentStore::staging_dir) while their SHA-256 and
/// size are computed; the kind is then [detected](detect()) from that file and
/// the file is copied to the store in parts. At no point is the whole file
/// in memory. Every check happens before the store is touched, and the
/// staging file disappears when dropped, so a refused upload leaves nothing
/// behind.
///
/// `limit` is the largest accepted size in bytes, normally
/// [`MAX_ATTACHMENT_BYTES`](super::MAX_ATTACHMENT_BYTES). The file name and
/// declared content type are deliberately not parameters.
///
/// Dropping the future part way (the client went away) stores nothing
/// either; on S3 the unfinished multipart upload stays invisible until the
/// bucket's `AbortIncompleteMultipartUpload` lifecycle rule removes it.
///
/// Each upload gets its own key, even for identical content, so deleting one
/// record's attachment never removes another's file.
///
/// # Errors
/// - [`AttachmentError::TooLarge`] as soon as more than `limit` bytes arrive
///   (the rest of the stream is not read);
/// - [`AttachmentError::Empty`] for no bytes at all;
/// - [`AttachmentError::UnsupportedType`] when the content is not one of the
///   accepted kinds;
/// - [`AttachmentError::Interrupted`] when `chunks` yields an error;
/// - [`AttachmentError::Io`] / [`AttachmentError::Storage`] when staging or
///   storing fails.
pub async fn receive<S, E>(
    store: &AttachmentStore,
    chunks: S,
    limit: u64,
) -> Result<Received, AttachmentError>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Display,
{
    let staged = stage(store, chunks, limit).await?;
    let (kind, file) = detect_in_background(staged.file).await?;
    let key = new_key(&staged.sha256_hex);
    store.put_file(&key, file).await?;
    Ok(Received {
        key: key.to_string(),
        sha256_hex: staged.sha256_hex,
        size_bytes: staged.size_bytes,
        kind,
    })
}

async fn stage<S, E>(
    store: &AttachmentStore,
    chunks: S,
    limit: u64,
) -> Result<Staged, AttachmentError>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Display,
{
    // Anonymous: the operating system removes it once closed, even if the
    // server dies mid-upload.
    let file = tempfile::tempfile_in(store.staging_dir())?;
    let mut file = tokio::fs::File::from_std(file);
    let mut hasher = Sha256::new();
    let mut size_bytes: u64 = 0;
    let mut chunks = pin!(chunks);
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|error| AttachmentError::Interrupted(error.to_string()))?;
        size_bytes += chunk.len() as u64;
        if size_bytes > limit {
            return Err(AttachmentError::TooLarge { limit });
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await?;
    }
    if size_bytes == 0 {
        return Err(AttachmentError::Empty);
    }
    // Tokio files write in the background; flush before handing it over.
    file.flush().await?;
    Ok(Staged {
        file: file.into_std().await,
        sha256_hex: hex::encode(hasher.finalize()),
        size_bytes,
    })
}

/// Runs the blocking [`detect()`] off the async threads, handing the file back.
async fn detect_in_background(
    mut file: std::fs::File,
) -> Result<(AttachmentKind, tokio::fs::File), AttachmentError> {
    let (kind, file) = tokio::task::spawn_blocking(move || (detect(&mut file), file))
        .await
        .map_err(std::io::Error::other)?;
    Ok((kind?, tokio::fs::File::from_std(file)))
}

fn new_key(sha256_hex: &str) -> ObjectPath {
    let key = format!(
        "{}/{}-{}",
        &sha256_hex[..2],
        sha256_hex,
        Uuid::new_v4().simple()
    );
    location(&key).expect("hex digits and a uuid make a valid location")
}
