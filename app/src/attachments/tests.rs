//! End-to-end tests of receiving, storing, serving and backing up files.

use std::convert::Infallible;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use futures::stream::{self, Stream, StreamExt, TryStreamExt};
use sha2::{Digest, Sha256};

use super::*;

const CHUNK_BYTES: usize = 64 * 1024;

/// `bytes` as an upload stream of `CHUNK_BYTES` chunks.
fn chunked(bytes: &[u8]) -> impl Stream<Item = Result<Bytes, Infallible>> {
    let chunks: Vec<_> = bytes
        .chunks(CHUNK_BYTES)
        .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
        .collect();
    stream::iter(chunks)
}

async fn receive_bytes(store: &AttachmentStore, bytes: &[u8]) -> Result<Received, AttachmentError> {
    receive(store, chunked(bytes), MAX_ATTACHMENT_BYTES).await
}

async fn stored_bytes(store: &AttachmentStore, key: &str) -> Vec<u8> {
    let download = store.get_stream(key).await.unwrap();
    let bytes: Vec<u8> = download
        .stream
        .try_fold(Vec::new(), |mut all, chunk| async move {
            all.extend_from_slice(&chunk);
            Ok(all)
        })
        .await
        .unwrap();
    assert_eq!(bytes.len() as u64, download.size_bytes);
    bytes
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().next().is_none()
}

#[tokio::test]
async fn stores_every_accepted_kind() {
    let store = AttachmentStore::in_memory();
    for kind in AttachmentKind::ALL {
        let bytes = samples::genuine(kind);
        let received = receive_bytes(&store, &bytes).await.unwrap();
        assert_eq!(received.kind, kind);
        assert_eq!(received.size_bytes, bytes.len() as u64);
        assert_eq!(received.sha256_hex, sha256_hex(&bytes));
        assert_eq!(stored_bytes(&store, &received.key).await, bytes);
    }
    assert_eq!(
        store.list_keys().await.unwrap().len(),
        AttachmentKind::ALL.len()
    );
}

#[tokio::test]
async fn key_is_hash_prefix_hash_and_unique_part() {
    let store = AttachmentStore::in_memory();
    let bytes = samples::genuine(AttachmentKind::Pdf);
    let first = receive_bytes(&store, &bytes).await.unwrap();
    let second = receive_bytes(&store, &bytes).await.unwrap();
    let hash = sha256_hex(&bytes);
    assert!(first.key.starts_with(&format!("{}/{}-", &hash[..2], hash)));
    // Same content, separate files: deleting one leaves the other.
    assert_ne!(first.key, second.key);
    store.delete(&first.key).await.unwrap();
    assert_eq!(stored_bytes(&store, &second.key).await, bytes);
}

#[tokio::test]
async fn large_file_streamed_in_chunks_keeps_its_hash() {
    let store = AttachmentStore::in_memory();
    // Larger than one 5 MiB upload part, so the multipart path is exercised.
    let bytes = samples::png_of_len(7 * 1024 * 1024 + 123);
    let received = receive_bytes(&store, &bytes).await.unwrap();
    assert_eq!(received.sha256_hex, sha256_hex(&bytes));
    assert_eq!(received.size_bytes, bytes.len() as u64);
    assert_eq!(stored_bytes(&store, &received.key).await, bytes);
}

#[tokio::test]
async fn file_of_exactly_the_limit_is_accepted() {
    let store = AttachmentStore::in_memory();
    let bytes = samples::png_of_len(MAX_ATTACHMENT_BYTES as usize);
    let received = receive_bytes(&store, &bytes).await.unwrap();
    assert_eq!(received.size_bytes, MAX_ATTACHMENT_BYTES);
}

#[tokio::test]
async fn file_one_byte_over_the_limit_is_refused_and_leaves_nothing() {
    let staging = tempfile::tempdir().unwrap();
    let store = AttachmentStore::in_memory().with_staging_dir(staging.path());
    let bytes = samples::png_of_len(MAX_ATTACHMENT_BYTES as usize + 1);
    let error = receive_bytes(&store, &bytes).await.unwrap_err();
    assert!(matches!(error, AttachmentError::TooLarge { limit } if limit == MAX_ATTACHMENT_BYTES));
    assert!(store.list_keys().await.unwrap().is_empty());
    assert!(is_empty_dir(staging.path()));
}

