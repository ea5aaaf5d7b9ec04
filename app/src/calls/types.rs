//! Calls for submissions (征集) and catalogue batches (批次) as pages and forms see them.

use super::notice_window::NoticeCount;
use crate::domain::labelled::labelled_enum;
use crate::domain::{CallId, OrganisationId, OrganisationKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

labelled_enum! {
    /// What a call collects.
    pub enum CallKind as "call_kind" {
        /// Innovative products, listed in a catalogue batch that makes them eligible for
        /// first purchase while it is valid.
        ProductBatch = "product_batch", "创新产品目录批次", "Product catalogue batch";
        /// Application scenarios.
        ScenarioCall = "scenario_call", "应用场景征集", "Scenario call";
    }
}

labelled_enum! {
    /// Where a call is in its life: a draft only its agency sees; announced with its
    /// opening date ahead; open (taking submissions from `opens_on` to `closes_on`
    /// inclusive, deployment time zone); closed (under selection); finished (everything it
    /// took has been decided and published or refused).
    pub enum CallStatus as "call_status" {
        Draft = "draft", "草稿", "Draft";
        Scheduled = "scheduled", "即将开始", "Announced";
        Open = "open", "征集中", "Open";
        Closed = "closed", "已截止，遴选中", "Closed, under selection";
        Finished = "finished", "已完成", "Finished";
    }
}

impl CallStatus {
    /// States anyone may see (every state but the draft).
    pub fn is_public(self) -> bool {
        self != CallStatus::Draft
    }
}

/// One criterion reviewers score, with its weight (the call's weights add up to 100).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub title: String,
    /// Percent of the total score, 1–100.
    pub weight: i16,
}

/// A call as its form holds it: everything its agency decides. Parsed from the form by
/// [`super::draft::parse_call`], so every value here is valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallDraft {
    /// The government agency or public institution that runs it.
    pub organisation: OrganisationId,
    pub kind: CallKind,
    /// Unique, `[A-Z0-9-]{3,40}`, e.g. `CZCX-2027-01`.
    pub code: String,
    pub title: String,
    pub description: String,
    /// Prose on who may submit, beyond the kinds (e.g. "no serious violation in three
    /// years").
    pub eligibility: String,
    /// The kinds of organisation that may submit; at least one.
    pub eligible_kinds: Vec<OrganisationKind>,
    /// First and last day submissions are taken (deployment time zone), inclusive.
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// Reviews in before a decision, 1–9.
    pub required_reviews: i16,
    /// Length of the public notice in days, 0–30 (at least 1 for product batches).
    pub notice_days: i16,
    pub notice_count: NoticeCount,
    /// Product batches only: the days its products are eligible for first purchase.
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    /// 1 to [`super::draft::MAX_CRITERIA`], weights adding up to 100.
    pub criteria: Vec<Criterion>,
}

/// One reviewer of a call, as its agency sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerView {
    pub user: i64,
    pub name: String,
    /// The reviewer's organisation, or "platform reviewer".
    pub affiliation: String,
    pub lead: bool,
}

/// A call in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallSummary {
    pub id: CallId,
    pub kind: CallKind,
    pub status: CallStatus,
    pub code: String,
    pub title: String,
    pub agency: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

/// A call's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallDetail {
    pub id: CallId,
    pub status: CallStatus,
    pub agency_id: OrganisationId,
    pub agency: String,
    pub draft: CallDraft,
    /// Whether the viewer manages it (its agency's admin): the page offers editing.
    pub manageable: bool,
    /// Reviewers, shown to those who manage the call only.
    pub reviewers: Vec<ReviewerView>,
    /// Whether the holiday calendar covers the years a notice of this call may reach
    /// (working-day windows only).
    pub calendar_known: bool,
    /// What it published: (path, name) of each public record listed through it.
    pub published: Vec<(String, String)>,
}
