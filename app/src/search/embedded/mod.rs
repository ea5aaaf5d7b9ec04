//! The embedded index, used when no Meilisearch is configured: needs no extra server.
//!
//! The indexer writes documents to the `search_documents` table (`store`), the durable
//! copy. Each server keeps a tantivy index of that table (`mirror`), on disk in its data
//! folder, follows it by revision, and searches there (`search`): a search costs a few
//! milliseconds of CPU and no database work beyond one look at the latest revision.

mod facets;
mod list;
mod list_cache;
mod mirror;
mod search;
mod store;

pub use mirror::Storage;

use super::document::{DocumentKind, SearchDocument};
use super::index::{IndexError, SearchIndex};
use super::list::{ListQuery, ListedIds};
use super::writer::{self, Refusal};
use super::{SearchQuery, SearchResults};
use crate::clock::Clock;
use sqlx::PgPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct EmbeddedIndex {
    pool: PgPool,
    clock: Clock,
    mirror: Arc<mirror::Mirror>,
    /// Searches running at once, at most one per core: more would only share the cores
    /// and make every search slower.
    running: Arc<tokio::sync::Semaphore>,
    /// The landing view of `/search` (no words, no filters, first page): the most
    /// frequent and the costliest search (it counts facets over everything), computed
    /// once per change of the index and day.
    landing: Arc<std::sync::Mutex<Option<Landing>>>,
    /// List pages read since the copy last changed.
    lists: Arc<list_cache::ListCache>,
}

struct Landing {
    revision: i64,
    today: chrono::NaiveDate,
    results: SearchResults,
}

impl EmbeddedIndex {
    /// The index over `pool` with its copy in memory: for commands that search nothing
    /// (they only write `search_documents`) and for tests.
    pub fn new(pool: PgPool, clock: Clock) -> Self {
        Self::open(pool, clock, &Storage::Memory)
            .expect("an empty in-memory index can always be made")
    }

    /// The index over `pool` with its copy kept in `storage` (a server's data folder),
    /// opened as it was left or made empty; it catches up with the table on first use.
    ///
    /// # Errors
    /// [`IndexError::Unavailable`] when the folder cannot be created or read, or another
    /// process holds its index (two servers given the same data folder).
    pub fn open(pool: PgPool, clock: Clock, storage: &Storage) -> Result<Self, IndexError> {
        let mirror = mirror::Mirror::open(storage).map_err(IndexError::unavailable)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(EmbeddedIndex {
            pool,
            clock,
            mirror: Arc::new(mirror),
            running: Arc::new(tokio::sync::Semaphore::new(cores)),
            landing: Arc::default(),
            lists: Arc::default(),
        })
    }

    /// The highest revision of `search_documents` this server's copy holds.
    pub fn revision(&self) -> i64 {
        self.mirror.revision()
    }

    /// Brings this server's copy up to date with the table before returning (at startup:
    /// opens the copy kept on disk and applies what changed, or loads it all).
    pub async fn catch_up(&self) -> Result<(), IndexError> {
        self.mirror.catch_up_now(&self.pool).await
    }

    /// Rebuilds `search_documents` from the catalogue: every listed record is written
    /// again under its lock (see `writer`), then documents that were not are removed.
    /// Searches keep working throughout. Returns the number of documents written and the
    /// records refused.
    pub async fn reindex(&self) -> Result<(usize, Vec<Refusal>), IndexError> {
        let start = store::latest_revision(&self.pool).await?;
        let outcome =
            writer::rewrite_all(&self.pool, self, REINDEX_BATCH, self.clock.today()).await?;
        store::remove_not_rewritten_since(&self.pool, start).await?;
        Ok(outcome)
    }

    /// A page of a list (`search::list`), from this server's copy once it has caught up;
    /// kept until the copy changes (`list_cache`).
    ///
    /// # Errors
    /// [`IndexError::Unavailable`] when the table or the copy cannot be read.
    pub async fn list(&self, query: &ListQuery) -> Result<ListedIds, IndexError> {
        self.mirror.catch_up(&self.pool).await?;
        let searcher = self.mirror.reader.searcher();
        let generation = searcher.generation().generation_id();
        if let Some(page) = self.lists.get(generation, query) {
            return Ok(page);
        }
        let mirror = Arc::clone(&self.mirror);
        let asked = query.clone();
        let permit = Arc::clone(&self.running).acquire_owned().await?;
        let page = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            list::list(&mirror, &searcher, &asked)
        })
        .await??;
        self.lists.put(generation, query, &page);
        Ok(page)
    }

    /// The name its format version is kept under (`search_index_state`).
    pub fn state_name(&self) -> &'static str {
        "embedded"
    }
}

/// Records read and written per round of a rebuild.
const REINDEX_BATCH: i64 = 1_000;

impl SearchIndex for EmbeddedIndex {
    async fn apply(
        &self,
        upserts: Vec<(DocumentKind, SearchDocument)>,
        deletes: Vec<(DocumentKind, i64)>,
    ) -> Result<(), IndexError> {
        store::apply(&self.pool, upserts, deletes).await?;
        Ok(())
    }

    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, IndexError> {
        let started = std::time::Instant::now();
        let today = self.clock.today();
        self.mirror.catch_up(&self.pool).await?;
        let caught_up = started.elapsed();
        let revision = self.mirror.revision();
        let is_landing = *query == SearchQuery::default();
        if is_landing {
            let kept = self.landing.lock().ok().and_then(|kept| {
                kept.as_ref()
                    .filter(|kept| kept.revision == revision && kept.today == today)
                    .map(|kept| kept.results.clone())
            });
            if let Some(results) = kept {
                return Ok(results);
            }
        }
        let mirror = Arc::clone(&self.mirror);
        let query = query.clone();
        let permit = Arc::clone(&self.running).acquire_owned().await?;
        // Searching is CPU work: it runs off the threads that serve requests.
        let results = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            search::search(&mirror, &query, today)
        })
        .await??;
        tracing::debug!(?caught_up, total = ?started.elapsed(), "embedded search");
        if is_landing {
            if let Ok(mut kept) = self.landing.lock() {
                *kept = Some(Landing {
                    revision,
                    today,
                    results: results.clone(),
                });
            }
        }
        Ok(results)
    }
}
