//! Search across every agency's published records. This part is the index's write side:
//! the documents (read from Postgres), the word segmentation, and the embedded index the
//! indexer keeps up to date from the search outbox.

#[cfg(feature = "ssr")]
pub mod document;
#[cfg(feature = "ssr")]
pub mod embedded;
#[cfg(feature = "ssr")]
pub mod engine;
#[cfg(feature = "ssr")]
pub mod highlight;
#[cfg(feature = "ssr")]
pub mod index;
pub mod kind;
mod page;
pub mod query;
mod run_search;
#[cfg(feature = "ssr")]
pub mod segment;

#[cfg(feature = "ssr")]
pub use document::SearchDocument;
#[cfg(feature = "ssr")]
pub use embedded::EmbeddedIndex;
#[cfg(feature = "ssr")]
pub use index::{IndexError, SearchIndex};
pub use kind::DocumentKind;
pub use page::SearchPage;
pub use query::{FacetCount, Facets, Fragment, SearchHit, SearchQuery, SearchResults, SortOrder};
pub use run_search::run_search;
