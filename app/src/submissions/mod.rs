//! Submissions and their selection (遴选): drafts an organisation writes, submissions into
//! calls, reviews scored per criterion, the decision, public notice (公示) with signed
//! objections, and publication. See docs/workflow.md.

pub mod forms;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod state;
pub mod texts;

/// The form's score field of criterion `position` (1-based): `score_1` … `score_20`.
pub fn review_score_field(position: i16) -> &'static str {
    const FIELDS: [&str; 20] = [
        "score_1", "score_2", "score_3", "score_4", "score_5", "score_6", "score_7", "score_8",
        "score_9", "score_10", "score_11", "score_12", "score_13", "score_14", "score_15",
        "score_16", "score_17", "score_18", "score_19", "score_20",
    ];
    FIELDS[(position.clamp(1, 20) - 1) as usize]
}
