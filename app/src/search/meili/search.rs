//! A search on Meilisearch: one index, or the deployment's and its partners' indexes in a
//! federated multi-search. Hits come back with marks around matched words, which become
//! fragments (data, never HTML).

use super::document::{MeiliDocument, MARK_END, MARK_START};
use super::filter::conditions;
use super::settings::FACETS;
use super::MeiliIndex;
use crate::search::document::date_of_days;
use crate::search::query::HITS_PER_PAGE;
use crate::search::{
    FacetCount, Facets, Fragment, SearchHit, SearchQuery, SearchResults, SortOrder,
};
use meilisearch_sdk::search::{
    FederationOptions, MergeFacets, SearchQuery as MeiliQuery, SearchResult, Selectors,
};
use std::collections::HashMap;

type Distribution = HashMap<String, HashMap<String, usize>>;

const HIGHLIGHTED: [&str; 2] = ["title", "body"];
/// Words of body kept around the first match.
const CROP_WORDS: usize = 40;

impl MeiliIndex {
    pub(super) async fn run_search(
        &self,
        query: &SearchQuery,
    ) -> Result<SearchResults, meilisearch_sdk::errors::Error> {
        let today = super::today();
        let filters = conditions(query, today);
        let filter_refs: Vec<&str> = filters.iter().map(String::as_str).collect();
        let sort: &[&str] = match query.sort {
            SortOrder::Relevance => &[],
            SortOrder::Newest => &["published_at:desc"],
            SortOrder::ClosingSoon => &["open_until:asc"],
        };
        let crop = [("body", None)];
        let own_uid = self.index_uid();
        let partner_uids: Vec<String> = self
            .config()
            .partners
            .iter()
            .map(|p| super::index_uid_of(&p.site_id))
            .collect();
        let mut uids = vec![own_uid];
        uids.extend(partner_uids);
        let indexes: Vec<_> = uids.iter().map(|uid| self.searcher().index(uid)).collect();
        let mut queries: Vec<MeiliQuery<'_, _>> = Vec::new();
        for index in &indexes {
            let mut meili = MeiliQuery::new(index);
            meili
                .with_query(&query.q)
                .with_array_filter(filter_refs.clone())
                .with_attributes_to_highlight(Selectors::Some(&HIGHLIGHTED))
                .with_highlight_pre_tag(MARK_START)
                .with_highlight_post_tag(MARK_END)
                .with_attributes_to_crop(Selectors::Some(&crop))
                .with_crop_length(CROP_WORDS)
                .with_crop_marker("…");
            if !sort.is_empty() {
                meili.with_sort(sort);
            }
            queries.push(meili);
        }

        let offset = ((query.page - 1) * HITS_PER_PAGE) as usize;
        if queries.len() == 1 {
            let mut only = queries.pop().expect("one query");
            only.with_facets(Selectors::Some(&FACETS))
                .with_page(query.page as usize)
                .with_hits_per_page(HITS_PER_PAGE as usize);
            let response = only.execute::<MeiliDocument>().await?;
            let hits = response.hits.iter().map(|hit| self.hit(hit)).collect();
            return Ok(SearchResults {
                hits,
                total: response.total_hits.unwrap_or_default() as i64,
                page: query.page,
                facets: facets(response.facet_distribution.unwrap_or_default()),
            });
        }

        // With partners: one ranked list across every site's index, facets merged.
        let facets_by_index = uids
            .iter()
            .map(|uid| {
                (
                    uid.clone(),
                    FACETS.iter().map(|f| (*f).to_owned()).collect(),
                )
            })
            .collect();
        let mut multi = self.searcher().multi_search();
        for meili in &queries {
            multi.with_search_query(meili.clone());
        }
        let federated = multi.with_federation(FederationOptions {
            offset: Some(offset),
            limit: Some(HITS_PER_PAGE as usize),
            facets_by_index: Some(facets_by_index),
            merge_facets: Some(MergeFacets {
                max_values_per_facet: None,
            }),
            show_performance_details: None,
        });
        let response = federated.execute::<MeiliDocument>().await?;
        let hits = response.hits.iter().map(|hit| self.hit(hit)).collect();
        Ok(SearchResults {
            hits,
            total: response.estimated_total_hits as i64,
            page: query.page,
            facets: facets(response.facet_distribution.unwrap_or_default()),
        })
    }

