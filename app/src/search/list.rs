//! The list pages (`/products`, `/scenarios`, `/projects`, an organisation's records, the
//! home page's latest) page through the search index, which holds exactly the listed
//! records with their filters: the index finds a page's ids and counts what matched, and
//! Postgres reads those rows. Counting and paging over 100,000 products in Postgres took
//! a second at scale; in the index it takes a millisecond. A list follows a publication
//! within the indexer's lag, as search does; the record's own page shows it at once.
//!
//! When the index cannot answer (Meilisearch unreachable), the lists are read from
//! Postgres instead, in the same order.

use super::DocumentKind;
use crate::domain::{Location, ProjectStage};
use crate::listing::{MAX_PAGE, PER_PAGE};

/// One page of one kind of listed record: newest first (`published_at` descending, then
/// the id descending; the index keeps the time to the second, so records published within
/// the same second fall to the id), [`PER_PAGE`] at a time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListQuery {
    pub kind: DocumentKind,
    /// An industry (products) or sector (scenarios, projects) code.
    pub category: Option<String>,
    /// Where the record is (scenarios) or its organisation is (products, projects).
    pub location: Option<Location>,
    pub stage: Option<ProjectStage>,
    /// Only this organisation's records.
    pub organisation: Option<i64>,
    /// A canonical procurement category: products under it or any level below.
    pub procurement: Option<String>,
    /// Only products eligible for first purchase today.
    pub eligible: bool,
    /// Only products bought under the first-purchase policy.
    pub first_purchased: bool,
    /// From 1 to [`MAX_PAGE`].
    pub page: u32,
}

impl ListQuery {
    /// Page 1 of every listed record of `kind`.
    pub fn all(kind: DocumentKind) -> ListQuery {
        ListQuery {
            kind,
            category: None,
            location: None,
            stage: None,
            organisation: None,
            procurement: None,
            eligible: false,
            first_purchased: false,
            page: 1,
        }
    }

    /// How many records come before this page.
    pub fn offset(&self) -> usize {
        (self.page.clamp(1, MAX_PAGE) as usize - 1) * PER_PAGE as usize
    }

    /// [`offset`](Self::offset) as SQL's `OFFSET` takes it.
    pub fn offset_rows(&self) -> i64 {
        self.offset() as i64
    }

    /// The rows of one page, as SQL's `LIMIT` takes it.
    pub fn limit(&self) -> i64 {
        i64::from(PER_PAGE)
    }
}

/// A page of a list as the index has it: the records' ids in order, and how many matched.
/// The Postgres fallbacks read it straight from a row with the columns `total` and `ids`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListedIds {
    pub ids: Vec<i64>,
    pub total: i64,
}

/// The ids of `rows` (read from Postgres by `ids`) put back in the index's order; a row
/// that left the list since the index saw it is simply missing.
pub fn in_order<T>(ids: &[i64], rows: Vec<T>, id_of: impl Fn(&T) -> i64) -> Vec<T> {
    let mut rows: std::collections::HashMap<i64, T> =
        rows.into_iter().map(|row| (id_of(&row), row)).collect();
    ids.iter().filter_map(|id| rows.remove(id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_in_the_index_order_without_those_gone() {
        let rows = vec![(3, "c"), (1, "a"), (2, "b")];
        assert_eq!(
            in_order(&[2, 9, 3, 1], rows, |row| row.0),
            vec![(2, "b"), (3, "c"), (1, "a")]
        );
    }

    #[test]
    fn pages_past_the_last_are_the_last() {
        let query = ListQuery {
            page: MAX_PAGE + 10,
            ..ListQuery::all(DocumentKind::Product)
        };
        assert_eq!(query.offset(), (MAX_PAGE as usize - 1) * PER_PAGE as usize);
        assert_eq!(ListQuery::all(DocumentKind::Product).offset(), 0);
    }
}