#[tokio::test]
async fn endless_upload_is_cut_off_at_the_limit() {
    let store = AttachmentStore::in_memory();
    let pulled = AtomicUsize::new(0);
    let png = Bytes::from(samples::png_of_len(CHUNK_BYTES));
    let zeros = Bytes::from(vec![0; CHUNK_BYTES]);
    let endless = stream::once(async { png })
        .chain(stream::repeat(zeros))
        .inspect(|_| {
            pulled.fetch_add(1, Ordering::Relaxed);
        })
        .map(Ok::<_, Infallible>);
    let error = receive(&store, endless, MAX_ATTACHMENT_BYTES)
        .await
        .unwrap_err();
    assert!(matches!(error, AttachmentError::TooLarge { .. }));
    // The limit is a whole number of chunks: the next chunk is the first too many.
    let chunks_within_limit = MAX_ATTACHMENT_BYTES as usize / CHUNK_BYTES;
    assert_eq!(pulled.load(Ordering::Relaxed), chunks_within_limit + 1);
    assert!(store.list_keys().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_smaller_limit_is_honoured() {
    let store = AttachmentStore::in_memory();
    let bytes = samples::genuine(AttachmentKind::Pdf);
    let limit = bytes.len() as u64 - 1;
    let error = receive(&store, chunked(&bytes), limit).await.unwrap_err();
    assert!(matches!(error, AttachmentError::TooLarge { .. }));
    assert!(store.list_keys().await.unwrap().is_empty());
}

#[tokio::test]
async fn empty_upload_is_refused() {
    let store = AttachmentStore::in_memory();
    assert!(matches!(
        receive_bytes(&store, b"").await,
        Err(AttachmentError::Empty)
    ));
    let empty_chunks = stream::iter([Ok::<_, Infallible>(Bytes::new()), Ok(Bytes::new())]);
    assert!(matches!(
        receive(&store, empty_chunks, MAX_ATTACHMENT_BYTES).await,
        Err(AttachmentError::Empty)
    ));
    assert!(store.list_keys().await.unwrap().is_empty());
}

#[tokio::test]
async fn wrong_content_is_refused_and_leaves_nothing() {
    let staging = tempfile::tempdir().unwrap();
    let store = AttachmentStore::in_memory().with_staging_dir(staging.path());
    let refused = [
        samples::elf_executable(),
        samples::pe_executable(),
        samples::zip_with(&[("readme.txt", b"plain zip")]),
        samples::zip_with(&[("Doc_0/OFD.xml", b"<ofd:OFD/>")]),
        b"name.pdf is not enough\n".to_vec(),
    ];
    for bytes in refused {
        assert!(matches!(
            receive_bytes(&store, &bytes).await,
            Err(AttachmentError::UnsupportedType)
        ));
    }
    assert!(store.list_keys().await.unwrap().is_empty());
    assert!(is_empty_dir(staging.path()));
}

#[tokio::test]
async fn interrupted_upload_is_refused_and_leaves_nothing() {
    let store = AttachmentStore::in_memory();
    let chunks = stream::iter([
        Ok(Bytes::from(samples::genuine(AttachmentKind::Png))),
        Err("connection reset"),
    ]);
    let error = receive(&store, chunks, MAX_ATTACHMENT_BYTES)
        .await
        .unwrap_err();
    assert!(matches!(error, AttachmentError::Interrupted(detail) if detail == "connection reset"));
    assert!(store.list_keys().await.unwrap().is_empty());
}

#[tokio::test]
async fn local_store_round_trip() {
    let data = tempfile::tempdir().unwrap();
    let staging = tempfile::tempdir().unwrap();
    let dir = data.path().join("attachments");
    let store = AttachmentStore::local(&dir)
        .unwrap()
        .with_staging_dir(staging.path());
    let bytes = samples::png_of_len(6 * 1024 * 1024);

    let received = receive_bytes(&store, &bytes).await.unwrap();
    assert_eq!(std::fs::read(dir.join(&received.key)).unwrap(), bytes);
    assert_eq!(stored_bytes(&store, &received.key).await, bytes);
    assert_eq!(store.list_keys().await.unwrap(), vec![received.key.clone()]);
    assert!(is_empty_dir(staging.path()));

    store.delete(&received.key).await.unwrap();
    store.delete(&received.key).await.unwrap();
    assert!(store.list_keys().await.unwrap().is_empty());
    assert!(matches!(
        store.get_stream(&received.key).await,
        Err(AttachmentError::NotFound)
    ));
}

#[tokio::test]
async fn malformed_keys_name_nothing() {
    let data = tempfile::tempdir().unwrap();
    let store = AttachmentStore::local(&data.path().join("attachments")).unwrap();
    std::fs::write(data.path().join("secret.txt"), b"outside the store").unwrap();
    for key in ["", "/", "../secret.txt", "ab//cd", "ab/../../secret.txt"] {
        assert!(
            matches!(store.get_stream(key).await, Err(AttachmentError::NotFound)),
            "key {key:?}"
        );
    }
}

#[tokio::test]
async fn export_then_import_restores_every_file() {
    let source = AttachmentStore::in_memory();
    let mut originals = Vec::new();
    for kind in [
        AttachmentKind::Pdf,
        AttachmentKind::Ofd,
        AttachmentKind::Jpeg,
    ] {
        let bytes = samples::genuine(kind);
        let received = receive_bytes(&source, &bytes).await.unwrap();
        originals.push((received.key, bytes));
    }
    let total: u64 = originals.iter().map(|(_, bytes)| bytes.len() as u64).sum();

    let backup = tempfile::tempdir().unwrap();
    let exported = source.export_to_dir(backup.path()).await.unwrap();
    assert_eq!(
        exported,
        BackupSummary {
            files: 3,
            bytes: total
        }
    );

    let restored_dir = tempfile::tempdir().unwrap();
    let restored = AttachmentStore::local(restored_dir.path()).unwrap();
    let imported = restored.import_from_dir(backup.path()).await.unwrap();
    assert_eq!(imported, exported);
    assert_eq!(
        restored.list_keys().await.unwrap(),
        source.list_keys().await.unwrap()
    );
    for (key, bytes) in &originals {
        assert_eq!(&stored_bytes(&restored, key).await, bytes);
    }
    // Importing again overwrites in place.
    assert_eq!(
        restored.import_from_dir(backup.path()).await.unwrap(),
        exported
    );
    assert_eq!(restored.list_keys().await.unwrap().len(), 3);
}

#[tokio::test]
async fn export_of_an_empty_store_is_an_empty_folder() {
    let backup = tempfile::tempdir().unwrap();
    let target = backup.path().join("attachments");
    let summary = AttachmentStore::in_memory()
        .export_to_dir(&target)
        .await
        .unwrap();
    assert_eq!(summary, BackupSummary::default());
    assert!(is_empty_dir(&target));
}

#[test]
fn receive_can_run_in_a_spawned_task() {
    fn assert_send<T: Send>(_: &T) {}
    let store = AttachmentStore::in_memory();
    // Like a multer field: a `Send` stream whose errors are not `Sync`-bound.
    let chunks = stream::iter([Ok::<_, String>(Bytes::from_static(b"%PDF-1.7\n"))]);
    assert_send(&receive(&store, chunks, MAX_ATTACHMENT_BYTES));
}

#[test]
fn s3_store_is_built_offline_and_debug_hides_keys() {
    let config = S3Config {
        endpoint: Some("http://127.0.0.1:9000".into()),
        bucket: "catalogue".into(),
        region: "us-east-1".into(),
        access_key_id: Some("AKIAEXAMPLE".into()),
        secret_access_key: Some("top-secret".into()),
        allow_http: true,
    };
    let store = AttachmentStore::s3(&config).unwrap();
    let debug = format!("{store:?}");
    assert!(debug.contains("catalogue"));
    assert!(!debug.contains("top-secret"));
    assert!(!debug.contains("AKIAEXAMPLE"));
}

#[test]
fn from_env_defaults_to_the_data_folder() {
    if std::env::var_os(ENV_S3_BUCKET).is_some() {
        return; // The environment asks for S3; nothing local to check.
    }
    let data = tempfile::tempdir().unwrap();
    let store = AttachmentStore::from_env(data.path()).unwrap();
    assert!(data.path().join("attachments").is_dir());
    assert_eq!(store.staging_dir(), data.path().join("attachments-staging"));
    assert!(store.staging_dir().is_dir());
}

#[test]
fn record_attachment_count_is_capped() {
    assert!(check_attachment_count(0).is_ok());
    assert!(check_attachment_count(MAX_ATTACHMENTS_PER_RECORD - 1).is_ok());
    assert!(matches!(
        check_attachment_count(MAX_ATTACHMENTS_PER_RECORD),
        Err(AttachmentError::TooMany { limit: 10 })
    ));
}
