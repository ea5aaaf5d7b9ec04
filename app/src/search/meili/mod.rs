//! The Meilisearch backend, through meilisearch-sdk. Several deployments may share one
//! Meilisearch: each writes only its own index, `{site_id}_records`, with a write key
//! scoped to `{site_id}_*`, and owns that index's settings. A deployment configured with
//! partner site ids also searches their indexes (a federated multi-search, with a search
//! key scoped to those indexes); their hits say which site they come from and link there.
//!
//! Meilisearch may be down when the server starts, or go away later: the site keeps
//! serving pages, searches answer 503 ("search is unavailable"), and the settings are
//! applied as soon as it answers (`prepare` is retried in the background).

mod document;
mod errors;
mod filter;
mod list;
mod rebuild;
mod relax;
mod search;
mod settings;

pub use document::MeiliDocument;
pub use filter::quoted;
pub use settings::{settings, MAX_TOTAL_HITS};

use super::document::{DocumentKind, SearchDocument};
use super::index::{IndexError, SearchIndex};
use super::writer::{self, Refusal};
use super::{SearchQuery, SearchResults};
use crate::clock::Clock;
use meilisearch_sdk::client::{Client, SwapIndexes};
use meilisearch_sdk::errors::{Error as MeiliError, ErrorCode};
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How long a write waits for Meilisearch to process it before the batch is retried.
const TASK_TIMEOUT: Duration = Duration::from_secs(60);
const TASK_POLL: Duration = Duration::from_millis(50);
/// Documents per request when rebuilding the index.
pub const REINDEX_BATCH: i64 = 1_000;

#[derive(Clone, Debug)]
pub struct Partner {
    pub site_id: String,
    /// Where the partner's site is, for links to its records: `https://kjj.wuxi.gov.cn`.
    pub base_url: String,
}

/// Where Meilisearch is and the keys to use. The keys never appear in `Debug` output,
/// logs or pages.
#[derive(Clone)]
pub struct MeiliConfig {
    pub url: String,
    pub site_id: String,
    /// Scoped to this deployment's indexes (`{site_id}_*`): documents, settings, indexes.
    pub write_key: String,
    /// Scoped to search on this deployment's and its partners' indexes.
    pub search_key: String,
    pub partners: Vec<Partner>,
}

impl std::fmt::Debug for MeiliConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeiliConfig")
            .field("url", &self.url)
            .field("site_id", &self.site_id)
            .field("write_key", &"<redacted>")
            .field("search_key", &"<redacted>")
            .field("partners", &self.partners)
            .finish()
    }
}

