//! A search as the URL holds it: `/search?q=…&kind=…&category=…`. The same type is the
//! JSON API's input, so the page, the API and a bookmarked link mean the same search.

use super::DocumentKind;
use crate::domain::{Certification, Industry, Location, OrganisationKind, ProjectStage, Sector};
use crate::error::AppError;
use crate::listing::{flag, optional_code, page_number, QueryParams};
use serde::{Deserialize, Serialize};

/// Longest query text accepted; longer input is refused, not cut.
pub const MAX_QUERY_CHARS: usize = 200;
/// Hits per page of search results.
pub const HITS_PER_PAGE: u32 = 20;
/// The most hits a search pages through (Meilisearch's `maxTotalHits`, on both backends):
/// a search is for finding, and full listings page through the lists instead.
pub const MAX_SEARCH_HITS: u32 = 1_000;
/// The last page a search has.
pub const MAX_SEARCH_PAGE: u32 = MAX_SEARCH_HITS / HITS_PER_PAGE;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    #[default]
    Relevance,
    Newest,
    /// Scenarios whose deadline is nearest first.
    ClosingSoon,
}

impl std::str::FromStr for SortOrder {
    type Err = ();

    fn from_str(code: &str) -> Result<Self, ()> {
        match code {
            "relevance" => Ok(SortOrder::Relevance),
            "newest" => Ok(SortOrder::Newest),
            "closing_soon" => Ok(SortOrder::ClosingSoon),
            _ => Err(()),
        }
    }
}

impl SortOrder {
    pub fn code(self) -> &'static str {
        match self {
            SortOrder::Relevance => "relevance",
            SortOrder::Newest => "newest",
            SortOrder::ClosingSoon => "closing_soon",
        }
    }
}

/// Every parameter is optional: an empty search lists everything published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(default)]
pub struct SearchQuery {
    /// Keywords, Chinese or English (at most 200 characters, no control characters).
    #[cfg_attr(
        feature = "ssr",
        param(max_length = 200, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")
    )]
    pub q: String,
    /// Only records of this kind.
    #[cfg_attr(feature = "ssr", param(inline))]
    pub kind: Option<DocumentKind>,
    /// A sector, industry or organisation-kind code (checked against those lists).
    #[cfg_attr(feature = "ssr", param(schema_with = category_schema))]
    pub category: Option<String>,
    #[cfg_attr(feature = "ssr", param(inline))]
    pub location: Option<Location>,
    /// Projects at this financing stage.
    #[cfg_attr(feature = "ssr", param(inline))]
    pub stage: Option<ProjectStage>,
    /// The publishing agency's name, as the `agency` facet lists it (at most 100
    /// characters).
    #[cfg_attr(
        feature = "ssr",
        param(max_length = 100, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")
    )]
    pub agency: Option<String>,
    /// A catalogue batch code, as the `batch` facet lists it (at most 100 characters).
    #[cfg_attr(
        feature = "ssr",
        param(max_length = 100, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")
    )]
    pub batch: Option<String>,
    #[cfg_attr(feature = "ssr", param(inline))]
    pub certification: Option<Certification>,
    /// Products filed under this government-procurement category or any below it
    /// (`domain::procurement`: `A02` 设备 includes `A0205` and `A02052301`): a letter A, B
    /// or C and up to five pairs of digits.
    #[cfg_attr(feature = "ssr", param(pattern = r"^[ABCabc]([0-9]{2}){0,5}$"))]
    pub procurement: Option<String>,
    /// Price (products), budget (scenarios) or financing sought (projects), in 万元:
    /// records whose range reaches into `[amount_min, amount_max]`.
    pub amount_min: Option<u32>,
    pub amount_max: Option<u32>,
    /// Scenarios whose answers close on or after / on or before these dates.
    pub closes_from: Option<chrono::NaiveDate>,
    pub closes_to: Option<chrono::NaiveDate>,
    /// Only products eligible for first purchase today (`1`).
    pub eligible: bool,
    /// Only products already bought under the first-purchase policy (`1`).
    pub first_purchased: bool,
    #[cfg_attr(feature = "ssr", param(inline))]
    pub sort: SortOrder,
    // The bound is MAX_SEARCH_PAGE; the doc comment below is the API's description, so
    // it names no Rust item.
    /// From 1 to 50: a search pages through at most 1,000 hits, 20 a page.
    #[cfg_attr(feature = "ssr", param(minimum = 1, maximum = 50))]
    pub page: u32,
}

