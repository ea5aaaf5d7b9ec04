//! Each server's copy of `search_documents`, as a tantivy index. It follows the table by
//! revision: before a search, a server that is a little behind applies the rows it has
//! not seen (new documents, and tombstones of removed ones); one far behind answers from
//! the copy as it is while it applies them in the background (`catch_up`).
//!
//! A server keeps its copy on disk, in its data folder (`Storage::Folder`): the operating
//! system's page cache holds what searches read, instead of the server's heap, and a
//! restarted server only applies what changed while it was down. Each commit records
//! which table it follows and up to which revision (the commit payload); a copy of another
//! format, another database or table, or one whose count of documents disagrees with the
//! table is rebuilt from the table. Commands and tests that keep no copy use
//! `Storage::Memory`.

use super::super::document::{days_since_epoch, record_hash};
use super::super::{DocumentKind, IndexError};
use sqlx::PgPool;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use tantivy::directory::MmapDirectory;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Rows read from the table per round while catching up.
const ROWS_PER_ROUND: i64 = 5_000;
/// A search that finds the copy this many revisions behind or fewer brings it up to date
/// before answering (a publication shows in the next search). Further behind (a full
/// reindex, a bulk load), it answers from the copy as it is, and the copy catches up in
/// the background, showing its progress every `COMMIT_ROWS`.
const INLINE_REVISIONS: i64 = 2_000;
const COMMIT_ROWS: usize = 20_000;
/// Memory for the writer's buffer: tantivy's minimum. Larger only makes fewer, bigger
/// segments on a first load (merged later anyway), at the cost of the server's heap.
const WRITER_MEMORY: usize = 15_000_000;
/// Decompressed blocks of stored documents kept per segment (tantivy's default is 100):
/// a page of hits reads 20 documents, and a block is quick to decompress again, so a
/// large cache would only hold heap.
const STORE_CACHE_BLOCKS: usize = 4;
/// The version of what a commit payload says and of the schema below: a copy on disk of
/// another version is rebuilt. Raise it with any change to `schema()`.
const MIRROR_FORMAT: &str = "mirror-1";

/// Where a server keeps its copy.
#[derive(Debug, Clone)]
pub enum Storage {
    /// In the heap, gone with the process.
    Memory,
    /// In this folder (created if missing), kept across restarts.
    Folder(PathBuf),
}

/// The index's fields. Words fields hold the words segmented at indexing time, split on
/// spaces only; the raw title and body are stored for highlighting.
#[derive(Clone, Copy)]
pub struct Fields {
    pub key: Field,
    pub kind: Field,
    /// The record's id (fast, for the lists' order).
    pub id: Field,
    /// The organisation it belongs to (publisher, supplier, owner; itself for an
    /// organisation), for an organisation's lists.
    pub organisation: Field,
    pub title_words: Field,
    /// What the title is also searched by (its normalised form, glossary terms).
    pub title_terms: Field,
    pub body_words: Field,
    /// What the body is also searched by (normalised form, glossary terms, procurement
    /// categories).
    pub body_terms: Field,
    /// All four together, for matching a word anywhere.
    pub all_words: Field,
    pub title: Field,
    pub body: Field,
    pub organisation_name: Field,
    pub agency: Field,
    pub category: Field,
    pub location: Field,
    pub stage: Field,
    pub batch: Field,
    pub certification: Field,
    /// Every level of a product's procurement category (`domain::procurement::path`).
    pub procurement: Field,
    pub eligible: Field,
    pub first_purchased: Field,
    pub amount_min: Field,
    pub amount_max: Field,
    /// Days since 1970-01-01.
    pub open_until: Field,
    /// Seconds since 1970-01-01.
    pub published_at: Field,
    /// The record's hash (`document::record_hash`), from which the day's fair order
    /// among equals is computed at search time.
    pub fair: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let words = |record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("whitespace")
                .set_index_option(record),
        )
    };
    let facet = STRING | FAST | STORED;
    let number = NumericOptions::default()
        .set_indexed()
        .set_fast()
        .set_stored();
    let fields = Fields {
        key: builder.add_text_field("key", STRING),
        kind: builder.add_text_field("kind", facet.clone()),
        id: builder.add_i64_field("id", NumericOptions::default().set_stored().set_fast()),
        organisation: builder
            .add_i64_field("organisation", NumericOptions::default().set_indexed()),
        title_words: builder.add_text_field("title_words", words(IndexRecordOption::WithFreqs)),
        title_terms: builder.add_text_field("title_terms", words(IndexRecordOption::WithFreqs)),
        body_words: builder.add_text_field("body_words", words(IndexRecordOption::WithFreqs)),
        body_terms: builder.add_text_field("body_terms", words(IndexRecordOption::WithFreqs)),
        all_words: builder.add_text_field("all_words", words(IndexRecordOption::Basic)),
        title: builder.add_text_field("title", STORED),
        body: builder.add_text_field("body", STORED),
        organisation_name: builder.add_text_field("organisation_name", STORED),
        agency: builder.add_text_field("agency", facet.clone()),
        category: builder.add_text_field("category", facet.clone()),
        location: builder.add_text_field("location", facet.clone()),
        stage: builder.add_text_field("stage", facet.clone()),
        batch: builder.add_text_field("batch", facet.clone()),
        certification: builder.add_text_field("certification", facet.clone()),
        procurement: builder.add_text_field("procurement", facet),
        eligible: builder.add_bool_field("eligible", number.clone()),
        first_purchased: builder.add_bool_field("first_purchased", number.clone()),
        amount_min: builder.add_i64_field("amount_min", number.clone()),
        amount_max: builder.add_i64_field("amount_max", number.clone()),
        open_until: builder.add_i64_field("open_until", number.clone()),
        published_at: builder.add_i64_field("published_at", number),
        fair: builder.add_u64_field("fair", FAST),
    };
    (builder.build(), fields)
}

