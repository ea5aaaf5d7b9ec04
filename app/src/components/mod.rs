//! Small pieces that several feature areas show.

mod code_select;
mod fact;
mod page_head;
mod page_title;
mod record_head;
mod record_page;
mod request_query;
mod status_banner;
mod url_memo;

pub use code_select::CodeSelect;
pub use fact::{Fact, Facts};
pub use page_head::PageHead;
pub use page_title::PageTitle;
pub use record_head::RecordHead;
pub use record_page::RecordPage;
pub use request_query::request_query;
pub use status_banner::StatusBanner;
pub use url_memo::url_memo;
