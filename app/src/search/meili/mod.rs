//! The Meilisearch backend, through meilisearch-sdk. Several deployments may share one
//! Meilisearch: each writes only its own index, `{site_id}_records`, with a write key
//! scoped to `{site_id}_*`, and owns that index's settings. A deployment configured with
//! partner site ids also searches their indexes (a federated multi-search, with a search
//! key scoped to those indexes); their hits say which site they come from and link there.

mod document;
mod filter;
mod search;
mod settings;

pub use document::MeiliDocument;
pub use filter::quoted;
pub use settings::{settings, MAX_TOTAL_HITS};

use super::document::{DocumentKind, SearchDocument};
use super::index::{IndexError, SearchIndex};
use super::{SearchQuery, SearchResults};
use meilisearch_sdk::client::{Client, SwapIndexes};
use meilisearch_sdk::errors::{Error as MeiliError, ErrorCode};
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;
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

#[derive(Clone, Debug)]
pub struct MeiliConfig {
    pub url: String,
    pub site_id: String,
    /// Scoped to this deployment's indexes (`{site_id}_*`): documents, settings, indexes.
    pub write_key: String,
    /// Scoped to search on this deployment's and its partners' indexes.
    pub search_key: String,
    pub partners: Vec<Partner>,
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

/// The deployment's date, for "still open": China Standard Time has no daylight saving.
pub fn today() -> chrono::NaiveDate {
    let china = chrono::FixedOffset::east_opt(8 * 3600).expect("a valid offset");
    chrono::Utc::now().with_timezone(&china).date_naive()
}

#[derive(Clone)]
pub struct MeiliIndex {
    inner: Arc<Inner>,
}

struct Inner {
    config: MeiliConfig,
    writer: Client,
    searcher: Client,
}

impl MeiliIndex {
    pub fn new(config: MeiliConfig) -> Result<MeiliIndex, IndexError> {
        for site_id in
            std::iter::once(&config.site_id).chain(config.partners.iter().map(|p| &p.site_id))
        {
            if !valid_site_id(site_id) {
                return Err(format!(
                    "site id {site_id:?} must be lower-case letters, digits and _, starting with a letter"
                )
                .into());
            }
        }
        let writer = Client::new(&config.url, Some(&config.write_key))?;
        let searcher = Client::new(&config.url, Some(&config.search_key))?;
        Ok(MeiliIndex {
            inner: Arc::new(Inner {
                config,
                writer,
                searcher,
            }),
        })
    }

    pub fn config(&self) -> &MeiliConfig {
        &self.inner.config
    }

    fn searcher(&self) -> &Client {
        &self.inner.searcher
    }

    pub fn index_uid(&self) -> String {
        index_uid_of(&self.inner.config.site_id)
    }

    /// Creates the index if it is missing and applies the settings kept in code.
    pub async fn prepare(&self) -> Result<(), IndexError> {
        self.ensure_index(&self.index_uid()).await
    }

    async fn ensure_index(&self, uid: &str) -> Result<(), IndexError> {
        let writer = &self.inner.writer;
        match writer.get_index(uid).await {
            Ok(_) => {}
            Err(MeiliError::Meilisearch(error)) if error.error_code == ErrorCode::IndexNotFound => {
                let task = writer.create_index(uid, Some("uid")).await?;
                self.finished(task).await?;
            }
            Err(other) => return Err(other.into()),
        }
        let task = writer.index(uid).set_settings(&settings()).await?;
        self.finished(task).await
    }

    /// Deletes this deployment's index (tests clean up with it; the site never does).
    pub async fn delete_own_index(&self) -> Result<(), IndexError> {
        let task = self.inner.writer.delete_index(self.index_uid()).await?;
        self.finished(task).await
    }

    /// Waits for a task and turns a failed one into an error.
    async fn finished(&self, task: TaskInfo) -> Result<(), IndexError> {
        match task
            .wait_for_completion(&self.inner.writer, Some(TASK_POLL), Some(TASK_TIMEOUT))
            .await?
        {
            Task::Succeeded { .. } => Ok(()),
            Task::Failed { content } => Err(format!(
                "Meilisearch task {} failed: {}",
                content.task.uid, content.error.error_message
            )
            .into()),
            other => Err(format!("Meilisearch task {} did not finish", other.get_uid()).into()),
        }
    }

    async fn write(&self, uid: &str, documents: &[MeiliDocument]) -> Result<(), IndexError> {
        if documents.is_empty() {
            return Ok(());
        }
        let task = self
            .inner
            .writer
            .index(uid)
            .add_or_replace(documents, Some("uid"))
            .await?;
        self.finished(task).await
    }

    /// Rebuilds the index from Postgres into a new index, then swaps it in: searches see
    /// the old index until the new one is complete. Only this deployment's index is
    /// touched. Returns the number of documents written.
    pub async fn reindex(&self, pool: &sqlx::PgPool) -> Result<usize, IndexError> {
        let live = self.index_uid();
        let fresh = format!("{live}_new");
        let writer = &self.inner.writer;
        // A `_new` index left by an interrupted rebuild is stale.
        if writer.get_index(&fresh).await.is_ok() {
            let task = writer.delete_index(&fresh).await?;
            self.finished(task).await?;
        }
        self.ensure_index(&fresh).await?;
        self.ensure_index(&live).await?;
        let mut written = 0;
        for kind in DocumentKind::ALL {
            let mut after = 0;
            loop {
                let page = super::document::public_page(pool, *kind, after, REINDEX_BATCH).await?;
                let Some(last) = page.last() else { break };
                after = last.id;
                let documents: Vec<MeiliDocument> = page
                    .iter()
                    .map(|doc| MeiliDocument::new(&self.inner.config.site_id, *kind, doc))
                    .collect();
                self.write(&fresh, &documents).await?;
                written += documents.len();
            }
        }
        let task = writer
            .swap_indexes([&SwapIndexes {
                indexes: (live.clone(), fresh.clone()),
                rename: None,
            }])
            .await?;
        self.finished(task).await?;
        let task = writer.delete_index(&fresh).await?;
        self.finished(task).await?;
        Ok(written)
    }
}

impl SearchIndex for MeiliIndex {
    async fn apply(
        &self,
        upserts: Vec<(DocumentKind, SearchDocument)>,
        deletes: Vec<(DocumentKind, i64)>,
    ) -> Result<(), IndexError> {
        let uid = self.index_uid();
        if !deletes.is_empty() {
            let ids: Vec<String> = deletes
                .iter()
                .map(|(kind, id)| document::uid(*kind, *id))
                .collect();
            let task = self.inner.writer.index(&uid).delete_documents(&ids).await?;
            self.finished(task).await?;
        }
        let documents: Vec<MeiliDocument> = upserts
            .iter()
            .map(|(kind, doc)| MeiliDocument::new(&self.inner.config.site_id, *kind, doc))
            .collect();
        self.write(&uid, &documents).await
    }

    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, IndexError> {
        Ok(self.run_search(query).await?)
    }
}
