//! Copies between the store and a plain folder, so that backups (taken
//! alongside the database dump) cover the stored files too.

use std::io;
use std::path::{Component, Path, PathBuf};

use futures::TryStreamExt;
use object_store::path::Path as ObjectPath;
use tokio::io::AsyncWriteExt;

use super::store::location;
use super::{AttachmentError, AttachmentStore};

/// What an export or import copied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BackupSummary {
    /// Number of files copied.
    pub files: usize,
    /// Total size of the files copied, in bytes.
    pub bytes: u64,
}

impl AttachmentStore {
    /// Copies every stored file into the folder `dir` (created if missing),
    /// each at its key as relative path (`dir/ab/abcdef…-<uuid>`), streaming
    /// so no file is held in memory. Files already in `dir` under the same
    /// key are overwritten; others are left alone, so use a fresh folder.
    ///
    /// # Errors
    /// [`AttachmentError::Storage`] when the store fails,
    /// [`AttachmentError::Io`] when writing the folder fails. Files copied
    /// before the failure stay in `dir`.
    pub async fn export_to_dir(&self, dir: &Path) -> Result<BackupSummary, AttachmentError> {
        tokio::fs::create_dir_all(dir).await?;
        let mut summary = BackupSummary::default();
        let mut listing = self.objects().list(None);
        while let Some(meta) = listing.try_next().await? {
            summary.bytes += self.export_one(&meta.location, dir).await?;
            summary.files += 1;
        }
        Ok(summary)
    }

    /// Puts back every file found under the folder `dir`, as written by
    /// [`export_to_dir`](Self::export_to_dir): a file's path relative to `dir`
    /// becomes its key. Streams each file; overwrites stored files with the
    /// same key, so running it twice is harmless. Symbolic links are skipped.
    ///
    /// # Errors
    /// [`AttachmentError::Io`] when `dir` cannot be read or holds a path that
    /// cannot be a key (non-UTF-8 names, `..`); [`AttachmentError::Storage`]
    /// when the store fails. Files put before the failure stay stored.
    pub async fn import_from_dir(&self, dir: &Path) -> Result<BackupSummary, AttachmentError> {
        let root = dir.to_owned();
        let relative_paths = tokio::task::spawn_blocking(move || files_under(&root))
            .await
            .map_err(io::Error::other)??;
        let mut summary = BackupSummary::default();
        for relative in relative_paths {
            let key = key_for(&relative)?;
            let file = tokio::fs::File::open(dir.join(&relative)).await?;
            summary.bytes += self.put_file(&key, file).await?;
            summary.files += 1;
        }
        Ok(summary)
    }

    /// Streams one object into its file under `dir`; returns its size.
    async fn export_one(&self, key: &ObjectPath, dir: &Path) -> Result<u64, AttachmentError> {
        let target = key
            .parts()
            .fold(dir.to_path_buf(), |path, part| path.join(part.as_ref()));
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        let mut chunks = self.objects().get(key).await?.into_stream();
        let mut file = tokio::fs::File::create(&target).await?;
        let mut size = 0;
        while let Some(chunk) = chunks.try_next().await? {
            file.write_all(&chunk).await?;
            size += chunk.len() as u64;
        }
        // A backup is only worth something once it is on disk.
        file.sync_all().await?;
        Ok(size)
    }
}

/// Paths of the regular files under `root`, relative to it, sorted.
fn files_under(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        for entry in std::fs::read_dir(root.join(&relative))? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = relative.join(entry.file_name());
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The key for a file at `relative` under the backup folder.
fn key_for(relative: &Path) -> Result<ObjectPath, AttachmentError> {
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|component| match component {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect();
    parts
        .and_then(|parts| location(&parts.join("/")).ok())
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} cannot be an attachment key", relative.display()),
            )
            .into()
        })
}
