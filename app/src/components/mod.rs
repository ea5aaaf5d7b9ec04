//! Small pieces that several feature areas show.

mod code_select;
mod fact;
mod record_page;
mod status_banner;

pub use code_select::CodeSelect;
pub use fact::{Fact, Facts};
pub use record_page::RecordPage;
pub use status_banner::StatusBanner;
