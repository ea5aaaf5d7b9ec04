//! The search backend this deployment runs on, chosen by configuration at startup.

use super::document::{DocumentKind, SearchDocument, DOCUMENT_FORMAT};
use super::embedded::EmbeddedIndex;
use super::index::{IndexError, SearchIndex};
use super::list::{ListQuery, ListedIds};
use super::meili::MeiliIndex;
use super::writer::Refusal;
use super::{SearchQuery, SearchResults};
use crate::clock::Clock;
use crate::error::AppError;
use sqlx::PgPool;

#[derive(Clone)]
pub enum SearchBackend {
    Embedded(EmbeddedIndex),
    Meilisearch(MeiliIndex),
}

/// Whether the backend answers, for `/healthz`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendHealth {
    /// `embedded` or `meilisearch`.
    pub backend: &'static str,
    pub ok: bool,
    /// Why not, when not: a kind of failure, never the backend's own message.
    pub detail: Option<&'static str>,
}

impl SearchBackend {
    /// The embedded index over `pool`.
    pub fn embedded(pool: PgPool, clock: Clock) -> SearchBackend {
        SearchBackend::Embedded(EmbeddedIndex::new(pool, clock))
    }

    /// Readies the backend: the embedded index brings its copy up to date; Meilisearch
    /// gets its index created if missing and the settings kept in code.
    ///
    /// # Errors
    /// [`IndexError::Unavailable`] when the backend cannot be reached; the server then
    /// serves anyway and calls this again until it succeeds.
    pub async fn prepare(&self) -> Result<(), IndexError> {
        match self {
            SearchBackend::Embedded(index) => index.catch_up().await,
            SearchBackend::Meilisearch(index) => index.prepare().await,
        }
    }

    /// Rebuilds the index from Postgres without ever leaving search empty; returns the
    /// number of documents written and the records the backend refused.
    ///
    /// One rebuild of an index at a time, across servers and commands: this waits while
    /// another process rebuilds or repairs it (the lock [`SearchBackend::repair`] takes).
    /// Two Meilisearch rebuilds at once fill and delete the same `_new` index, and one of
    /// them swapped in what the other had left of it: 2,725 of 121,571 documents, without
    /// the index's settings, so every search failed.
    ///
    /// # Errors
    /// [`IndexError::Unavailable`] when the backend or the database cannot be reached.
    pub async fn reindex(&self, pool: &PgPool) -> Result<(usize, Vec<Refusal>), IndexError> {
        let mut tx = pool.begin().await?;
        Self::lock_repair(&mut tx, &self.state_name()).await?;
        let rebuilt = self.rebuild(pool).await;
        // Released with the transaction, whatever the rebuild's outcome.
        tx.rollback().await?;
        rebuilt
    }

    /// The rebuild itself, by a caller that holds the lock.
    async fn rebuild(&self, pool: &PgPool) -> Result<(usize, Vec<Refusal>), IndexError> {
        match self {
            SearchBackend::Embedded(index) => index.reindex().await,
            SearchBackend::Meilisearch(index) => index.reindex(pool).await,
        }
    }

    /// Checks that the index is as the code wants it and puts right what is not: a missing
    /// Meilisearch index or one with other settings gets the settings and a rebuild,
    /// settings never applied (Meilisearch was down at start-up) are applied, documents of
    /// another format are rebuilt. The server runs this every minute. One server repairs
    /// at a time. Returns what it did, if anything.
    ///
    /// # Errors
    /// [`IndexError::Unavailable`] when the backend or the database cannot be reached.
    pub async fn repair(&self, pool: &PgPool) -> Result<Option<String>, IndexError> {
        if let SearchBackend::Meilisearch(index) = self {
            if let Some(reason) = index.drift().await? {
                let mut tx = pool.begin().await?;
                if !Self::try_lock_repair(&mut tx, &self.state_name()).await? {
                    tx.rollback().await?;
                    return Ok(None); // another server is on it
                }
                index.prepare().await?;
                let (written, refused) = index.reindex(pool).await?;
                log_refusals(&refused);
                self.mark_format_current(&mut *tx).await?;
                tx.commit().await?;
                index.note_older_documents(false);
                return Ok(Some(format!(
                    "{reason}: settings applied, {written} documents written again"
                )));
            }
            if !index.is_ready() {
                index.prepare().await?;
            }
        }
        Ok(self
            .ensure_format(pool)
            .await?
            .then(|| "documents of another format: index rebuilt".to_owned()))
    }

    /// Waits for the lock of [`SearchBackend::try_lock_repair`] and takes it.
    async fn lock_repair(tx: &mut sqlx::PgConnection, name: &str) -> Result<(), sqlx::Error> {
        sqlx::query_scalar!(
            r#"SELECT true AS "locked!"
               FROM (SELECT pg_advisory_xact_lock(hashtextextended('search-format:' || $1, 0))) taken"#,
            name
        )
        .fetch_one(tx)
        .await
        .map(|_| ())
    }

