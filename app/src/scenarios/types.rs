use crate::domain::{Location, Money, RecordStatus, ScenarioId, Sector};
use crate::products::OrganisationRef;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioSummary {
    pub id: ScenarioId,
    pub title: String,
    pub publisher: OrganisationRef,
    pub sector: Sector,
    pub location: Location,
    pub budget_min: Option<Money>,
    pub budget_max: Option<Money>,
    pub open_until: Option<NaiveDate>,
    /// Whether answers are still accepted today.
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioDetail {
    pub summary: ScenarioSummary,
    pub status: RecordStatus,
    pub status_reason: Option<String>,
    pub notice_until: Option<NaiveDate>,
    pub need: String,
    pub expected_outcome: String,
    /// The publishing office's public contact (a department phone or mailbox).
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub call: Option<String>,
    pub published_on: Option<NaiveDate>,
    pub answers: i64,
    /// Its submission in public notice, if any (the notice page `/notices/{id}`).
    pub notice_submission: Option<i64>,
    /// Its files (public with it): documents to download, images shown in the browser.
    pub attachments: Vec<crate::submissions::pages::AttachmentLine>,
}