pub struct Mirror {
    pub fields: Fields,
    pub reader: IndexReader,
    /// The highest revision applied; read without the lock to skip it when current.
    revision: AtomicI64,
    /// The table followed (`store::Latest::source`): a restored database has another.
    source: AtomicI64,
    /// Whether the count of documents was compared with the table's since the copy was
    /// opened (a copy on disk may have missed changes it cannot see by revision, such as a
    /// table emptied and filled again).
    counted: AtomicBool,
    /// Whether the copy is catching up in the background.
    following: AtomicBool,
    /// Held while catching up: one catch-up at a time.
    catching_up: tokio::sync::Mutex<()>,
    /// Used on blocking threads only (`on_writer`), so that building documents and
    /// committing never take a thread that answers requests.
    writer: Arc<std::sync::Mutex<IndexWriter>>,
    /// The folder's lock (`lock_folder`), held as long as the copy is.
    _folder_lock: Option<std::fs::File>,
}

struct Row {
    kind: DocumentKind,
    id: i64,
    deleted: bool,
    revision: i64,
    title: String,
    body: String,
    title_words: String,
    body_words: String,
    title_terms: String,
    body_terms: String,
    organisation_id: Option<i64>,
    organisation_name: Option<String>,
    agency_name: Option<String>,
    category: Option<String>,
    location: Option<String>,
    stage: Option<String>,
    batch_code: Option<String>,
    certifications: Vec<String>,
    procurement: Vec<String>,
    eligible: bool,
    first_purchased: bool,
    amount_min_fen: Option<i64>,
    amount_max_fen: Option<i64>,
    open_until: Option<chrono::NaiveDate>,
    published_at: Option<chrono::DateTime<chrono::Utc>>,
}

pub fn key(kind: DocumentKind, id: i64) -> String {
    format!("{}:{id}", kind.code())
}

