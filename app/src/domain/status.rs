//! The life cycle every submitted record shares, and who may see a record in each state
//! (docs/domain.md, "Who sees what").

use super::labelled::labelled_enum;

labelled_enum! {
    pub enum RecordStatus as "record_status" {
        Draft = "draft", "草稿", "Draft";
        Submitted = "submitted", "已提交", "Submitted";
        InReview = "in_review", "审核中", "In review";
        Returned = "returned", "退回修改", "Returned for revision";
        Rejected = "rejected", "未通过", "Rejected";
        InNotice = "in_notice", "公示中", "In public notice";
        Published = "published", "已发布", "Published";
        Expired = "expired", "已过期", "Expired";
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
}

impl RecordStatus {
    /// States whose detail page anyone may open (with a banner unless published). Every
    /// other state answers 404 to the public, exactly like a record that does not exist.
    pub const PUBLIC_DETAIL: &'static [RecordStatus] = &[
        RecordStatus::InNotice,
        RecordStatus::Published,
        RecordStatus::Expired,
        RecordStatus::Withdrawn,
    ];

    pub fn detail_is_public(self) -> bool {
        Self::PUBLIC_DETAIL.contains(&self)
    }

    /// The record itself is going through its first selection (from its draft to its
    /// publication): its status moves with its submission. A published, expired or
    /// withdrawn record keeps its status while a revision or a later listing is reviewed.
    pub fn is_under_selection(self) -> bool {
        matches!(
            self,
            RecordStatus::Draft
                | RecordStatus::Submitted
                | RecordStatus::InReview
                | RecordStatus::Returned
                | RecordStatus::Rejected
                | RecordStatus::InNotice
        )
    }

    /// Only published records appear in lists, search, feeds and the sitemap.
    pub fn is_listed(self) -> bool {
        self == RecordStatus::Published
    }
}

/// A change of state that the life cycle does not allow, e.g. publishing a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} a record that is {from}")]
pub struct InvalidTransition {
    pub action: &'static str,
    pub from: RecordStatus,
}

impl RecordStatus {
    fn transition(
        self,
        action: &'static str,
        allowed: &[RecordStatus],
        to: RecordStatus,
    ) -> Result<RecordStatus, InvalidTransition> {
        if allowed.contains(&self) {
            Ok(to)
        } else {
            Err(InvalidTransition { action, from: self })
        }
    }

    /// Submitted for review: a draft, or a record returned for revision and fixed.
    pub fn submit(self) -> Result<RecordStatus, InvalidTransition> {
        self.transition(
            "submit",
            &[RecordStatus::Draft, RecordStatus::Returned],
            RecordStatus::Submitted,
        )
    }

    /// The first review came in.
    pub fn start_review(self) -> Result<RecordStatus, InvalidTransition> {
        self.transition(
            "start reviewing",
            &[RecordStatus::Submitted],
            RecordStatus::InReview,
        )
    }

    /// Sent back to its organisation with what to fix.
    pub fn return_for_revision(self) -> Result<RecordStatus, InvalidTransition> {
        self.transition(
            "return for revision",
            &[RecordStatus::InReview],
            RecordStatus::Returned,
        )
    }

    /// Refused, with a reason its organisation reads.
    pub fn reject(self) -> Result<RecordStatus, InvalidTransition> {
        self.transition("reject", &[RecordStatus::InReview], RecordStatus::Rejected)
    }

    /// Its organisation took the submission back before the decision: a draft again.
    pub fn withdraw_submission(self) -> Result<RecordStatus, InvalidTransition> {
        self.transition(
            "withdraw the submission of",
            &[
                RecordStatus::Submitted,
                RecordStatus::InReview,
                RecordStatus::Returned,
            ],
            RecordStatus::Draft,
        )
    }

    /// An approved record enters its public notice (公示).
    pub fn enter_notice(self) -> Result<RecordStatus, InvalidTransition> {
        self.transition(
            "enter public notice",
            &[RecordStatus::InReview],
            RecordStatus::InNotice,
        )
    }

