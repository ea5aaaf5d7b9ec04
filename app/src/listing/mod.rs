//! What every list page shares: reading the query string, paging, empty states.

mod filter_form;
mod pager;
mod query;
mod results;
mod summary;

pub use filter_form::{CheckboxFilter, FilterForm};
pub use pager::Pager;
pub use query::{check_page, flag, optional_code, page_number, QueryParams};
pub use results::ListResults;
use serde::{Deserialize, Serialize};
pub use summary::ListSummary;

/// The label of a filters fold's button: "筛选", or with the number of chosen filters
/// ("筛选 · 2"), so a reader on a phone sees that the list is narrowed without opening it.
pub fn fold_label(t: &crate::i18n::Messages, chosen: usize) -> String {
    if chosen == 0 {
        t.filters.to_owned()
    } else {
        t.filters_chosen.replace("{count}", &chosen.to_string())
    }
}

/// Records per list page.
pub const PER_PAGE: u32 = 20;
/// Deep pages cost the database more than they help anyone; search is the way further.
pub const MAX_PAGE: u32 = 500;

/// The hidden field that keeps a list limited to one organisation while filtering.
pub fn organisation_hidden(
    organisation: Option<crate::domain::OrganisationId>,
) -> Vec<(&'static str, String)> {
    organisation
        .map(|id| vec![("organisation", id.to_string())])
        .unwrap_or_default()
}

/// One page of a list, with the total that matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: u32,
}

impl<T> Page<T> {
    pub fn total_pages(&self) -> u32 {
        let pages = (self.total.max(0) as u64).div_ceil(u64::from(PER_PAGE));
        pages.clamp(1, u64::from(MAX_PAGE)) as u32
    }

    /// The SQL OFFSET of a page number (1-based).
    pub fn offset(page: u32) -> i64 {
        i64::from(page.saturating_sub(1)) * i64::from(PER_PAGE)
    }
}