/// In the OpenAPI document, `category`: one of the sector, industry and organisation-kind
/// codes (the lists [`SearchQuery::validate`] checks it against).
#[cfg(feature = "ssr")]
fn category_schema() -> utoipa::openapi::Object {
    let codes = Sector::ALL
        .iter()
        .map(|c| c.code())
        .chain(Industry::ALL.iter().map(|c| c.code()))
        .chain(OrganisationKind::ALL.iter().map(|c| c.code()));
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(codes))
        .build()
}

/// Longest agency name or batch code accepted as a filter.
const MAX_FILTER_CHARS: usize = 100;

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            q: String::new(),
            kind: None,
            category: None,
            location: None,
            stage: None,
            agency: None,
            batch: None,
            certification: None,
            procurement: None,
            amount_min: None,
            amount_max: None,
            closes_from: None,
            closes_to: None,
            eligible: false,
            first_purchased: false,
            sort: SortOrder::Relevance,
            page: 1,
        }
    }
}

fn is_category(code: &str) -> bool {
    Sector::from_code(code).is_some()
        || Industry::from_code(code).is_some()
        || OrganisationKind::from_code(code).is_some()
}

impl SearchQuery {
    pub fn from_query(params: &(impl QueryParams + ?Sized)) -> Result<Self, AppError> {
        let q = params.value("q").unwrap_or_default();
        let query = SearchQuery {
            q: q.trim().to_owned(),
            kind: optional_code(params, "kind")?,
            category: params.value("category").filter(|c| !c.is_empty()),
            location: optional_code(params, "location")?,
            stage: optional_code(params, "stage")?,
            agency: params.value("agency").filter(|a| !a.is_empty()),
            batch: params.value("batch").filter(|b| !b.is_empty()),
            certification: optional_code(params, "certification")?,
            procurement: params.value("procurement").filter(|p| !p.is_empty()),
            amount_min: optional_code(params, "amount_min")?,
            amount_max: optional_code(params, "amount_max")?,
            closes_from: optional_code(params, "closes_from")?,
            closes_to: optional_code(params, "closes_to")?,
            eligible: flag(params, "eligible")?,
            first_purchased: flag(params, "first_purchased")?,
            sort: optional_code(params, "sort")?.unwrap_or_default(),
            page: page_number(params)?,
        };
        query.validate()
    }

    /// The same checks for a query that arrives as JSON or through a server function.
    pub fn validate(self) -> Result<Self, AppError> {
        let invalid = |param: &str| AppError::InvalidParameter {
            param: param.to_owned(),
        };
        if self.q.chars().count() > MAX_QUERY_CHARS || self.q.chars().any(char::is_control) {
            return Err(invalid("q"));
        }
        if self.category.as_deref().is_some_and(|c| !is_category(c)) {
            return Err(invalid("category"));
        }
        let procurement = match self.procurement.as_deref() {
            Some(code) => Some(
                crate::domain::procurement::canonical(code)
                    .ok_or_else(|| invalid("procurement"))?,
            ),
            None => None,
        };
        for (param, value) in [("agency", &self.agency), ("batch", &self.batch)] {
            if value.as_deref().is_some_and(|v| {
                v.chars().count() > MAX_FILTER_CHARS || v.chars().any(char::is_control)
            }) {
                return Err(invalid(param));
            }
        }
        if let (Some(min), Some(max)) = (self.amount_min, self.amount_max) {
            if min > max {
                return Err(invalid("amount_max"));
            }
        }
        if let (Some(from), Some(to)) = (self.closes_from, self.closes_to) {
            if from > to {
                return Err(invalid("closes_to"));
            }
        }
        if !(1..=MAX_SEARCH_PAGE).contains(&self.page) {
            return Err(invalid("page"));
        }
        Ok(SearchQuery {
            procurement,
            ..self
        })
    }

    /// The search as query pairs (without the page), for links that keep it.
    /// How many filters are chosen: every parameter but the words, the sort and the page.
    pub fn chosen_filters(&self) -> usize {
        self.query_pairs()
            .iter()
            .filter(|(name, value)| !matches!(*name, "q" | "sort") && !value.is_empty())
            .count()
    }

    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let flag = |on: bool| if on { "1".to_owned() } else { String::new() };
        fn text(value: Option<impl ToString>) -> String {
            value.map(|v| v.to_string()).unwrap_or_default()
        }
        vec![
            ("q", self.q.clone()),
            (
                "kind",
                self.kind.map(|k| k.code().to_owned()).unwrap_or_default(),
            ),
            ("category", self.category.clone().unwrap_or_default()),
            (
                "location",
                self.location
                    .map(|l| l.code().to_owned())
                    .unwrap_or_default(),
            ),
            (
                "stage",
                self.stage.map(|s| s.code().to_owned()).unwrap_or_default(),
            ),
            ("agency", self.agency.clone().unwrap_or_default()),
            ("batch", self.batch.clone().unwrap_or_default()),
            (
                "certification",
                self.certification
                    .map(|c| c.code().to_owned())
                    .unwrap_or_default(),
            ),
            ("procurement", self.procurement.clone().unwrap_or_default()),
            ("amount_min", text(self.amount_min)),
            ("amount_max", text(self.amount_max)),
            ("closes_from", text(self.closes_from)),
            ("closes_to", text(self.closes_to)),
            ("eligible", flag(self.eligible)),
            ("first_purchased", flag(self.first_purchased)),
            (
                "sort",
                if self.sort == SortOrder::Relevance {
                    String::new()
                } else {
                    self.sort.code().to_owned()
                },
            ),
        ]
    }
}