    fn hit(&self, hit: &SearchResult<MeiliDocument>) -> SearchHit {
        let doc = &hit.result;
        let formatted = |field: &str, fallback: &str| {
            hit.formatted_result
                .as_ref()
                .and_then(|f| f.get(field))
                .and_then(|v| v.as_str())
                .map_or_else(|| plain(fallback), fragments)
        };
        let own = doc.site_id == self.config().site_id;
        let partner = self
            .config()
            .partners
            .iter()
            .find(|p| p.site_id == doc.site_id);
        let path = doc.kind.path(doc.id);
        let url = match (own, partner) {
            (false, Some(partner)) => format!("{}{path}", partner.base_url.trim_end_matches('/')),
            _ => path,
        };
        SearchHit {
            kind: doc.kind,
            id: doc.id,
            url,
            title: formatted("title", &doc.title),
            snippet: formatted("body", &doc.body),
            organisation_name: doc.organisation_name.clone(),
            agency_name: doc.agency.clone(),
            category: doc.category.clone(),
            location: doc.location.clone(),
            stage: doc.stage.clone(),
            batch_code: doc.batch.clone(),
            eligible: doc.eligible,
            first_purchased: doc.first_purchased,
            amount_min_fen: doc.amount_min,
            amount_max_fen: doc.amount_max,
            open_until: doc.open_until.and_then(date_of_days),
            site: (!own).then(|| doc.site_id.clone()),
        }
    }
}

fn plain(text: &str) -> Vec<Fragment> {
    vec![Fragment {
        text: text.to_owned(),
        hit: false,
    }]
}

/// Text with marks around matched words, as fragments; neighbouring marks merge.
pub fn fragments(marked: &str) -> Vec<Fragment> {
    let mut fragments: Vec<Fragment> = Vec::new();
    let mut push = |text: &str, hit: bool| {
        if text.is_empty() {
            return;
        }
        match fragments.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(text),
            _ => fragments.push(Fragment {
                text: text.to_owned(),
                hit,
            }),
        }
    };
    let mut pieces = marked.split(MARK_START);
    push(pieces.next().unwrap_or_default(), false);
    for piece in pieces {
        let (matched, rest) = piece.split_once(MARK_END).unwrap_or((piece, ""));
        push(matched, true);
        push(rest, false);
    }
    fragments
}

fn facets(mut distribution: Distribution) -> Facets {
    let mut take = |name: &str| {
        let mut list: Vec<FacetCount> = distribution
            .remove(name)
            .unwrap_or_default()
            .into_iter()
            .map(|(value, count)| FacetCount {
                value,
                count: count as i64,
            })
            .collect();
        list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        list
    };
    let flag = |list: Vec<FacetCount>| {
        list.into_iter()
            .find(|f| f.value == "true")
            .map_or(0, |f| f.count)
    };
    Facets {
        kind: take("kind"),
        category: take("category"),
        location: take("location"),
        stage: take("stage"),
        agency: take("agency"),
        batch: take("batch"),
        certification: take("certifications"),
        eligible: flag(take("eligible")),
        first_purchased: flag(take("first_purchased")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_fragments() {
        let f = fragments("六轴工业\u{E000}机器\u{E001}\u{E000}人\u{E001}，焊接");
        assert_eq!(
            f,
            vec![
                Fragment {
                    text: "六轴工业".into(),
                    hit: false
                },
                Fragment {
                    text: "机器人".into(),
                    hit: true
                },
                Fragment {
                    text: "，焊接".into(),
                    hit: false
                },
            ]
        );
        assert_eq!(fragments(""), vec![]);
    }
}