impl Mirror {
    /// Opens the copy kept in `storage`, or makes an empty one. A folder holding a copy of
    /// another schema is emptied first.
    ///
    /// # Errors
    /// The folder cannot be created or read, or its index is locked by another process
    /// (two servers given the same data folder).
    pub fn open(storage: &Storage) -> tantivy::Result<Mirror> {
        let (schema, fields) = schema();
        let (index, folder_lock) = match storage {
            Storage::Memory => (Index::create_in_ram(schema), None),
            Storage::Folder(folder) => {
                let lock = lock_folder(folder)?;
                (open_folder(folder, schema)?, Some(lock))
            }
        };
        let (revision, source) = index
            .load_metas()?
            .payload
            .as_deref()
            .and_then(parse_payload)
            .unwrap_or((0, 0));
        // Made on the background thread, so that the writer's indexing and merging threads
        // run at its lower priority (`search::background`).
        let writer = {
            let index = index.clone();
            crate::search::background::run_and_wait(move || {
                index.writer_with_num_threads(1, WRITER_MEMORY)
            })
            .map_err(|stopped| tantivy::TantivyError::SystemError(stopped.to_string()))??
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(STORE_CACHE_BLOCKS)
            .try_into()?;
        Ok(Mirror {
            fields,
            reader,
            revision: AtomicI64::new(revision),
            source: AtomicI64::new(source),
            counted: AtomicBool::new(false),
            following: AtomicBool::new(false),
            catching_up: tokio::sync::Mutex::new(()),
            writer: Arc::new(std::sync::Mutex::new(writer)),
            _folder_lock: folder_lock,
        })
    }

    /// The highest revision applied so far.
    pub fn revision(&self) -> i64 {
        self.revision.load(Ordering::Acquire)
    }

    /// Before a search: applies every row of the table changed since the last call, or,
    /// when there are many (`INLINE_REVISIONS`), has them applied in the background and
    /// lets the search answer from the copy as it is. Cheap when nothing changed: one
    /// look at the highest revision.
    pub async fn catch_up(self: &Arc<Self>, pool: &PgPool) -> Result<(), IndexError> {
        let latest = super::store::latest(pool).await?;
        if self.is_current(&latest) {
            return Ok(());
        }
        let following_the_same_table = latest.source == self.source.load(Ordering::Acquire)
            && self.counted.load(Ordering::Acquire)
            && self.revision() > 0;
        if following_the_same_table
            && (latest.revision - self.revision() > INLINE_REVISIONS
                || self.following.load(Ordering::Acquire))
        {
            self.follow_in_background(pool);
            return Ok(());
        }
        self.catch_up_now(pool).await
    }

    /// Catches up in a task of its own, unless one is already at it.
    fn follow_in_background(self: &Arc<Self>, pool: &PgPool) {
        if self.following.swap(true, Ordering::AcqRel) {
            return;
        }
        let mirror = Arc::clone(self);
        let pool = pool.clone();
        tokio::spawn(async move {
            if let Err(error) = mirror.catch_up_now(&pool).await {
                tracing::warn!(%error, "the search index could not catch up; the next search tries again");
            }
            mirror.following.store(false, Ordering::Release);
        });
    }

    /// Applies every row of the table changed since the last call, before returning.
    pub async fn catch_up_now(&self, pool: &PgPool) -> Result<(), IndexError> {
        let _catching_up = self.catching_up.lock().await;
        let latest = super::store::latest(pool).await?;
        if self.is_current(&latest) {
            return Ok(()); // another search caught up while this one waited
        }
        let mut revision = self.revision.load(Ordering::Acquire);
        if latest.source != self.source.load(Ordering::Acquire) || latest.revision < revision {
            // Another table (the database was restored, or the folder belongs to another
            // one), or revisions went back: what this server holds no longer follows the
            // table; start again from nothing.
            if revision > 0 {
                tracing::warn!(
                    revision,
                    latest = latest.revision,
                    "search documents replaced: loading the search index again"
                );
            }
            revision = self.reset(latest.source).await?;
        }
        let from = revision;
        revision = self
            .apply_since(&mut *pool.acquire().await?, revision)
            .await?;
        self.commit(revision).await?;
        if revision - from >= ROWS_PER_ROUND {
            give_back_freed_memory();
        }
        if !self.counted.load(Ordering::Acquire) {
            self.check_count(pool, latest.source, revision).await?;
        }
        Ok(())
    }

    /// Once per opening, compares the copy's count of documents with the table's, and
    /// loads the copy again when they differ (it missed changes it cannot see by
    /// revision). What is still missing is applied and the table counted in one snapshot
    /// (a repeatable-read transaction), so the two agree exactly however busy the writers
    /// are: counted at another moment, a table that never stops changing would never be
    /// compared, and every search would wait to catch up.
    async fn check_count(
        &self,
        pool: &PgPool,
        source: i64,
        revision: i64,
    ) -> Result<(), IndexError> {
        let mut snapshot = pool.begin().await?;
        sqlx::query!("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *snapshot)
            .await?;
        let revision = self.apply_since(&mut snapshot, revision).await?;
        self.commit(revision).await?;
        let live = super::store::live_documents(&mut snapshot).await?;
        snapshot.rollback().await?;
        let held = self.reader.searcher().num_docs();
        if live != held {
            tracing::warn!(
                held,
                live,
                "the search index on disk missed changes: loading it again"
            );
            self.reset(source).await?;
            let revision = self.apply_since(&mut *pool.acquire().await?, 0).await?;
            self.commit(revision).await?;
        }
        self.counted.store(true, Ordering::Release);
        Ok(())
    }

    fn is_current(&self, latest: &super::store::Latest) -> bool {
        latest.source == self.source.load(Ordering::Acquire)
            && latest.revision == self.revision.load(Ordering::Acquire)
            && self.counted.load(Ordering::Acquire)
    }

    /// Empties the copy, to follow `source` from its first revision. Returns 0.
    async fn reset(&self, source: i64) -> Result<i64, IndexError> {
        self.on_writer(|writer| writer.delete_all_documents().map(drop))
            .await?;
        self.revision.store(0, Ordering::Release);
        self.source.store(source, Ordering::Release);
        Ok(0)
    }

    /// Writes every row changed after `revision`, committing every `COMMIT_ROWS`;
    /// returns the last revision written.
    async fn apply_since(
        &self,
        db: &mut sqlx::PgConnection,
        mut revision: i64,
    ) -> Result<i64, IndexError> {
        let mut uncommitted = 0;
        loop {
            // A mirror starting empty needs no tombstones.
            let rows: Vec<Row> = sqlx::query_as!(
                Row,
                r#"SELECT kind AS "kind: DocumentKind", id, deleted, revision, title, body,
                        title_words, body_words, title_terms, body_terms, organisation_id,
                        organisation_name,
                        agency_name, category,
                        location, stage, batch_code, certifications, procurement, eligible,
                        first_purchased, amount_min_fen, amount_max_fen, open_until,
                        published_at
                 FROM search_documents
                 WHERE revision > $1 AND NOT (deleted AND $1 = 0)
                 ORDER BY revision LIMIT $2"#,
                revision,
                ROWS_PER_ROUND
            )
            .fetch_all(&mut *db)
            .await?;
            let Some(last) = rows.last() else { break };
            revision = last.revision;
            uncommitted += rows.len();
            let fields = self.fields;
            self.on_writer(move |writer| {
                rows.into_iter()
                    .try_for_each(|row| write(&fields, writer, row))
            })
            .await?;
            if uncommitted >= COMMIT_ROWS {
                self.commit(revision).await?;
                uncommitted = 0;
            }
        }
        Ok(revision)
    }

    /// Commits what was written, recording which table and revision it follows, and shows
    /// it to searches.
    async fn commit(&self, revision: i64) -> Result<(), IndexError> {
        let source = self.source.load(Ordering::Acquire);
        let payload = format!("{MIRROR_FORMAT} {source} {revision}");
        self.on_writer(move |writer| {
            let mut commit = writer.prepare_commit()?;
            commit.set_payload(&payload);
            commit.commit().map(drop)
        })
        .await?;
        self.reader.reload()?;
        self.revision.store(revision, Ordering::Release);
        Ok(())
    }

    /// Runs `job` with the writer on a blocking thread (tokio's `spawn_blocking`), not on
    /// a thread that answers requests: a commit waits for the indexing threads. (Not on
    /// the background thread: a search's catch-up must not queue behind a reindex.)
    async fn on_writer<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut IndexWriter) -> tantivy::Result<T> + Send + 'static,
    ) -> Result<T, IndexError> {
        let writer = Arc::clone(&self.writer);
        let done = tokio::task::spawn_blocking(move || {
            // A job that panicked left the writer as tantivy leaves it after an error:
            // usable, its uncommitted documents to be written again.
            let mut writer = writer
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            job(&mut writer)
        })
        .await?;
        Ok(done?)
    }
}

