//! Calls for submissions (征集) and catalogue batches (批次): an agency admin drafts a call
//! (criteria with weights, who may submit, dates, reviews needed, the public-notice
//! window, a batch's validity), assigns its reviewers and announces it; the scheduler
//! opens and closes it on its dates. See docs/workflow.md.

pub mod agency_page;
#[cfg(feature = "ssr")]
pub mod db;
pub mod detail_page;
pub mod draft;
#[cfg(feature = "ssr")]
pub mod due;
pub mod edit_page;
pub mod list_page;
pub mod notice_window;
#[cfg(feature = "ssr")]
pub mod server;
pub mod texts;
pub mod types;

pub use agency_page::AgencyPage;
pub use detail_page::{call_page_labels, CallDetailPage};
pub use edit_page::{call_form_labels, EditCallPage, NewCallPage};
pub use list_page::CallListPage;
