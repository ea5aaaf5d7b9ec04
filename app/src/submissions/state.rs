//! Where a submission is in selection (遴选), and the only ways it moves (docs/workflow.md).
//!
//! ```text
//! submitted ─first review─▶ in_review ─approve─▶ in_notice ─window ends─▶ accepted
//!     │                        │  │ └─approve (no notice)──────────────▶ accepted
//!     │                        │  ├─reject──▶ rejected
//!     │                        │  └─return──▶ returned ─resubmit─▶ submitted
//!     └──────withdraw (until decided)───────▶ withdrawn
//! in_notice ─objection upheld─▶ in_review
//! ```

use crate::domain::labelled::labelled_enum;

labelled_enum! {
    pub enum SubmissionState as "submission_state" {
        Submitted = "submitted", "已提交，待评审", "Submitted, awaiting review";
        InReview = "in_review", "评审中", "In review";
        Returned = "returned", "退回修改", "Returned for revision";
        Rejected = "rejected", "未通过", "Rejected";
        InNotice = "in_notice", "公示中", "In public notice";
        Accepted = "accepted", "已发布", "Published";
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
}

/// A change the life cycle does not allow, e.g. deciding a withdrawn submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} a submission that is {from}")]
pub struct RefusedStep {
    pub action: &'static str,
    pub from: SubmissionState,
}

impl SubmissionState {
    fn step(
        self,
        action: &'static str,
        allowed: &[SubmissionState],
        to: SubmissionState,
    ) -> Result<SubmissionState, RefusedStep> {
        if allowed.contains(&self) {
            Ok(to)
        } else {
            Err(RefusedStep { action, from: self })
        }
    }

    /// A review comes in: the first one starts the review.
    pub fn review(self) -> Result<SubmissionState, RefusedStep> {
        use SubmissionState::*;
        self.step("review", &[Submitted, InReview], InReview)
    }

    /// Approved: into public notice, or accepted at once when the window is 0 days (or
    /// there is no notice, as for projects).
    pub fn approve(self, with_notice: bool) -> Result<SubmissionState, RefusedStep> {
        use SubmissionState::*;
        let to = if with_notice { InNotice } else { Accepted };
        self.step("approve", &[InReview], to)
    }

    pub fn reject(self) -> Result<SubmissionState, RefusedStep> {
        use SubmissionState::*;
        self.step("reject", &[InReview], Rejected)
    }

    /// Back to its organisation to fix what the decision says.
    pub fn return_for_revision(self) -> Result<SubmissionState, RefusedStep> {
        use SubmissionState::*;
        self.step("return", &[InReview], Returned)
    }

    /// A returned submission, fixed, comes back into the same call.
    pub fn resubmit(self) -> Result<SubmissionState, RefusedStep> {
        use SubmissionState::*;
        self.step("resubmit", &[Returned], Submitted)
    }

    /// Its organisation takes it back, until it is decided.
    pub fn withdraw(self) -> Result<SubmissionState, RefusedStep> {
        use SubmissionState::*;
        self.step("withdraw", &[Submitted, InReview, Returned], Withdrawn)
    }

    /// An objection upheld during the notice sends it back to review.
    pub fn uphold_objection(self) -> Result<SubmissionState, RefusedStep> {
        use SubmissionState::*;
        self.step("uphold an objection to", &[InNotice], InReview)
    }

    /// The window ended with no objection open or upheld.
    pub fn end_notice(self) -> Result<SubmissionState, RefusedStep> {
        use SubmissionState::*;
        self.step("end the notice of", &[InNotice], Accepted)
    }

    /// Whether it is still under way (not accepted, rejected or withdrawn).
    pub fn is_under_way(self) -> bool {
        use SubmissionState::*;
        matches!(self, Submitted | InReview | Returned | InNotice)
    }
}

#[cfg(test)]
mod tests {
    use super::RefusedStep;
    use super::SubmissionState::{self, *};

    type Step = fn(SubmissionState) -> Result<SubmissionState, RefusedStep>;

    /// Every step, with the states it is allowed from and where it goes.
    fn steps() -> Vec<(&'static str, Step, Vec<SubmissionState>, SubmissionState)> {
        vec![
            (
                "review",
                SubmissionState::review,
                vec![Submitted, InReview],
                InReview,
            ),
            ("approve", |s| s.approve(true), vec![InReview], InNotice),
            ("approve", |s| s.approve(false), vec![InReview], Accepted),
            ("reject", SubmissionState::reject, vec![InReview], Rejected),
            (
                "return",
                SubmissionState::return_for_revision,
                vec![InReview],
                Returned,
            ),
            (
                "resubmit",
                SubmissionState::resubmit,
                vec![Returned],
                Submitted,
            ),
            (
                "withdraw",
                SubmissionState::withdraw,
                vec![Submitted, InReview, Returned],
                Withdrawn,
            ),
            (
                "uphold an objection to",
                SubmissionState::uphold_objection,
                vec![InNotice],
                InReview,
            ),
            (
                "end the notice of",
                SubmissionState::end_notice,
                vec![InNotice],
                Accepted,
            ),
        ]
    }

    #[test]
    fn every_allowed_step_goes_where_it_says() {
        for (action, step, allowed, to) in steps() {
            for from in allowed {
                assert_eq!(step(from), Ok(to), "{action} from {from}");
            }
        }
    }

    #[test]
    fn every_other_step_is_refused_with_the_typed_error() {
        for (action, step, allowed, _) in steps() {
            for from in SubmissionState::ALL
                .iter()
                .copied()
                .filter(|s| !allowed.contains(s))
            {
                assert_eq!(
                    step(from),
                    Err(RefusedStep { action, from }),
                    "{action} from {from}"
                );
            }
        }
    }

    #[test]
    fn nothing_is_decided_before_review_nor_twice() {
        assert!(Submitted.approve(true).is_err());
        assert!(Submitted.reject().is_err());
        assert!(Rejected.approve(false).is_err());
        assert!(
            Accepted.withdraw().is_err(),
            "a published record is withdrawn, not its submission"
        );
        assert!(InNotice.withdraw().is_err(), "decided already");
        assert!(!Accepted.is_under_way() && !Rejected.is_under_way() && !Withdrawn.is_under_way());
        assert!(InNotice.is_under_way());
    }
}
