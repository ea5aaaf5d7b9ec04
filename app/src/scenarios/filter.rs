use crate::domain::{Location, OrganisationId, Sector};
use crate::error::AppError;
use crate::listing::{optional_code, page_number, QueryParams};
use serde::{Deserialize, Serialize};

/// The filters of `/scenarios`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioFilter {
    pub sector: Option<Sector>,
    pub location: Option<Location>,
    /// Only this organisation's records (`?organisation=ID`), e.g. from its page.
    pub organisation: Option<OrganisationId>,
    pub page: u32,
}

impl Default for ScenarioFilter {
    fn default() -> Self {
        ScenarioFilter {
            sector: None,
            location: None,
            organisation: None,
            page: 1,
        }
    }
}

impl ScenarioFilter {
    /// The filter as a server function received it, checked again there (anyone can call
    /// it): the page must be one the list has (`InvalidParameter { param: "page" }`).
    pub fn validate(self) -> Result<Self, AppError> {
        crate::listing::check_page(self.page)?;
        Ok(self)
    }

    pub fn from_query(params: &(impl QueryParams + ?Sized)) -> Result<Self, AppError> {
        Ok(ScenarioFilter {
            sector: optional_code(params, "sector")?,
            location: optional_code(params, "location")?,
            organisation: optional_code(params, "organisation")?,
            page: page_number(params)?,
        })
    }

    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "organisation",
                self.organisation
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            ),
            (
                "sector",
                self.sector.map(|s| s.code().to_owned()).unwrap_or_default(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sector_and_location_are_read_and_bad_ones_named() {
        let params: &[(&str, &str)] = &[("sector", "health"), ("location", "320412")];
        let filter = ScenarioFilter::from_query(params).unwrap();
        assert_eq!(filter.sector, Some(Sector::Health));
        assert_eq!(filter.location, Some(Location::Wujin));
        let bad: &[(&str, &str)] = &[("location", "beijing")];
        assert_eq!(
            ScenarioFilter::from_query(bad),
            Err(AppError::InvalidParameter {
                param: "location".into()
            })
        );
    }
}