/// Adds `row` to the writer (or only removes its older version, for a tombstone).
fn write(f: &Fields, writer: &IndexWriter, row: Row) -> tantivy::Result<()> {
    let key = key(row.kind, row.id);
    writer.delete_term(Term::from_field_text(f.key, &key));
    if row.deleted {
        return Ok(());
    }
    let mut doc = TantivyDocument::new();
    doc.add_text(f.key, &key);
    doc.add_text(f.kind, row.kind.code());
    doc.add_i64(f.id, row.id);
    if let Some(organisation) = row.organisation_id {
        doc.add_i64(f.organisation, organisation);
    }
    doc.add_text(f.title_words, &row.title_words);
    doc.add_text(f.title_terms, &row.title_terms);
    doc.add_text(f.body_words, &row.body_words);
    doc.add_text(f.body_terms, &row.body_terms);
    doc.add_text(
        f.all_words,
        format!(
            "{} {} {} {}",
            row.title_words, row.title_terms, row.body_words, row.body_terms
        ),
    );
    doc.add_text(f.title, &row.title);
    doc.add_text(f.body, &row.body);
    let optional = [
        (f.organisation_name, &row.organisation_name),
        (f.agency, &row.agency_name),
        (f.category, &row.category),
        (f.location, &row.location),
        (f.stage, &row.stage),
        (f.batch, &row.batch_code),
    ];
    for (field, value) in optional {
        if let Some(value) = value {
            doc.add_text(field, value);
        }
    }
    for certification in &row.certifications {
        doc.add_text(f.certification, certification);
    }
    for level in &row.procurement {
        doc.add_text(f.procurement, level);
    }
    doc.add_bool(f.eligible, row.eligible);
    doc.add_bool(f.first_purchased, row.first_purchased);
    let numbers = [
        // One bound stands for both (see `SearchDocument::amount_range`).
        (f.amount_min, row.amount_min_fen.or(row.amount_max_fen)),
        (f.amount_max, row.amount_max_fen.or(row.amount_min_fen)),
        (f.open_until, row.open_until.map(days_since_epoch)),
        (f.published_at, row.published_at.map(|at| at.timestamp())),
    ];
    for (field, value) in numbers {
        if let Some(value) = value {
            doc.add_i64(field, value);
        }
    }
    doc.add_u64(f.fair, record_hash(row.kind, row.id));
    writer.add_document(doc)?;
    Ok(())
}

