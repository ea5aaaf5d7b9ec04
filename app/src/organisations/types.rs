use crate::domain::{Location, OrganisationId, OrganisationKind};
use crate::listing::Page;
use crate::products::ProductSummary;
use crate::projects::ProjectSummary;
use crate::scenarios::ScenarioSummary;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationSummary {
    pub id: OrganisationId,
    pub name: String,
    pub kind: OrganisationKind,
    pub location: Location,
    /// Government traction of its products.
    #[serde(default)]
    pub government_traction: crate::traction::Traction,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationDetail {
    pub summary: OrganisationSummary,
    /// As stored (normalised); sent as text because an admin-accepted pre-2016 code may
    /// fail the checksum that parsing a `CreditCode` enforces.
    pub credit_code: String,
    pub description: String,
    pub website: Option<String>,
    pub public_phone: Option<String>,
    pub public_email: Option<String>,
    pub products: Page<ProductSummary>,
    pub scenarios: Page<ScenarioSummary>,
    pub projects: Page<ProjectSummary>,
}
