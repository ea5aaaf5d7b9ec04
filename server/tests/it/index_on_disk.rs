//! The embedded index's copy on disk (a server's data folder): kept across restarts, it
//! applies only what changed meanwhile, and a copy that no longer follows the table (it
//! missed changes, the table was replaced, the folder holds something else) is built again
//! from `search_documents`.

use crate::fixtures::*;
use app::domain::ProductId;
use app::publication::{self, Subject};
use app::search::{DocumentKind, EmbeddedIndex, EmbeddedStorage, SearchIndex, SearchQuery};
use sqlx::PgPool;
use std::path::Path;

fn open(pool: &PgPool, folder: &Path) -> EmbeddedIndex {
    EmbeddedIndex::open(
        pool.clone(),
        crate::helpers::test_clock(),
        &EmbeddedStorage::Folder(folder.to_owned()),
    )
    .expect("the folder opens")
}

/// Ids of the products `index` finds for `text`, in order.
async fn found(index: &EmbeddedIndex, text: &str) -> Vec<i64> {
    let query = SearchQuery {
        q: text.to_owned(),
        kind: Some(DocumentKind::Product),
        ..SearchQuery::default()
    };
    let mut ids: Vec<i64> = index
        .search(&query)
        .await
        .unwrap()
        .hits
        .iter()
        .map(|hit| hit.id)
        .collect();
    ids.sort_unstable();
    ids
}

/// A published product named `name`, drained into `search_documents`.
async fn listed_product(pool: &PgPool, name: &str) -> i64 {
    let firm = organisation(pool, &format!("{name}公司"), "enterprise", "320411", true).await;
    let id = product(pool, firm, None, name, "new_materials", "in_review").await;
    publish_product(pool, id).await;
    drain_all(pool).await;
    id
}

