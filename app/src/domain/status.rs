//! The life cycle every submitted record shares, and who may see a record in each state
//! (DOMAIN.md, "Who sees what").

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

    /// Only published records appear in lists, search, feeds and the sitemap.
    pub fn is_listed(self) -> bool {
        self == RecordStatus::Published
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
}
