//! Search across every agency's published records. This part is the index's write side:
//! the documents (read from Postgres), the word segmentation, and the embedded index the
//! indexer keeps up to date from the search outbox.

pub mod document;
pub mod embedded;
pub mod index;
pub mod segment;

pub use document::{DocumentKind, SearchDocument};
pub use embedded::EmbeddedIndex;
pub use index::{IndexError, SearchIndex};