    /// The lock that lets one process at a time repair or rebuild the index `name`.
    async fn try_lock_repair(tx: &mut sqlx::PgConnection, name: &str) -> Result<bool, sqlx::Error> {
        sqlx::query_scalar!(
            r#"SELECT pg_try_advisory_xact_lock(hashtextextended('search-format:' || $1, 0)) AS "locked!""#,
            name
        )
        .fetch_one(tx)
        .await
    }

    /// Rebuilds the index when it holds documents of another format than the code
    /// writes ([`DOCUMENT_FORMAT`]), e.g. after an upgrade. One server does it (the others
    /// skip while it holds the lock); searches keep working meanwhile. Returns whether it
    /// rebuilt.
    ///
    /// Until the rebuild is done (on this server or another), the backend knows its index
    /// may hold older documents and lists read Postgres (`note_older_documents`).
    pub async fn ensure_format(&self, pool: &PgPool) -> Result<bool, IndexError> {
        let name = self.state_name();
        if Self::recorded_format(pool, &name).await? == Some(DOCUMENT_FORMAT) {
            self.note_older_documents(false);
            return Ok(false);
        }
        let mut tx = pool.begin().await?;
        if !Self::try_lock_repair(&mut tx, &name).await? {
            tx.rollback().await?;
            // Another server is rebuilding it (or creating it).
            self.note_older_documents(!self.holds_no_documents(pool).await?);
            return Ok(false);
        }
        let format = Self::recorded_format(&mut *tx, &name).await?;
        if format == Some(DOCUMENT_FORMAT) {
            // At once, not when the pool gets round to it: the lock goes with it.
            tx.rollback().await?;
            self.note_older_documents(false);
            return Ok(false);
        }
        if format.is_none() && self.holds_no_documents(pool).await? {
            // A new index: nothing in it is of an old format, and the outbox fills it.
            self.mark_format_current(&mut *tx).await?;
            tx.commit().await?;
            self.note_older_documents(false);
            return Ok(false);
        }
        self.note_older_documents(true);
        tracing::info!(
            index = name,
            found = ?format,
            wanted = DOCUMENT_FORMAT,
            "search documents are of another format: rebuilding the index"
        );
        let (written, refused) = self.rebuild(pool).await?;
        log_refusals(&refused);
        self.mark_format_current(&mut *tx).await?;
        tx.commit().await?;
        self.note_older_documents(false);
        tracing::info!(
            index = name,
            written,
            refused = refused.len(),
            "search index rebuilt"
        );
        Ok(true)
    }

