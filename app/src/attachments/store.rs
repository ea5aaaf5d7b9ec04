use std::fmt;
use std::io::SeekFrom;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, WriteMultipart};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use super::{AttachmentError, S3Config};

/// Bytes per part of a multipart upload: S3's minimum part size. At most one
/// part of a file is in memory at a time.
const UPLOAD_PART_BYTES: usize = 5 * 1024 * 1024;

/// Bytes per read from local files (staging and backup folders).
const READ_BUFFER_BYTES: usize = 64 * 1024;

/// Folder, under the data folder, that holds attachments by default.
const LOCAL_DIR_NAME: &str = "attachments";

/// Folder, under the data folder, where uploads are staged before they are
/// checked (its files have no name and vanish when closed).
const STAGING_DIR_NAME: &str = "attachments-staging";

/// Key prefix inside an S3 bucket, so the bucket can hold other things too.
const S3_KEY_PREFIX: &str = "attachments";

/// Where attachment files live: an [`ObjectStore`] (local folder, S3, or
/// memory for tests) plus the folder where uploads are staged.
///
/// Keys look like `ab/abcdef…-<uuid>` (see [`receive()`](super::receive())); in a
/// local folder that is the file's relative path, and in S3 it sits under
/// `attachments/` in the bucket. Cloning is cheap and shares the store.
///
/// `Debug` shows the backend's kind and bucket or folder, never credentials.
#[derive(Clone)]
pub struct AttachmentStore {
    objects: Arc<dyn ObjectStore>,
    staging_dir: PathBuf,
    backend: String,
}

/// A stored file being read: its size and its bytes as a stream, to serve
/// a download without holding the file in memory.
pub struct Download {
    /// Size of the whole file, in bytes (for `Content-Length`).
    pub size_bytes: u64,
    /// The file's bytes, in order, in chunks of the store's choosing.
    /// An item is an error if the store fails part way.
    pub stream: BoxStream<'static, Result<Bytes, AttachmentError>>,
}

impl AttachmentStore {
    /// Files in the local folder `dir`, which is created if missing.
    /// Uploads are staged in the system temporary folder; see
    /// [`with_staging_dir`](Self::with_staging_dir).
    ///
    /// # Errors
    /// [`AttachmentError::Io`] or [`AttachmentError::Storage`] when the folder
    /// cannot be created or opened.
    pub fn local(dir: &Path) -> Result<Self, AttachmentError> {
        std::fs::create_dir_all(dir)?;
        let objects = LocalFileSystem::new_with_prefix(dir)?
            // Removes the per-hash folders that deletes leave empty.
            .with_automatic_cleanup(true);
        Ok(Self::new(
            Arc::new(objects),
            format!("local folder {}", dir.display()),
        ))
    }

    /// Files in an S3-compatible bucket, under the `attachments/` prefix.
    /// Requests use path-style URLs, which MinIO and most S3-compatible
    /// services need and AWS accepts. Nothing is sent until first use.
    ///
    /// # Errors
    /// [`AttachmentError::Config`] when the settings are invalid (e.g. a
    /// malformed endpoint URL); the message never holds the keys.
    pub fn s3(config: &S3Config) -> Result<Self, AttachmentError> {
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            .with_allow_http(config.allow_http);
        if let Some(endpoint) = &config.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        if let (Some(key_id), Some(secret)) = (&config.access_key_id, &config.secret_access_key) {
            builder = builder
                .with_access_key_id(key_id)
                .with_secret_access_key(secret);
        }
        let s3 = builder
            .build()
            .map_err(|error| AttachmentError::Config(error.to_string()))?;
        Ok(Self::new(
            Arc::new(PrefixStore::new(s3, S3_KEY_PREFIX)),
            format!("S3 bucket {}", config.bucket),
        ))
    }

    /// Files in memory, lost when the last clone is dropped. For tests.
    pub fn in_memory() -> Self {
        Self::new(Arc::new(InMemory::new()), "memory".to_owned())
    }

    /// The store the server should use: S3 when [`ENV_S3_BUCKET`]
    /// (`ATTACHMENTS_S3_BUCKET`) is set (see [`S3Config::from_env`] for the
    /// other variables), otherwise the folder `<data_dir>/attachments`.
    /// Either way uploads are staged in `<data_dir>/attachments-staging`,
    /// which is created if missing.
    ///
    /// # Errors
    /// [`AttachmentError::Config`] for incomplete S3 settings; I/O errors
    /// when the folders cannot be created.
    ///
    /// [`ENV_S3_BUCKET`]: super::ENV_S3_BUCKET
    pub fn from_env(data_dir: &Path) -> Result<Self, AttachmentError> {
        let store = match S3Config::from_env()? {
            Some(config) => Self::s3(&config)?,
            None => Self::local(&data_dir.join(LOCAL_DIR_NAME))?,
        };
        let staging_dir = data_dir.join(STAGING_DIR_NAME);
        std::fs::create_dir_all(&staging_dir)?;
        Ok(store.with_staging_dir(staging_dir))
    }

