//! Where the indexer writes: one interface, implemented by the embedded index here and by
//! Meilisearch when one is configured.

use super::document::{DocumentKind, SearchDocument};
use std::future::Future;

pub type IndexError = Box<dyn std::error::Error + Send + Sync>;

/// Brings an index up to date. Both operations are idempotent: upserting a document
/// twice, or deleting one that is not there, leaves the same index.
pub trait SearchIndex: Send + Sync + 'static {
    fn apply(
        &self,
        upserts: Vec<(DocumentKind, SearchDocument)>,
        deletes: Vec<(DocumentKind, i64)>,
    ) -> impl Future<Output = Result<(), IndexError>> + Send;
}
