use crate::domain::{Industry, Location, OrganisationId};
use crate::error::AppError;
use crate::listing::{flag, optional_code, page_number, QueryParams};
use serde::{Deserialize, Serialize};

/// The filters of `/products`, as the plain GET form sends them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductFilter {
    pub industry: Option<Industry>,
    /// Filed under this government-procurement category or any below it, canonical
    /// (`domain::procurement`: `A0205` includes `A02052301`).
    pub procurement: Option<String>,
    /// Where the supplier is.
    pub location: Option<Location>,
    pub eligible: bool,
    pub first_purchased: bool,
    /// Only this organisation's records (`?organisation=ID`), e.g. from its page.
    pub organisation: Option<OrganisationId>,
    pub page: u32,
}

impl Default for ProductFilter {
    fn default() -> Self {
        ProductFilter {
            industry: None,
            procurement: None,
            location: None,
            eligible: false,
            first_purchased: false,
            organisation: None,
            page: 1,
        }
    }
}

impl ProductFilter {
    /// The filter as a server function received it, checked again there (anyone can call
    /// it): the page must be one the list has (`InvalidParameter { param: "page" }`).
    pub fn validate(self) -> Result<Self, AppError> {
        crate::listing::check_page(self.page)?;
        let procurement = match self.procurement.as_deref() {
            Some(code) => Some(procurement_filter(code)?),
            None => None,
        };
        Ok(ProductFilter {
            procurement,
            ..self
        })
    }

    pub fn from_query(params: &(impl QueryParams + ?Sized)) -> Result<Self, AppError> {
        Ok(ProductFilter {
            industry: optional_code(params, "industry")?,
            procurement: params
                .value("procurement")
                .filter(|code| !code.is_empty())
                .map(|code| procurement_filter(&code))
                .transpose()?,
            location: optional_code(params, "location")?,
            eligible: flag(params, "eligible")?,
            first_purchased: flag(params, "first_purchased")?,
            organisation: optional_code(params, "organisation")?,
            page: page_number(params)?,
        })
    }

    /// The filters as query pairs (without the page), for the pager's links.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "organisation",
                self.organisation
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            ),
            (
                "industry",
                self.industry
                    .map(|i| i.code().to_owned())
                    .unwrap_or_default(),
            ),
            ("procurement", self.procurement.clone().unwrap_or_default()),
            (
                "location",
                self.location
                    .map(|l| l.code().to_owned())
                    .unwrap_or_default(),
            ),
            (
                "eligible",
                if self.eligible {
                    "1".into()
                } else {
                    String::new()
                },
            ),
            (
                "first_purchased",
                if self.first_purchased {
                    "1".into()
                } else {
                    String::new()
                },
            ),
        ]
    }
}

/// A category code as a filter: canonical, or `InvalidParameter { param: "procurement" }`.
fn procurement_filter(code: &str) -> Result<String, AppError> {
    crate::domain::procurement::canonical(code).ok_or_else(|| AppError::InvalidParameter {
        param: "procurement".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_survives_the_round_trip_through_its_query_pairs() {
        let params: &[(&str, &str)] = &[
            ("industry", "new_materials"),
            ("eligible", "on"),
            ("page", "2"),
        ];
        let filter = ProductFilter::from_query(params).unwrap();
        assert_eq!(filter.industry, Some(Industry::NewMaterials));
        assert!(filter.eligible && !filter.first_purchased);
        let pairs = filter.query_pairs();
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let again = ProductFilter::from_query(&borrowed[..]).unwrap();
        assert_eq!(again, ProductFilter { page: 1, ..filter });
    }

    #[test]
    fn a_procurement_category_is_read_in_canonical_form_or_refused_by_name() {
        let params: &[(&str, &str)] = &[("procurement", "a02051900")];
        let filter = ProductFilter::from_query(params).unwrap();
        assert_eq!(filter.procurement.as_deref(), Some("A020519"));
        let bad: &[(&str, &str)] = &[("procurement", "A02%")];
        assert_eq!(
            ProductFilter::from_query(bad),
            Err(AppError::InvalidParameter {
                param: "procurement".into()
            })
        );
    }

    #[test]
    fn an_unknown_industry_is_refused_by_name() {
        let params: &[(&str, &str)] = &[("industry", "steel")];
        assert_eq!(
            ProductFilter::from_query(params),
            Err(AppError::InvalidParameter {
                param: "industry".into()
            })
        );
    }
}
