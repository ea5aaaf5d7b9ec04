//! Types shared by the server and the browser: ids, codes, states, money. Values that can
//! be invalid are parsed once, at the edge, into types that cannot be.

pub mod codes;
pub mod credit_code;
pub mod ids;
pub(crate) mod labelled;
pub mod money;
pub mod procurement;
pub mod status;

pub use codes::*;
pub use ids::*;
pub use money::Money;
pub use status::{InvalidTransition, RecordStatus};

/// A code that is not one of its vocabulary's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} code {code:?}")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub code: String,
}

/// A closed list of codes with names, e.g. for a filter's `<select>`.
pub trait Vocabulary: Copy + PartialEq + Send + Sync + 'static {
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
    fn label(self, locale: crate::i18n::Locale) -> &'static str;
}
