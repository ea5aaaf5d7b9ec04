//! A list page on Meilisearch: this site's index only (partners' records are found by
//! search, never listed), the filters, newest first, only ids, and the count.

use super::filter::conditions;
use super::{errors, MeiliIndex};
use crate::listing::PER_PAGE;
use crate::search::index::IndexError;
use crate::search::list::{ListQuery, ListedIds};
use crate::search::SearchQuery;
use meilisearch_sdk::search::{SearchQuery as MeiliQuery, Selectors};
use serde::Deserialize;

/// How long a list waits for Meilisearch before it reads the page from Postgres instead:
/// a Meilisearch that accepts connections but does not answer (overloaded, or stopped
/// mid-request) must not hold every list page until the request's deadline.
pub const LIST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

#[derive(Deserialize)]
struct ListedId {
    id: i64,
}

impl MeiliIndex {
    /// A page of a list (`search::list`).
    ///
    /// # Errors
    /// [`IndexError::Unavailable`] when Meilisearch cannot answer, has not answered within
    /// [`LIST_TIMEOUT`], or may hold documents of an older format (during an upgrade's
    /// rebuild an older document may lack `organisation_id`, which lists filter on).
    pub async fn list(&self, query: &ListQuery) -> Result<ListedIds, IndexError> {
        if self.may_hold_older_documents() {
            return Err(IndexError::Unavailable(
                "the index may hold documents of an older format until it is rebuilt".into(),
            ));
        }
        let as_search = SearchQuery {
            kind: Some(query.kind),
            category: query.category.clone(),
            location: query.location,
            stage: query.stage,
            procurement: query.procurement.clone(),
            eligible: query.eligible,
            first_purchased: query.first_purchased,
            ..SearchQuery::default()
        };
        let mut filters = conditions(&as_search, self.today());
        if let Some(organisation) = query.organisation {
            filters.push(format!("organisation_id = {organisation}"));
        }
        let filter_refs: Vec<&str> = filters.iter().map(String::as_str).collect();
        let index = self.searcher().index(self.index_uid());
        let mut meili = MeiliQuery::new(&index);
        meili
            .with_array_filter(filter_refs)
            .with_sort(&["published_at:desc", "id:desc"])
            .with_offset(query.offset())
            .with_limit(PER_PAGE as usize)
            .with_attributes_to_retrieve(Selectors::Some(&["id"]))
            // The kind's facet count is exact; the hit count past `maxTotalHits` is not.
            .with_facets(Selectors::Some(&["kind"]));
        let response = tokio::time::timeout(LIST_TIMEOUT, meili.execute::<ListedId>())
            .await
            .map_err(|_| {
                IndexError::Unavailable(format!(
                    "Meilisearch did not answer a list within {} s",
                    LIST_TIMEOUT.as_secs()
                ))
            })?
            .map_err(errors::classify)?;
        let total = response
            .facet_distribution
            .as_ref()
            .and_then(|facets| facets.get("kind"))
            .and_then(|counts| counts.get(query.kind.code()))
            .copied()
            .unwrap_or_default();
        Ok(ListedIds {
            ids: response.hits.into_iter().map(|hit| hit.result.id).collect(),
            total: total as i64,
        })
    }
}
