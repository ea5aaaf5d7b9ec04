use crate::domain::{FinancingForm, Money, ProjectId, ProjectStage, RecordStatus, Sector};
use crate::products::OrganisationRef;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectSummary {
    pub id: ProjectId,
    pub name: String,
    pub owner: OrganisationRef,
    pub sector: Sector,
    pub stage: ProjectStage,
    pub financing_sought: Option<Money>,
    pub financing_form: FinancingForm,
    /// Government traction of its owner's products.
    #[serde(default)]
    pub government_traction: crate::traction::Traction,
}

impl ProjectSummary {
    pub fn with_government_traction(mut self, traction: crate::traction::Traction) -> Self {
        self.government_traction = traction;
        self
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectDetail {
    pub summary: ProjectSummary,
    pub status: RecordStatus,
    pub status_reason: Option<String>,
    pub highlights: String,
    pub team: String,
    pub intellectual_property: String,
    pub traction: String,
    /// Present only when the owner agreed to publish it.
    pub contact: Option<String>,
    pub published_on: Option<NaiveDate>,
    /// Its files (public with it): documents to download, images shown in the browser.
    pub attachments: Vec<crate::submissions::pages::AttachmentLine>,
}
