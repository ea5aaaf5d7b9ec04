//! What the workflow's forms do on the server: drafts, submitting, reviewing, deciding,
//! objections and their rulings, withdrawing, and the end of notice windows. Every check
//! goes through the permission table; every state change of a record through
//! `crate::publication`, with its audit row, in one transaction.

pub mod accept;
pub mod attachments;
pub mod decide;
pub mod drafts;
pub mod notice;
pub mod notify;
pub mod records;
pub mod review;
pub mod submit;
pub mod target;
pub mod withdraw;