    /// After its notice window, or straight from review where there is no notice
    /// (projects, directly submitted scenarios, calls with a window of 0 days).
    pub fn publish(self) -> Result<RecordStatus, InvalidTransition> {
        self.transition(
            "publish",
            &[RecordStatus::InNotice, RecordStatus::InReview],
            RecordStatus::Published,
        )
    }

    /// An upheld objection during the notice sends the record back to review.
    pub fn return_to_review(self) -> Result<RecordStatus, InvalidTransition> {
        self.transition(
            "return to review",
            &[RecordStatus::InNotice],
            RecordStatus::InReview,
        )
    }

    pub fn withdraw(self) -> Result<RecordStatus, InvalidTransition> {
        self.transition(
            "withdraw",
            &[RecordStatus::Published, RecordStatus::InNotice],
            RecordStatus::Withdrawn,
        )
    }

    /// Past its validity period.
    pub fn expire(self) -> Result<RecordStatus, InvalidTransition> {
        self.transition("expire", &[RecordStatus::Published], RecordStatus::Expired)
    }
}

#[cfg(test)]
mod tests {
    use super::RecordStatus::{self, *};

    #[test]
    fn drafts_and_records_under_review_are_never_public() {
        for status in [Draft, Submitted, InReview, Returned, Rejected] {
            assert!(!status.detail_is_public(), "{status}");
            assert!(!status.is_listed(), "{status}");
        }
    }

    #[test]
    fn notice_expired_and_withdrawn_records_keep_their_page_but_leave_the_lists() {
        for status in [InNotice, Expired, Withdrawn] {
            assert!(status.detail_is_public(), "{status}");
            assert!(!status.is_listed(), "{status}");
        }
        assert!(Published.detail_is_public() && Published.is_listed());
        assert_eq!(RecordStatus::ALL.len(), 9);
    }

    #[test]
    fn the_public_life_cycle_goes_review_notice_published_and_out() {
        assert_eq!(InReview.enter_notice(), Ok(InNotice));
        assert_eq!(InNotice.publish(), Ok(Published));
        assert_eq!(InReview.publish(), Ok(Published));
        assert_eq!(InNotice.return_to_review(), Ok(InReview));
        assert_eq!(Published.withdraw(), Ok(Withdrawn));
        assert_eq!(InNotice.withdraw(), Ok(Withdrawn));
        assert_eq!(Published.expire(), Ok(Expired));
    }

    #[test]
    fn selection_moves_a_record_from_draft_to_a_decision() {
        assert_eq!(Draft.submit(), Ok(Submitted));
        assert_eq!(Returned.submit(), Ok(Submitted));
        assert_eq!(Submitted.start_review(), Ok(InReview));
        assert_eq!(InReview.return_for_revision(), Ok(Returned));
        assert_eq!(InReview.reject(), Ok(Rejected));
        for status in [Submitted, InReview, Returned] {
            assert_eq!(status.withdraw_submission(), Ok(Draft), "{status}");
        }
        for status in [InNotice, Published, Expired, Withdrawn, Rejected] {
            assert!(status.submit().is_err(), "{status}");
            assert!(status.withdraw_submission().is_err(), "{status}");
            assert!(status.reject().is_err(), "{status}");
        }
        assert!(Submitted.reject().is_err(), "no decision before a review");
        assert!(InReview.start_review().is_err());
    }

    #[test]
    fn nothing_unreviewed_can_become_public_and_nothing_ends_twice() {
        for status in [Draft, Submitted, Returned, Rejected, Expired, Withdrawn] {
            assert!(status.publish().is_err(), "{status}");
            assert!(status.enter_notice().is_err(), "{status}");
        }
        assert_eq!(
            Draft.publish(),
            Err(super::InvalidTransition {
                action: "publish",
                from: Draft
            })
        );
        assert!(Withdrawn.withdraw().is_err());
        assert!(Expired.expire().is_err());
        assert!(InNotice.expire().is_err());
        assert!(Published.publish().is_err());
    }
}