/// Returns the heap a large catch-up freed to the operating system: glibc keeps freed
/// memory in each thread's arena for reuse, so without this the server's resident memory
/// stays at the high-water mark of its largest catch-up.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases free memory; it takes no pointer.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The file in a copy's folder that a server locks for as long as it keeps its copy
/// there; never removed with the copy.
const FOLDER_LOCK: &str = "server.lock";

/// Locks `folder` (created if missing) for this server, before anything in it is read or
/// removed: a second server given the same data folder must neither write into the copy
/// nor empty it.
///
/// # Errors
/// Another process holds the lock, or the folder cannot be created.
fn lock_folder(folder: &Path) -> tantivy::Result<std::fs::File> {
    std::fs::create_dir_all(folder)?;
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(folder.join(FOLDER_LOCK))?;
    match lock.try_lock() {
        Ok(()) => Ok(lock),
        Err(std::fs::TryLockError::WouldBlock) => Err(tantivy::TantivyError::SystemError(format!(
            "another server keeps its search index in {}",
            folder.display()
        ))),
        Err(std::fs::TryLockError::Error(error)) => Err(error.into()),
    }
}

/// Opens the index in `folder` (locked by `lock_folder`), or creates it there. What
/// cannot be opened as an index of this schema (another schema, a damaged or foreign
/// file) is removed: the copy is only ever a cache of `search_documents`.
fn open_folder(folder: &Path, schema: Schema) -> tantivy::Result<Index> {
    match Index::open_or_create(MmapDirectory::open(folder)?, schema.clone()) {
        Err(error) => {
            tracing::warn!(?folder, %error, "cannot open the search index: building it again");
            for entry in std::fs::read_dir(folder)? {
                let entry = entry?;
                if entry.file_name() == FOLDER_LOCK {
                    continue;
                }
                if entry.file_type()?.is_dir() {
                    std::fs::remove_dir_all(entry.path())?;
                } else {
                    std::fs::remove_file(entry.path())?;
                }
            }
            Index::create_in_dir(folder, schema)
        }
        opened => opened,
    }
}

/// `(revision, source)` from a commit payload of this format.
fn parse_payload(payload: &str) -> Option<(i64, i64)> {
    let mut parts = payload.split(' ');
    if parts.next()? != MIRROR_FORMAT {
        return None;
    }
    let source = parts.next()?.parse().ok()?;
    let revision = parts.next()?.parse().ok()?;
    Some((revision, source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_of_this_format_is_read_and_others_are_not() {
        assert_eq!(
            parse_payload(&format!("{MIRROR_FORMAT} -42 7")),
            Some((7, -42))
        );
        assert_eq!(parse_payload("mirror-0 1 7"), None);
        assert_eq!(parse_payload(MIRROR_FORMAT), None);
        assert_eq!(parse_payload(""), None);
    }
}