#[sqlx::test(migrations = "../migrations")]
async fn a_restarted_server_keeps_its_copy_and_applies_only_what_changed(pool: PgPool) {
    let folder = tempfile::tempdir().unwrap();
    let graphene = listed_product(&pool, "石墨烯导热膜").await;
    let index = open(&pool, folder.path());
    assert_eq!(index.revision(), 0, "a new folder starts empty");
    assert_eq!(found(&index, "石墨烯").await, vec![graphene]);
    let revision = index.revision();
    assert!(revision > 0);
    drop(index);

    // While the server is down: another product is listed, the first withdrawn.
    let robot = listed_product(&pool, "工业机器人视觉检测系统").await;
    let mut tx = pool.begin().await.unwrap();
    publication::withdraw(
        &mut tx,
        Subject::Product(ProductId(graphene)),
        None,
        "停产",
        crate::helpers::test_clock().now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    drain_all(&pool).await;

    let index = open(&pool, folder.path());
    assert_eq!(
        index.revision(),
        revision,
        "the copy is read back from the folder, not loaded again"
    );
    assert_eq!(found(&index, "机器人").await, vec![robot]);
    assert_eq!(found(&index, "石墨烯").await, Vec::<i64>::new());
    assert!(index.revision() > revision);
}

/// A folder whose copy holds the graphene film, after the table was emptied without
/// tombstones (as a restore of an older dump into the same table would) and a robot
/// listed: its revision is above the copy's, so following by revision alone would keep
/// the graphene film forever. Returns the folder and the robot's id.
async fn copy_that_missed_changes(pool: &PgPool) -> (tempfile::TempDir, i64) {
    let folder = tempfile::tempdir().unwrap();
    let graphene = listed_product(pool, "石墨烯导热膜").await;
    let index = open(pool, folder.path());
    assert_eq!(found(&index, "石墨烯").await, vec![graphene]);
    drop(index);
    sqlx::query("DELETE FROM search_documents")
        .execute(pool)
        .await
        .unwrap();
    let robot = listed_product(pool, "工业机器人视觉检测系统").await;
    (folder, robot)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_copy_that_missed_changes_is_built_again(pool: PgPool) {
    let (folder, robot) = copy_that_missed_changes(&pool).await;

    let index = open(&pool, folder.path());
    assert_eq!(found(&index, "机器人").await, vec![robot]);
    assert_eq!(found(&index, "石墨烯").await, Vec::<i64>::new());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_copy_that_missed_changes_is_built_again_while_writes_go_on(pool: PgPool) {
    let (folder, robot) = copy_that_missed_changes(&pool).await;

    // An indexer that never stops writing (the robot's document, again and again): the
    // table's count must still be compared with the copy's.
    let writing = tokio::spawn({
        let pool = pool.clone();
        async move {
            loop {
                sqlx::query(
                    "UPDATE search_documents SET revision = nextval('search_documents_revision')
                     WHERE kind = 'product' AND id = $1",
                )
                .bind(robot)
                .execute(&pool)
                .await
                .unwrap();
            }
        }
    });
    let index = open(&pool, folder.path());
    let first = found(&index, "石墨烯").await;
    writing.abort();
    assert_eq!(
        first,
        Vec::<i64>::new(),
        "the copy that missed changes was kept"
    );
    assert_eq!(found(&index, "机器人").await, vec![robot]);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_copy_of_a_replaced_table_is_built_again(pool: PgPool) {
    let folder = tempfile::tempdir().unwrap();
    let graphene = listed_product(&pool, "石墨烯导热膜").await;
    let robot = listed_product(&pool, "工业机器人视觉检测系统").await;
    let index = open(&pool, folder.path());
    assert_eq!(found(&index, "石墨烯").await, vec![graphene]);
    drop(index);

    // A restore: the table is a new one holding the same revisions, the graphene film's
    // document a tombstone at the same revision.
    for statement in [
        "CREATE TABLE restored (LIKE search_documents INCLUDING ALL)",
        "INSERT INTO restored SELECT * FROM search_documents",
        "DROP TABLE search_documents",
        "ALTER TABLE restored RENAME TO search_documents",
    ] {
        sqlx::query(statement).execute(&pool).await.unwrap();
    }
    sqlx::query(
        "UPDATE search_documents SET deleted = true, title_words = '', body_words = ''
         WHERE kind = 'product' AND id = $1",
    )
    .bind(graphene)
    .execute(&pool)
    .await
    .unwrap();

    let index = open(&pool, folder.path());
    assert_eq!(found(&index, "石墨烯").await, Vec::<i64>::new());
    assert_eq!(found(&index, "机器人").await, vec![robot]);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_folder_holding_something_else_is_replaced(pool: PgPool) {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("meta.json"), "not an index").unwrap();
    let graphene = listed_product(&pool, "石墨烯导热膜").await;
    let index = open(&pool, folder.path());
    assert_eq!(found(&index, "石墨烯").await, vec![graphene]);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_folder_another_server_holds_is_refused(pool: PgPool) {
    let folder = tempfile::tempdir().unwrap();
    let _first = open(&pool, folder.path());
    let second = EmbeddedIndex::open(
        pool.clone(),
        crate::helpers::test_clock(),
        &EmbeddedStorage::Folder(folder.path().to_owned()),
    );
    assert!(second.is_err(), "two writers in one folder");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_folder_another_server_holds_is_never_emptied(pool: PgPool) {
    let folder = tempfile::tempdir().unwrap();
    let graphene = listed_product(&pool, "石墨烯导热膜").await;
    let first = open(&pool, folder.path());
    assert_eq!(found(&first, "石墨烯").await, vec![graphene]);
    // What the second server reads cannot be opened (the first is writing it, or it is
    // damaged): it must still not remove what the first one keeps there.
    let meta = folder.path().join("meta.json");
    let kept = std::fs::read(&meta).unwrap();
    std::fs::write(&meta, "being written").unwrap();
    let files = std::fs::read_dir(folder.path()).unwrap().count();
    let second = EmbeddedIndex::open(
        pool.clone(),
        crate::helpers::test_clock(),
        &EmbeddedStorage::Folder(folder.path().to_owned()),
    );
    assert!(second.is_err(), "a second server in the folder");
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), files);
    std::fs::write(&meta, kept).unwrap();
    drop(first);
    let reopened = open(&pool, folder.path());
    assert!(
        reopened.revision() > 0,
        "the first server's copy is still there"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_copy_far_behind_catches_up_in_the_background_while_searches_answer(pool: PgPool) {
    let graphene = listed_product(&pool, "石墨烯导热膜").await;
    let index = EmbeddedIndex::new(pool.clone(), crate::helpers::test_clock());
    assert_eq!(found(&index, "石墨烯").await, vec![graphene]);
    // A full reindex's worth of revisions later (more than a search applies before it
    // answers), a new product.
    sqlx::query(
        "SELECT setval('search_documents_revision', nextval('search_documents_revision') + 5000)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let robot = listed_product(&pool, "工业机器人视觉检测系统").await;
    // Searches go on answering from the copy as it is while it catches up.
    assert_eq!(found(&index, "石墨烯").await, vec![graphene]);
    for _ in 0..200 {
        if found(&index, "机器人").await == vec![robot] {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the copy never caught up");
}
