//! First purchases (首购) as buyers record them: whether a product could be bought as a
//! first purchase on a contract's signing date, judged on its history (docs/domain.md,
//! "Two different facts about first purchase").

pub mod eligibility;
#[cfg(feature = "ssr")]
pub mod record;
pub mod record_page;

pub use record_page::{record_labels, RecordFirstPurchasePage, RecordPurchaseLink};
