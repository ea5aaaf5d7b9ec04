//! One search interface with two implementations: the embedded index (the default) and
//! Meilisearch (when one is configured). Both pass the same contract test suite.

use super::document::{DocumentKind, SearchDocument};
use super::{SearchQuery, SearchResults};
use std::future::Future;

/// Why a backend did not do what it was asked. The indexer treats the two kinds
/// differently: work the backend could not take *now* is retried with back-off; a request
/// the backend *refused* is split until the refused documents are found, and those are set
/// aside (dead letters) while the rest goes through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    /// Unreachable, timed out, overloaded, misconfigured (a wrong key, a missing index):
    /// nothing is wrong with the documents, so the same request may succeed later.
    #[error("the search backend is unavailable: {0}")]
    Unavailable(String),
    /// The backend answered that it will not take this request (a document it cannot
    /// index): sending the same request again fails again.
    #[error("the search backend refused the request: {0}")]
    Refused(String),
}

impl IndexError {
    pub fn unavailable(error: impl std::fmt::Display) -> IndexError {
        IndexError::Unavailable(error.to_string())
    }

    pub fn is_refusal(&self) -> bool {
        matches!(self, IndexError::Refused(_))
    }
}

impl From<sqlx::Error> for IndexError {
    /// The embedded index lives in PostgreSQL: losing the connection is an outage; an
    /// error about the data itself (a constraint, an encoding) is a refusal.
    fn from(error: sqlx::Error) -> IndexError {
        match error {
            sqlx::Error::Database(ref database)
                if !database.code().is_some_and(|code| {
                    // Class 08: connection exceptions; 53: insufficient resources;
                    // 57: operator intervention (shutdown); 40: serialisation, deadlock.
                    ["08", "53", "57", "40"]
                        .iter()
                        .any(|class| code.starts_with(class))
                }) =>
            {
                IndexError::Refused(error.to_string())
            }
            other => IndexError::Unavailable(other.to_string()),
        }
    }
}

impl From<tantivy::TantivyError> for IndexError {
    fn from(error: tantivy::TantivyError) -> IndexError {
        IndexError::Unavailable(format!("embedded index: {error}"))
    }
}

impl From<super::background::Stopped> for IndexError {
    fn from(error: super::background::Stopped) -> IndexError {
        IndexError::Unavailable(error.to_string())
    }
}

impl From<tokio::task::JoinError> for IndexError {
    fn from(error: tokio::task::JoinError) -> IndexError {
        IndexError::Unavailable(format!("search task: {error}"))
    }
}

impl From<tokio::sync::AcquireError> for IndexError {
    fn from(error: tokio::sync::AcquireError) -> IndexError {
        IndexError::Unavailable(format!("search limiter closed: {error}"))
    }
}

pub trait SearchIndex: Send + Sync + 'static {
    /// Brings the index up to date. Idempotent: upserting a document twice, or deleting
    /// one that is not there, leaves the same index.
    ///
    /// # Errors
    /// [`IndexError::Refused`] when the backend will not take some of these documents,
    /// [`IndexError::Unavailable`] when it cannot be reached or answer now.
    fn apply(
        &self,
        upserts: Vec<(DocumentKind, SearchDocument)>,
        deletes: Vec<(DocumentKind, i64)>,
    ) -> impl Future<Output = Result<(), IndexError>> + Send;

    /// Runs a (validated) search over everything published.
    ///
    /// # Errors
    /// [`IndexError::Unavailable`] when the backend cannot answer.
    fn search(
        &self,
        query: &SearchQuery,
    ) -> impl Future<Output = Result<SearchResults, IndexError>> + Send;

    /// How many batches the outbox indexer may have in [`SearchIndex::apply`] at once: 1
    /// (the default) where writes cannot overlap usefully; more where the backend indexes
    /// batches that arrive together in one go (Meilisearch).
    fn batches_in_flight(&self) -> usize {
        1
    }
}
