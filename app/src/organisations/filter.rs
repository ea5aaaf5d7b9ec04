use crate::domain::{Location, OrganisationKind};
use crate::error::AppError;
use crate::listing::{optional_code, page_number, QueryParams};
use serde::{Deserialize, Serialize};

/// The filters of `/organisations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationFilter {
    pub kind: Option<OrganisationKind>,
    pub location: Option<Location>,
    pub page: u32,
}

impl Default for OrganisationFilter {
    fn default() -> Self {
        OrganisationFilter {
            kind: None,
            location: None,
            page: 1,
        }
    }
}

impl OrganisationFilter {
    /// The filter as a server function received it, checked again there (anyone can call
    /// it): the page must be one the list has (`InvalidParameter { param: "page" }`).
    pub fn validate(self) -> Result<Self, AppError> {
        crate::listing::check_page(self.page)?;
        Ok(self)
    }

    pub fn from_query(params: &(impl QueryParams + ?Sized)) -> Result<Self, AppError> {
        Ok(OrganisationFilter {
            kind: optional_code(params, "kind")?,
            location: optional_code(params, "location")?,
            page: page_number(params)?,
        })
    }

    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "kind",
                self.kind.map(|k| k.code().to_owned()).unwrap_or_default(),
            ),
            (
                "location",
                self.location
                    .map(|l| l.code().to_owned())
                    .unwrap_or_default(),
            ),
        ]
    }
}