    /// The same store, staging uploads in `dir` (which must exist). Pick a
    /// disk folder: a `tmpfs` one would keep uploads in memory.
    pub fn with_staging_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.staging_dir = dir.into();
        self
    }

    /// Folder where uploads are staged while they are received and checked.
    pub fn staging_dir(&self) -> &Path {
        &self.staging_dir
    }

    /// Opens the file stored under `key` for reading as a stream.
    ///
    /// # Errors
    /// [`AttachmentError::NotFound`] when no file has this key (or the key is
    /// malformed); [`AttachmentError::Storage`] when the store fails.
    pub async fn get_stream(&self, key: &str) -> Result<Download, AttachmentError> {
        let found = self.objects.get(&location(key)?).await?;
        Ok(Download {
            size_bytes: found.meta.size,
            stream: found.into_stream().map_err(AttachmentError::from).boxed(),
        })
    }

    /// Deletes the file stored under `key`. Deleting a missing file succeeds,
    /// so a retried delete is harmless.
    ///
    /// # Errors
    /// [`AttachmentError::NotFound`] for a malformed key;
    /// [`AttachmentError::Storage`] when the store fails.
    pub async fn delete(&self, key: &str) -> Result<(), AttachmentError> {
        match self.objects.delete(&location(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }

    /// Keys of every stored file, sorted. Finds files that no database row
    /// refers to any more, and feeds backups.
    ///
    /// # Errors
    /// [`AttachmentError::Storage`] when the store fails.
    pub async fn list_keys(&self) -> Result<Vec<String>, AttachmentError> {
        let mut keys: Vec<String> = self
            .objects
            .list(None)
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await?;
        keys.sort();
        Ok(keys)
    }

    fn new(objects: Arc<dyn ObjectStore>, backend: String) -> Self {
        Self {
            objects,
            staging_dir: std::env::temp_dir(),
            backend,
        }
    }

    pub(super) fn objects(&self) -> &dyn ObjectStore {
        self.objects.as_ref()
    }

    /// Copies `file`, from its start, to `location` as a multipart upload,
    /// returning the bytes copied. On failure the upload is aborted, so no
    /// object appears.
    pub(super) async fn put_file(
        &self,
        location: &ObjectPath,
        mut file: tokio::fs::File,
    ) -> Result<u64, AttachmentError> {
        file.seek(SeekFrom::Start(0)).await?;
        let upload = self.objects.put_multipart(location).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, UPLOAD_PART_BYTES);
        match copy_into(&mut file, &mut writer).await {
            Ok(size) => {
                // `finish` aborts the upload itself when it fails.
                writer.finish().await?;
                Ok(size)
            }
            Err(error) => {
                // Best effort: an S3 lifecycle rule for incomplete multipart
                // uploads removes whatever an abort cannot.
                let _ = writer.abort().await;
                Err(error)
            }
        }
    }
}

async fn copy_into(
    file: &mut tokio::fs::File,
    writer: &mut WriteMultipart,
) -> Result<u64, AttachmentError> {
    let mut buffer = vec![0; READ_BUFFER_BYTES];
    let mut copied = 0;
    loop {
        let read = file.read(&mut buffer).await?;
        if read == 0 {
            return Ok(copied);
        }
        // Let the previous part finish sending before buffering more, so at
        // most one part is in memory.
        writer.wait_for_capacity(1).await?;
        writer.write(&buffer[..read]);
        copied += read as u64;
    }
}

/// The store location for `key`. Keys that cannot be locations (empty,
/// `..`, empty segments) name no stored file.
pub(super) fn location(key: &str) -> Result<ObjectPath, AttachmentError> {
    match ObjectPath::parse(key) {
        Ok(path) if path.parts().next().is_some() => Ok(path),
        _ => Err(AttachmentError::NotFound),
    }
}

impl fmt::Debug for AttachmentStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttachmentStore")
            .field("backend", &self.backend)
            .field("staging_dir", &self.staging_dir)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("size_bytes", &self.size_bytes)
            .finish_non_exhaustive()
    }
}