/// A site id names indexes: lower-case letters, digits and `_`, starting with a letter.
pub fn valid_site_id(site_id: &str) -> bool {
    (1..=40).contains(&site_id.len())
        && site_id.starts_with(|c: char| c.is_ascii_lowercase())
        && site_id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub fn index_uid_of(site_id: &str) -> String {
    format!("{site_id}_records")
}

#[derive(Clone)]
pub struct MeiliIndex {
    inner: Arc<Inner>,
}

struct Inner {
    config: MeiliConfig,
    writer: Client,
    searcher: Client,
    clock: Clock,
    /// Whether the index exists with the settings kept in code (set by `prepare`).
    ready: AtomicBool,
    /// Whether the index may hold documents of an older format than the code writes
    /// (`SearchBackend::ensure_format` found so and has not rebuilt it yet): lists then
    /// come from Postgres, since an older document may lack a field a list filters on.
    older_documents: AtomicBool,
    partners: search::PartnerHealth,
}

impl MeiliIndex {
    /// # Errors
    /// An invalid site id, or a URL the client cannot use.
    pub fn new(config: MeiliConfig, clock: Clock) -> Result<MeiliIndex, IndexError> {
        for site_id in
            std::iter::once(&config.site_id).chain(config.partners.iter().map(|p| &p.site_id))
        {
            if !valid_site_id(site_id) {
                return Err(IndexError::Unavailable(format!(
                    "site id {site_id:?} must be lower-case letters, digits and _, starting with a letter"
                )));
            }
        }
        let writer =
            Client::new(&config.url, Some(&config.write_key)).map_err(IndexError::unavailable)?;
        let searcher =
            Client::new(&config.url, Some(&config.search_key)).map_err(IndexError::unavailable)?;
        Ok(MeiliIndex {
            inner: Arc::new(Inner {
                config,
                writer,
                searcher,
                clock,
                ready: AtomicBool::new(false),
                older_documents: AtomicBool::new(false),
                partners: search::PartnerHealth::default(),
            }),
        })
    }

    pub fn config(&self) -> &MeiliConfig {
        &self.inner.config
    }

    fn searcher(&self) -> &Client {
        &self.inner.searcher
    }

    fn today(&self) -> chrono::NaiveDate {
        self.inner.clock.today()
    }

    pub fn index_uid(&self) -> String {
        index_uid_of(&self.inner.config.site_id)
    }

    /// Records whether the index may hold documents of an older format (see
    /// `SearchBackend::ensure_format`); lists read Postgres while it may.
    pub fn note_older_documents(&self, older: bool) {
        self.inner.older_documents.store(older, Ordering::Release);
    }

    /// Whether the index may hold documents of an older format.
    pub fn may_hold_older_documents(&self) -> bool {
        self.inner.older_documents.load(Ordering::Acquire)
    }

    /// Whether `prepare` has succeeded since the server started.
    pub fn is_ready(&self) -> bool {
        self.inner.ready.load(Ordering::Acquire)
    }

    /// Creates the index if it is missing and applies the settings kept in code.
    ///
    /// # Errors
    /// [`IndexError::Unavailable`] when Meilisearch cannot be reached or refuses the key.
    pub async fn prepare(&self) -> Result<(), IndexError> {
        self.ensure_index(&self.index_uid()).await?;
        self.inner.ready.store(true, Ordering::Release);
        Ok(())
    }

    /// Creates `uid` unless it exists (another server may create it at the same moment:
    /// that is not an error), then applies the settings.
    async fn ensure_index(&self, uid: &str) -> Result<(), IndexError> {
        let writer = &self.inner.writer;
        match writer.get_index(uid).await {
            Ok(_) => {}
            Err(MeiliError::Meilisearch(error)) if error.error_code == ErrorCode::IndexNotFound => {
                let task = writer
                    .create_index(uid, Some("uid"))
                    .await
                    .map_err(errors::classify)?;
                match self.finished(task).await {
                    Ok(()) => {}
                    Err(error) if errors::is_already_exists(&error) => {}
                    Err(error) => return Err(error),
                }
            }
            Err(other) => return Err(errors::classify(other)),
        }
        let task = writer
            .index(uid)
            .set_settings(&settings())
            .await
            .map_err(errors::classify)?;
        self.finished(task).await
    }

    /// Whether this deployment's index is not as the code wants it, and how: missing (a
    /// Meilisearch restarted on an empty data folder), or with other ranking rules or
    /// sortable attributes (re-created by a write with Meilisearch's defaults).
    ///
    /// # Errors
    /// [`IndexError::Unavailable`] when Meilisearch cannot be asked.
    pub async fn drift(&self) -> Result<Option<&'static str>, IndexError> {
        let index = match self.inner.writer.get_index(self.index_uid()).await {
            Ok(index) => index,
            Err(MeiliError::Meilisearch(error)) if error.error_code == ErrorCode::IndexNotFound => {
                return Ok(Some("the index is missing"));
            }
            Err(other) => return Err(errors::classify(other)),
        };
        let current = index.get_settings().await.map_err(errors::classify)?;
        let wanted = settings();
        let as_set = |list: &Option<Vec<String>>| {
            list.iter()
                .flatten()
                .cloned()
                .collect::<std::collections::BTreeSet<String>>()
        };
        if current.ranking_rules != wanted.ranking_rules
            || as_set(&current.sortable_attributes) != as_set(&wanted.sortable_attributes)
        {
            return Ok(Some("the index's settings are not the code's"));
        }
        Ok(None)
    }

    /// Deletes this deployment's index (tests clean up with it; the site never does).
    pub async fn delete_own_index(&self) -> Result<(), IndexError> {
        let task = self
            .inner
            .writer
            .delete_index(self.index_uid())
            .await
            .map_err(errors::classify)?;
        self.finished(task).await
    }

    /// Waits for a task and turns a failed one into an error.
    pub(super) async fn finished(&self, task: TaskInfo) -> Result<(), IndexError> {
        match task
            .wait_for_completion(&self.inner.writer, Some(TASK_POLL), Some(TASK_TIMEOUT))
            .await
            .map_err(errors::classify)?
        {
            Task::Succeeded { .. } => Ok(()),
            Task::Failed { content } => Err(errors::failed_task(content.task.uid, &content.error)),
            other => Err(IndexError::Unavailable(format!(
                "Meilisearch task {} did not finish",
                other.get_uid()
            ))),
        }
    }

    pub(super) fn documents(
        &self,
        upserts: &[(DocumentKind, SearchDocument)],
    ) -> Vec<MeiliDocument> {
        let today = self.today();
        upserts
            .iter()
            .map(|(kind, doc)| MeiliDocument::new(&self.inner.config.site_id, *kind, doc, today))
            .collect()
    }

    pub(super) async fn write(
        &self,
        uid: &str,
        documents: &[MeiliDocument],
    ) -> Result<(), IndexError> {
        match self.send_write(uid, documents).await? {
            Some(task) => self.finished(task).await,
            None => Ok(()),
        }
    }

    /// Sends `documents` to be added or replaced in `uid`, without waiting for the task.
    pub(super) async fn send_write(
        &self,
        uid: &str,
        documents: &[MeiliDocument],
    ) -> Result<Option<TaskInfo>, IndexError> {
        if documents.is_empty() {
            return Ok(None);
        }
        let task = self
            .inner
            .writer
            .index(uid)
            .add_or_replace(documents, Some("uid"))
            .await
            .map_err(errors::classify)?;
        Ok(Some(task))
    }

    pub(super) async fn delete(
        &self,
        uid: &str,
        records: &[(DocumentKind, i64)],
    ) -> Result<(), IndexError> {
        match self.send_delete(uid, records).await? {
            Some(task) => self.finished(task).await,
            None => Ok(()),
        }
    }

    /// Sends `records` to be deleted from `uid`, without waiting for the task.
    pub(super) async fn send_delete(
        &self,
        uid: &str,
        records: &[(DocumentKind, i64)],
    ) -> Result<Option<TaskInfo>, IndexError> {
        if records.is_empty() {
            return Ok(None);
        }
        let ids: Vec<String> = records
            .iter()
            .map(|(kind, id)| document::uid(*kind, *id))
            .collect();
        let task = self
            .inner
            .writer
            .index(uid)
            .delete_documents(&ids)
            .await
            .map_err(errors::classify)?;
        Ok(Some(task))
    }

    /// Rebuilds the index from Postgres into a new index, then swaps it in: searches see
    /// the old index until the new one is complete. Whatever changed while it ran (the
    /// records the outbox mentions after it started) is then written again into the live
    /// index from its current state, so a record withdrawn during the rebuild does not
    /// come back with the swap. Only this deployment's index is touched. Returns the
    /// number of documents written and the records refused.
    pub async fn reindex(&self, pool: &sqlx::PgPool) -> Result<(usize, Vec<Refusal>), IndexError> {
        let live = self.index_uid();
        let fresh = format!("{live}_new");
        let writer = &self.inner.writer;
        let mark = writer::outbox_mark(pool).await?;
        // A `_new` index left by an interrupted rebuild is stale.
        if writer.get_index(&fresh).await.is_ok() {
            let task = writer
                .delete_index(&fresh)
                .await
                .map_err(errors::classify)?;
            self.finished(task).await?;
        }
        self.ensure_index(&fresh).await?;
        self.ensure_index(&live).await?;
        // All done before the swap.
        let (written, mut refused) = self.rewrite_all_into(pool, &fresh).await?;
        let task = writer
            .swap_indexes([&SwapIndexes {
                indexes: (live.clone(), fresh.clone()),
                rename: None,
            }])
            .await
            .map_err(errors::classify)?;
        self.finished(task).await?;
        // What changed while the rebuild ran, written again into what is now the live
        // index, before anything else can fail.
        let changed = writer::records_queued_since(pool, mark).await?;
        refused.extend(writer::rewrite(pool, self, changed, self.today()).await?);
        // The old index, now named `_new`: leaving it behind costs space, never results.
        let dropped = match writer.delete_index(&fresh).await {
            Ok(task) => self.finished(task).await,
            Err(error) => Err(errors::classify(error)),
        };
        if let Err(error) = dropped {
            tracing::warn!(index = fresh, %error, "the replaced index could not be deleted; the next rebuild deletes it");
        }
        Ok((written, refused))
    }

    /// Writes every listed record again with today's fair-order key (`fair`), so that
    /// ties are broken in the day's order (the scheduler runs this once a day). Each record
    /// is written under its lock from its current state, like any other write.
    pub async fn refresh_fair_order(
        &self,
        pool: &sqlx::PgPool,
    ) -> Result<(usize, Vec<Refusal>), IndexError> {
        self.rewrite_all_into(pool, &self.index_uid()).await
    }

    /// Writes every listed record into `uid`, with several batches in flight (`rebuild`),
    /// and returns once all are done: the number written and the records refused.
    async fn rewrite_all_into(
        &self,
        pool: &sqlx::PgPool,
        uid: &str,
    ) -> Result<(usize, Vec<Refusal>), IndexError> {
        let target = rebuild::IndexAt::pipelined(self.clone(), uid.to_owned());
        let (written, mut refused) =
            writer::rewrite_all(pool, &target, REINDEX_BATCH, self.today()).await?;
        // Records of refused batches, again one at a time, to set the refused ones aside.
        let redo = target.settle_all().await?;
        let one_at_a_time = rebuild::IndexAt::one_task_at_a_time(self.clone(), uid.to_owned());
        let again = writer::rewrite(pool, &one_at_a_time, redo, self.today()).await?;
        refused.extend(again.iter().cloned());
        Ok((written.saturating_sub(again.len()), refused))
    }
}

impl SearchIndex for MeiliIndex {
    async fn apply(
        &self,
        upserts: Vec<(DocumentKind, SearchDocument)>,
        deletes: Vec<(DocumentKind, i64)>,
    ) -> Result<(), IndexError> {
        let uid = self.index_uid();
        self.delete(&uid, &deletes).await?;
        self.write(&uid, &self.documents(&upserts)).await
    }

    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, IndexError> {
        self.run_search(query).await
    }

    /// [`rebuild::TASKS_IN_FLIGHT`]: Meilisearch indexes consecutive additions to one
    /// index together when they are queued together.
    fn batches_in_flight(&self) -> usize {
        rebuild::TASKS_IN_FLIGHT
    }
}
