//! First purchases (首购) as buyers record them: whether a product could be bought as a
//! first purchase on a contract's signing date, judged on its history (docs/domain.md,
//! "Two different facts about first purchase"); each record's page with its corrections
//! and disputes; the public list with its totals and CSV export.

#[cfg(feature = "ssr")]
pub mod changes;
pub mod correct_page;
pub mod detail;
pub mod detail_page;
pub mod eligibility;
#[cfg(feature = "ssr")]
pub mod files;
pub mod list;
pub mod list_page;
#[cfg(feature = "ssr")]
pub mod record;
pub mod record_page;

pub use correct_page::CorrectFirstPurchasePage;
pub use detail_page::FirstPurchaseDetailPage;
pub use list_page::FirstPurchaseListPage;
pub use record_page::{record_labels, record_texts, RecordFirstPurchasePage, RecordPurchaseLink};
