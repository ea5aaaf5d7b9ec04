//! `catalogue backup` and `restore`: a backup restored into a fresh database holds the same
//! catalogue; bad files and occupied databases are refused whole.

use server::commands::backup::restore;
use server::commands::seed::{self, Mode};
use sqlx::PgPool;

/// A fingerprint of the catalogue: counts and a hash of every name, in id order.
async fn fingerprint(pool: &PgPool) -> (i64, i64, i64, String) {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM products), (SELECT count(*) FROM scenarios),
                (SELECT count(*) FROM first_purchases),
                md5((SELECT string_agg(name || status::text, ',' ORDER BY id) FROM products)
                    || (SELECT string_agg(title, ',' ORDER BY id) FROM scenarios))",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_backup_restored_into_a_fresh_database_holds_the_same_catalogue(pool: PgPool) {
    seed::run(
        &pool,
        Mode::RefuseIfNotEmpty,
        crate::helpers::demo_calendar(),
    )
    .await
    .unwrap();
    let options = pool.connect_options();
    let source = options.get_database().unwrap().to_owned();
    // Names are cut at 63 bytes, and the test database's name is already that long.
    let target = format!("restored_{}", &source[source.len() - 20..]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("catalogue.dump");

    // The whole backup: the dump and the attachments' files, put in place together.
    let store = app::attachments::AttachmentStore::in_memory();
    let pdf = bytes::Bytes::from_static(b"%PDF-1.4\n%%EOF\n");
    let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(pdf)]);
    app::attachments::receive(&store, chunks, 1024)
        .await
        .unwrap();
    let files = server::commands::backup::backup_all(
        &crate::helpers::database_url_named(&options, &source),
        &store,
        &file,
    )
    .await
    .unwrap();
    assert_eq!(files.files, 1);
    assert!(std::fs::metadata(&file).unwrap().len() > 10_000);
    assert!(server::commands::backup::attachments_dir(&file).is_dir());
    assert!(
        !dir.path().join("catalogue.dump.staged").exists(),
        "nothing staged is left"
    );

    sqlx::query(&format!(r#"CREATE DATABASE "{target}""#))
        .execute(&pool)
        .await
        .unwrap();
    restore(
        &crate::helpers::database_url_named(&options, &target),
        &file,
        false,
    )
    .await
    .unwrap();
    let restored = PgPool::connect(&crate::helpers::database_url_named(&options, &target))
        .await
        .unwrap();
    assert_eq!(fingerprint(&restored).await, fingerprint(&pool).await);
    let original = fingerprint(&pool).await;
    assert_eq!(original.0, 300);
    // The migrations came along, so a server started on it applies nothing twice.
    server::database::migrate(&restored).await.unwrap();

    // A second restore into the now occupied database is refused and changes nothing.
    let error = restore(
        &crate::helpers::database_url_named(&options, &target),
        &file,
        false,
    )
    .await
    .unwrap_err();
    assert!(
        error.to_string().contains("already holds a catalogue"),
        "{error}"
    );
    assert_eq!(fingerprint(&restored).await, original);
    // With --replace it drops and restores in one go.
    restore(
        &crate::helpers::database_url_named(&options, &target),
        &file,
        true,
    )
    .await
    .unwrap();
    assert_eq!(fingerprint(&restored).await, original);
    restored.close().await;
    sqlx::query(&format!(r#"DROP DATABASE "{target}""#))
        .execute(&pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_backup_carries_the_attachments_files_and_restores_them() {
    use app::attachments::AttachmentStore;
    use server::commands::backup::{attachments_dir, backup_files, restore_files};
    let dir = tempfile::tempdir().unwrap();
    let source = AttachmentStore::local(&dir.path().join("source")).unwrap();
    let pdf = b"%PDF-1.4\n%%EOF\n".to_vec();
    let chunks =
        futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(pdf.clone()))]);
    let stored = app::attachments::receive(&source, chunks, 1024)
        .await
        .unwrap();
    let file = dir.path().join("catalogue.dump");
    let written = backup_files(&source, &file).await.unwrap();
    assert_eq!(written.files, 1);
    assert!(attachments_dir(&file).is_dir());

    let target = AttachmentStore::local(&dir.path().join("target")).unwrap();
    let restored = restore_files(&target, &file).await.unwrap().unwrap();
    assert_eq!(restored.files, 1);
    assert_eq!(target.list_keys().await.unwrap(), vec![stored.key.clone()]);
    // A backup without files restores none.
    let older = dir.path().join("older.dump");
    assert!(restore_files(&target, &older).await.unwrap().is_none());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_file_that_is_not_a_backup_is_refused_and_changes_nothing(pool: PgPool) {
    seed::run(
        &pool,
        Mode::RefuseIfNotEmpty,
        crate::helpers::demo_calendar(),
    )
    .await
    .unwrap();
    let before = fingerprint(&pool).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-backup.dump");
    std::fs::write(&file, "PGDMP but not really").unwrap();
    let options = pool.connect_options();
    let database = options.get_database().unwrap().to_owned();
    let error = restore(
        &crate::helpers::database_url_named(&options, &database),
        &file,
        true,
    )
    .await
    .unwrap_err();
    assert!(error.to_string().contains("is not a backup"), "{error}");
    assert_eq!(fingerprint(&pool).await, before);
}