    /// The document format recorded for the index `name`, if any.
    async fn recorded_format<'c>(
        executor: impl sqlx::PgExecutor<'c>,
        name: &str,
    ) -> Result<Option<i32>, sqlx::Error> {
        sqlx::query_scalar!(
            "SELECT format_version FROM search_index_state WHERE index_name = $1",
            name
        )
        .fetch_optional(executor)
        .await
    }

    /// Records whether the index may hold documents of an older format; only
    /// Meilisearch lists need to know (the embedded copy is built from `search_documents`,
    /// whose columns every format fills).
    fn note_older_documents(&self, older: bool) {
        if let SearchBackend::Meilisearch(index) = self {
            index.note_older_documents(older);
        }
    }

    /// Whether the index has never held a document (the embedded table is empty; a
    /// Meilisearch index cannot tell, so it is rebuilt to be sure).
    async fn holds_no_documents(&self, pool: &PgPool) -> Result<bool, IndexError> {
        match self {
            SearchBackend::Embedded(_) => Ok(sqlx::query_scalar!(
                r#"SELECT NOT EXISTS (SELECT 1 FROM search_documents) AS "empty!""#
            )
            .fetch_one(pool)
            .await?),
            SearchBackend::Meilisearch(_) => Ok(false),
        }
    }

    /// Records that the index holds documents of the code's format (after a rebuild).
    pub async fn mark_format_current<'c>(
        &self,
        executor: impl sqlx::PgExecutor<'c>,
    ) -> Result<(), IndexError> {
        sqlx::query!(
            "INSERT INTO search_index_state (index_name, format_version, rebuilt_at)
             VALUES ($1, $2, now())
             ON CONFLICT (index_name) DO UPDATE
             SET format_version = EXCLUDED.format_version, rebuilt_at = EXCLUDED.rebuilt_at",
            self.state_name(),
            DOCUMENT_FORMAT
        )
        .execute(executor)
        .await?;
        Ok(())
    }

    /// Writes today's fair-order keys into an index that stores them (Meilisearch); the
    /// embedded index computes them at search time and has nothing to do. Returns the
    /// number of documents written.
    pub async fn refresh_fair_order(&self, pool: &PgPool) -> Result<usize, IndexError> {
        match self {
            SearchBackend::Embedded(_) => Ok(0),
            SearchBackend::Meilisearch(index) => {
                let (written, refused) = index.refresh_fair_order(pool).await?;
                log_refusals(&refused);
                Ok(written)
            }
        }
    }

    /// The name the index's format version is kept under.
    pub fn state_name(&self) -> String {
        match self {
            SearchBackend::Embedded(index) => index.state_name().to_owned(),
            SearchBackend::Meilisearch(index) => index.index_uid(),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            SearchBackend::Embedded(_) => "embedded",
            SearchBackend::Meilisearch(_) => "meilisearch",
        }
    }

    /// Whether the backend answers now: a search for nothing, bounded by a second.
    pub async fn health(&self) -> BackendHealth {
        let probe = SearchQuery {
            kind: Some(DocumentKind::Organisation),
            ..SearchQuery::default()
        };
        let outcome =
            tokio::time::timeout(std::time::Duration::from_secs(1), self.search(&probe)).await;
        // The detail is public (`/healthz`): a kind of failure, never the backend's own
        // message, which may name internal addresses. That goes to the log.
        let detail = match outcome {
            Ok(Ok(_)) => None,
            Ok(Err(error)) => {
                tracing::debug!(backend = self.name(), %error, "search health check failed");
                Some(match error {
                    IndexError::Unavailable(_) => "cannot be reached or answered an error",
                    IndexError::Refused(_) => "refused the check",
                })
            }
            Err(_) => Some("no answer within a second"),
        };
        BackendHealth {
            backend: self.name(),
            ok: detail.is_none(),
            detail,
        }
    }

    /// A search. A backend failure is logged here and becomes
    /// [`AppError::SearchUnavailable`] (503, "search is unavailable"), not a database
    /// error.
    pub async fn run(&self, query: &SearchQuery) -> Result<SearchResults, AppError> {
        self.search(query).await.map_err(|error| {
            tracing::warn!(backend = self.name(), %error, "search backend failed");
            AppError::SearchUnavailable
        })
    }

    /// The revision of this server's own copy of the index (the embedded index's; 0 on
    /// Meilisearch, whose changes Postgres announces through the outbox): what a page
    /// rendered from the index depends on besides the catalogue's tables.
    pub fn copy_revision(&self) -> i64 {
        match self {
            SearchBackend::Embedded(index) => index.revision(),
            SearchBackend::Meilisearch(_) => 0,
        }
    }

    /// A page of a list (`search::list`), or, when the backend cannot answer, the same
    /// page from Postgres (`postgres`, awaited only then), so that lists never fail with
    /// search.
    ///
    /// # Errors
    /// What `postgres` returns, when it is needed.
    pub async fn list_or_else(
        &self,
        query: &ListQuery,
        postgres: impl std::future::Future<Output = Result<ListedIds, sqlx::Error>>,
    ) -> Result<ListedIds, sqlx::Error> {
        let listed = match self {
            SearchBackend::Embedded(index) => index.list(query).await,
            SearchBackend::Meilisearch(index) => index.list(query).await,
        };
        match listed {
            Ok(listed) => Ok(listed),
            Err(error) => {
                tracing::warn!(backend = self.name(), %error, "list read from Postgres: the search backend failed");
                postgres.await
            }
        }
    }

    /// [`SearchBackend::run`] for a page or the API, which show the facets: with the
    /// procurement categories' names read from `pool` (`procurement_names`; without them,
    /// logged, if that fails).
    pub async fn run_with_names(
        &self,
        pool: &PgPool,
        query: &SearchQuery,
    ) -> Result<SearchResults, AppError> {
        let mut results = self.run(query).await?;
        if let Err(error) = super::procurement_names::fill(pool, &mut results.facets).await {
            tracing::warn!(%error, "procurement category names unavailable");
        }
        Ok(results)
    }
}

/// Says in the log which records a backend refused, and why.
pub fn log_refusals(refused: &[Refusal]) {
    for refusal in refused {
        tracing::error!(
            kind = refusal.record.0.code(),
            id = refusal.record.1,
            reason = refusal.reason,
            "the search backend refused a document; it is left out of search"
        );
    }
}

impl SearchIndex for SearchBackend {
    async fn apply(
        &self,
        upserts: Vec<(DocumentKind, SearchDocument)>,
        deletes: Vec<(DocumentKind, i64)>,
    ) -> Result<(), IndexError> {
        match self {
            SearchBackend::Embedded(index) => index.apply(upserts, deletes).await,
            SearchBackend::Meilisearch(index) => index.apply(upserts, deletes).await,
        }
    }

    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, IndexError> {
        match self {
            SearchBackend::Embedded(index) => index.search(query).await,
            SearchBackend::Meilisearch(index) => index.search(query).await,
        }
    }

    fn batches_in_flight(&self) -> usize {
        match self {
            SearchBackend::Embedded(index) => index.batches_in_flight(),
            SearchBackend::Meilisearch(index) => index.batches_in_flight(),
        }
    }
}
