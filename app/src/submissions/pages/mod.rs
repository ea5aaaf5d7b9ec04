//! The workflow's pages: a firm's submissions and drafts, the review queue and a
//! submission's review, public notice with objections, notifications.

pub mod attachment_list;
pub mod draft_fields;
pub mod draft_page;
pub mod notices_page;
pub mod notifications_page;
pub mod owner_actions;
pub mod record_text;
pub mod review_page;
pub mod review_queue_page;
pub mod submissions_page;

pub use attachment_list::{AttachmentLine, AttachmentList, RecordFiles};
pub use draft_page::{draft_labels, DraftPage};
pub use notices_page::{objection_labels, NoticePage, NoticesPage};
pub use notifications_page::NotificationsPage;
pub use owner_actions::{withdraw_labels, OwnerActions};
pub use record_text::{RecordFacts, RecordTexts};
pub use review_page::{review_labels, ReviewPage};
pub use review_queue_page::ReviewQueuePage;
pub use submissions_page::SubmissionsPage;
