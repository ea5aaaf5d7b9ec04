use crate::domain::{OrganisationId, ProjectStage, Sector};
use crate::error::AppError;
use crate::listing::{optional_code, page_number, QueryParams};
use serde::{Deserialize, Serialize};

/// The filters of `/projects`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectFilter {
    pub sector: Option<Sector>,
    pub stage: Option<ProjectStage>,
    /// Only this organisation's records (`?organisation=ID`), e.g. from its page.
    pub organisation: Option<OrganisationId>,
    pub page: u32,
}

impl Default for ProjectFilter {
    fn default() -> Self {
        ProjectFilter {
            sector: None,
            stage: None,
            organisation: None,
            page: 1,
        }
    }
}

impl ProjectFilter {
    /// The filter as a server function received it, checked again there (anyone can call
    /// it): the page must be one the list has (`InvalidParameter { param: "page" }`).
    pub fn validate(self) -> Result<Self, AppError> {
        crate::listing::check_page(self.page)?;
        Ok(self)
    }

    pub fn from_query(params: &(impl QueryParams + ?Sized)) -> Result<Self, AppError> {
        Ok(ProjectFilter {
            sector: optional_code(params, "sector")?,
            stage: optional_code(params, "stage")?,
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
                "stage",
                self.stage.map(|s| s.code().to_owned()).unwrap_or_default(),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_is_read_and_an_unknown_stage_is_named() {
        let params: &[(&str, &str)] = &[("stage", "series_a")];
        assert_eq!(
            ProjectFilter::from_query(params).unwrap().stage,
            Some(ProjectStage::SeriesA)
        );
        let bad: &[(&str, &str)] = &[("stage", "ipo")];
        assert_eq!(
            ProjectFilter::from_query(bad),
            Err(AppError::InvalidParameter {
                param: "stage".into()
            })
        );
    }
}
