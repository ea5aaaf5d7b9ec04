//! The search backend this deployment runs on, chosen by configuration at startup.

use super::document::{DocumentKind, SearchDocument};
use super::embedded::EmbeddedIndex;
use super::index::{IndexError, SearchIndex};
use super::meili::MeiliIndex;
use super::{SearchQuery, SearchResults};
use crate::error::AppError;

#[derive(Clone)]
pub enum SearchBackend {
    Embedded(EmbeddedIndex),
    Meilisearch(MeiliIndex),
}

impl SearchBackend {
    /// Readies the backend before the server takes requests (the embedded index loads
    /// its in-memory mirror).
    /// (Meilisearch: creates the index if missing and applies the settings kept in code.)
    pub async fn prepare(&self) -> Result<(), IndexError> {
        match self {
            SearchBackend::Embedded(index) => index.catch_up().await,
            SearchBackend::Meilisearch(index) => index.prepare().await,
        }
    }

    /// Rebuilds the index from Postgres without ever leaving search empty; returns the
    /// number of documents written.
    pub async fn reindex(&self, pool: &sqlx::PgPool) -> Result<usize, IndexError> {
        match self {
            SearchBackend::Embedded(index) => index.reindex().await,
            SearchBackend::Meilisearch(index) => index.reindex(pool).await,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            SearchBackend::Embedded(_) => "embedded",
            SearchBackend::Meilisearch(_) => "meilisearch",
        }
    }

    /// A search for a page or the API: failures become a 503, logged here.
    pub async fn run(&self, query: &SearchQuery) -> Result<SearchResults, AppError> {
        self.search(query)
            .await
            .map_err(|error| match error.downcast::<sqlx::Error>() {
                Ok(database) => AppError::from(*database),
                Err(other) => {
                    tracing::warn!(error = %other, "search backend failed");
                    AppError::Unavailable
                }
            })
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
}
