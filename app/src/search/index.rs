//! One search interface with two implementations: the embedded index (the default) and
//! Meilisearch (when one is configured). Both pass the same contract test suite.

use super::document::{DocumentKind, SearchDocument};
use super::{SearchQuery, SearchResults};
use std::future::Future;

pub type IndexError = Box<dyn std::error::Error + Send + Sync>;

pub trait SearchIndex: Send + Sync + 'static {
    /// Brings the index up to date. Idempotent: upserting a document twice, or deleting
    /// one that is not there, leaves the same index.
    fn apply(
        &self,
        upserts: Vec<(DocumentKind, SearchDocument)>,
        deletes: Vec<(DocumentKind, i64)>,
    ) -> impl Future<Output = Result<(), IndexError>> + Send;

    /// Runs a (validated) search over everything published.
    fn search(
        &self,
        query: &SearchQuery,
    ) -> impl Future<Output = Result<SearchResults, IndexError>> + Send;
}
