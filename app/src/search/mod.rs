//! Search across every agency's published records: the documents (read from Postgres),
//! word segmentation, written forms and the bilingual glossary, the two backends behind one interface, and the page.

#[cfg(feature = "ssr")]
pub mod backend;
#[cfg(feature = "ssr")]
pub mod background;
#[cfg(feature = "ssr")]
pub mod document;
#[cfg(feature = "ssr")]
pub mod embedded;
#[cfg(feature = "ssr")]
pub mod glossary;
#[cfg(feature = "ssr")]
pub mod highlight;
#[cfg(feature = "ssr")]
pub mod index;
pub mod kind;
#[cfg(feature = "ssr")]
pub mod list;
#[cfg(feature = "ssr")]
pub mod meili;
#[cfg(feature = "ssr")]
pub mod normalise;
mod page;
#[cfg(feature = "ssr")]
mod procurement_names;
pub mod query;
mod run_search;
#[cfg(feature = "ssr")]
pub mod segment;
#[cfg(feature = "ssr")]
pub mod writer;

#[cfg(feature = "ssr")]
pub use backend::{BackendHealth, SearchBackend};
#[cfg(feature = "ssr")]
pub use document::SearchDocument;
#[cfg(feature = "ssr")]
pub use embedded::{EmbeddedIndex, Storage as EmbeddedStorage};
#[cfg(feature = "ssr")]
pub use index::{IndexError, SearchIndex};
pub use kind::DocumentKind;
pub use page::SearchPage;
pub use query::{FacetCount, Facets, Fragment, SearchHit, SearchQuery, SearchResults, SortOrder};
pub use run_search::run_search;
