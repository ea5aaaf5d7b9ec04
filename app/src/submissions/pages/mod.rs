//! The workflow's pages: a firm's submissions and drafts, the review queue and a
//! submission's review, public notice with objections, notifications.

pub mod draft_page;
pub mod notices_page;
pub mod notifications_page;
pub mod review_page;
pub mod review_queue_page;
pub mod submissions_page;
pub mod withdraw_form;

pub use draft_page::{draft_labels, DraftPage};
pub use notices_page::{objection_labels, NoticePage, NoticesPage};
pub use notifications_page::NotificationsPage;
pub use review_page::{review_labels, ReviewPage};
pub use review_queue_page::ReviewQueuePage;
pub use submissions_page::SubmissionsPage;
pub use withdraw_form::{withdraw_labels, WithdrawRecordForm};