/// A piece of a title or snippet; `hit` marks the words that matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Fragment {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub kind: DocumentKind,
    pub id: i64,
    pub url: String,
    pub title: Vec<Fragment>,
    pub snippet: Vec<Fragment>,
    pub organisation_name: Option<String>,
    pub agency_name: Option<String>,
    pub category: Option<String>,
    pub location: Option<String>,
    pub stage: Option<String>,
    pub batch_code: Option<String>,
    pub eligible: bool,
    pub first_purchased: bool,
    pub amount_min_fen: Option<i64>,
    pub amount_max_fen: Option<i64>,
    pub open_until: Option<chrono::NaiveDate>,
    /// The partner deployment a hit comes from (federated search), or `None` for this one.
    pub site: Option<String>,
}

/// A facet value and how many hits have it (with the other filters applied).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FacetCount {
    pub value: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Facets {
    pub kind: Vec<FacetCount>,
    pub category: Vec<FacetCount>,
    pub location: Vec<FacetCount>,
    pub stage: Vec<FacetCount>,
    pub agency: Vec<FacetCount>,
    pub batch: Vec<FacetCount>,
    pub certification: Vec<FacetCount>,
    /// Every level of the products' procurement categories (`domain::procurement`), each
    /// counting the products filed under it or below it.
    #[serde(default)]
    pub procurement: Vec<FacetCount>,
    /// The names of the codes in `procurement` below the levels the catalogue's own table
    /// names (`domain::procurement::level_name`): the item names the products carry
    /// (Chinese), code → name.
    #[serde(default)]
    pub procurement_names: std::collections::BTreeMap<String, String>,
    pub eligible: i64,
    pub first_purchased: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub total: i64,
    pub page: u32,
    pub facets: Facets,
    /// Partner deployments whose index could not be searched this time (missing,
    /// unreachable, a wrong key): the results hold this site's and the other partners'
    /// records only. Empty when every configured site answered.
    #[serde(default)]
    pub unavailable_sites: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_survives_the_round_trip_through_its_url() {
        let params: &[(&str, &str)] = &[
            ("q", " 机器人 "),
            ("kind", "product"),
            ("category", "intelligent_manufacturing"),
            ("eligible", "1"),
            ("agency", "常州市工业和信息化局"),
            ("batch", "CZCX-2025-01"),
            ("certification", "first_set"),
            ("amount_min", "10"),
            ("amount_max", "500"),
            ("closes_from", "2026-01-01"),
            ("sort", "newest"),
        ];
        let query = SearchQuery::from_query(params).unwrap();
        assert_eq!(query.q, "机器人");
        let pairs = query.query_pairs();
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(SearchQuery::from_query(&borrowed[..]).unwrap(), query);
    }

    #[test]
    fn bad_values_are_refused_by_name() {
        for (name, value) in [
            ("kind", "people"),
            ("category", "steel"),
            ("sort", "random"),
            ("eligible", "yes please"),
            ("page", "0"),
            ("certification", "gold"),
            ("amount_min", "-1"),
            ("closes_to", "2026-13-01"),
        ] {
            let params: &[(&str, &str)] = &[(name, value)];
            assert_eq!(
                SearchQuery::from_query(params),
                Err(AppError::InvalidParameter { param: name.into() }),
                "{name}={value}"
            );
        }
        let backwards: &[(&str, &str)] = &[("amount_min", "50"), ("amount_max", "10")];
        assert_eq!(
            SearchQuery::from_query(backwards),
            Err(AppError::InvalidParameter {
                param: "amount_max".into()
            })
        );
        let long = "机".repeat(MAX_QUERY_CHARS + 1);
        let params: &[(&str, &str)] = &[("q", &long)];
        assert!(SearchQuery::from_query(params).is_err());
    }
}
