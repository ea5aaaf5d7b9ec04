//! A search on Meilisearch: one index, or the deployment's and its partners' indexes in a
//! federated multi-search. Hits come back with marks around matched words, which become
//! fragments (data, never HTML).

use super::document::{MeiliDocument, MARK_END, MARK_START};
use super::filter::conditions;
use super::relax::relaxed;
use super::settings::FACETS;
use super::{errors, index_uid_of, MeiliIndex, Partner};
use crate::search::document::date_of_days;
use crate::search::index::IndexError;
use crate::search::query::HITS_PER_PAGE;
use crate::search::{
    FacetCount, Facets, Fragment, SearchHit, SearchQuery, SearchResults, SortOrder,
};
use meilisearch_sdk::search::{
    FederationOptions, MatchingStrategies, MergeFacets, SearchQuery as MeiliQuery, SearchResult,
    Selectors,
};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

type Distribution = HashMap<String, HashMap<String, usize>>;

const HIGHLIGHTED: [&str; 2] = ["title", "body"];
/// Words of body kept around the first match.
const CROP_WORDS: usize = 40;

/// Which words a search may do without when too few records hold them all: `last` (the
/// query's last words first), together with the query's tails searched beside it
/// ([`relaxed`]), so that a record holding any of the words is found, and the `words`
/// ranking rule puts those holding more of them first. (`frequency` keeps the rarest word
/// to the end instead, which in 「光伏储能充电一体化」 is 一体化: worse.)
pub const MATCHING_STRATEGY: MatchingStrategies = MatchingStrategies::LAST;

/// How long a partner whose index failed is left out before it is tried again.
const PARTNER_RETRY: Duration = Duration::from_secs(60);

/// Partners whose index failed recently, and since when: a missing or misconfigured
/// partner is left out of searches for a minute instead of failing every search.
#[derive(Default)]
pub(super) struct PartnerHealth {
    failed: Mutex<HashMap<String, Instant>>,
}

impl PartnerHealth {
    fn unavailable(&self) -> Vec<String> {
        let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        failed.retain(|_, since| since.elapsed() < PARTNER_RETRY);
        let mut sites: Vec<String> = failed.keys().cloned().collect();
        sites.sort();
        sites
    }

    fn mark_failed(&self, site_id: &str) {
        let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        failed.insert(site_id.to_owned(), Instant::now());
    }
}

/// The order of a search, the same on both backends: with keywords and no other order
/// asked for, relevance; without keywords, or when asked, newest first; closing soon by
/// nearest deadline. Ties always fall to the day's fair order (`fair`, ascending), which
/// is also the last ranking rule (see `settings`).
fn sort_of(query: &SearchQuery) -> &'static [&'static str] {
    match (query.sort, query.q.trim().is_empty()) {
        (SortOrder::Relevance, false) => &[],
        (SortOrder::ClosingSoon, _) => &["open_until:asc", "fair:asc"],
        _ => &["published_at:desc", "fair:asc"],
    }
}

/// `q` with each procurement code in canonical form and quoted (`"A0210"` for
/// `A02100000`): Meilisearch then takes it as it is, without the typo its typo tolerance
/// allows in a five-character word (which made `A0205` find `A0206`); the products below a
/// category hold its code among their `body_terms` (`SearchDocument::body_terms`), so no
/// prefix is needed.
fn quote_procurement_codes(q: &str) -> String {
    crate::domain::procurement::canonical_codes_in(q, |code| format!(" \"{code}\" "))
}

impl MeiliIndex {
    pub(super) async fn run_search(
        &self,
        query: &SearchQuery,
    ) -> Result<SearchResults, IndexError> {
        let skipped = self.inner.partners.unavailable();
        let partners: Vec<&Partner> = self
            .config()
            .partners
            .iter()
            .filter(|p| !skipped.contains(&p.site_id))
            .collect();
        match self.search_sites(query, &partners).await {
            Ok(mut results) => {
                results.unavailable_sites = skipped;
                Ok(results)
            }
            Err(error) if partners.is_empty() => Err(errors::classify(error)),
            Err(error) => {
                // This site's index alone first: if it fails, that is the failure, and no
                // partner is to blame.
                let own = self
                    .search_sites(query, &[])
                    .await
                    .map_err(errors::classify)?;
                // Then each partner with this site, the same search (facets and sort
                // included): a missing index, a key that does not cover it, settings
                // that lack an attribute this search filters or sorts by, or ranking rules
                // that do not merge with ours all fail here. Those are left out for a minute.
                let mut failing = Vec::new();
                let mut working = Vec::new();
                for partner in partners {
                    match self.search_sites(query, &[partner]).await {
                        Ok(_) => working.push(partner),
                        Err(reason) => {
                            tracing::warn!(
                                partner = partner.site_id,
                                error = %reason,
                                "a partner's search index failed; searching without it for a minute"
                            );
                            self.inner.partners.mark_failed(&partner.site_id);
                            failing.push(partner.site_id.clone());
                        }
                    }
                }
                if failing.is_empty() {
                    return Err(errors::classify(error));
                }
                let mut results = if working.is_empty() {
                    own
                } else {
                    self.search_sites(query, &working)
                        .await
                        .map_err(errors::classify)?
                };
                let mut unavailable = skipped;
                unavailable.extend(failing);
                unavailable.sort();
                results.unavailable_sites = unavailable;
                Ok(results)
            }
        }
    }

    /// One search over this site's index and `partners`' (federated when there are any).
    async fn search_sites(
        &self,
        query: &SearchQuery,
        partners: &[&Partner],
    ) -> Result<SearchResults, meilisearch_sdk::errors::Error> {
        let today = self.today();
        let filters = conditions(query, today);
        let filter_refs: Vec<&str> = filters.iter().map(String::as_str).collect();
        let sort = sort_of(query);
        let crop = [("body", None)];
        let mut uids = vec![self.index_uid()];
        uids.extend(partners.iter().map(|p| index_uid_of(&p.site_id)));
        let indexes: Vec<_> = uids.iter().map(|uid| self.searcher().index(uid)).collect();
        // The query in the form the documents' words are in (full-width, traditional and
        // quote forms folded), as the embedded index reads it.
        let q = crate::search::normalise::normalise(&query.q);
        let variants: Vec<(String, f32)> = relaxed(&q)
            .into_iter()
            .map(|(text, weight)| (quote_procurement_codes(&text), weight))
            .collect();
        let mut queries: Vec<(MeiliQuery<'_, _>, f32)> = Vec::new();
        for (index, (text, weight)) in indexes
            .iter()
            .flat_map(|index| variants.iter().map(move |variant| (index, variant)))
        {
            let mut meili = MeiliQuery::new(index);
            meili
                .with_query(text)
                .with_matching_strategy(MATCHING_STRATEGY)
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
            queries.push((meili, *weight));
        }

        let offset = ((query.page - 1) * HITS_PER_PAGE) as usize;
        if queries.len() == 1 {
            let (mut only, _) = queries.pop().expect("one query");
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
                unavailable_sites: Vec::new(),
            });
        }

        // With partners or a query of several words: one ranked list across every site's
        // index and every variant of the query, facets merged (a record found by several
        // variants counts once).
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
        for (meili, weight) in &queries {
            multi.with_search_query_and_weight(meili.clone(), *weight);
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
            unavailable_sites: Vec::new(),
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
        procurement: take("procurement"),
        procurement_names: Default::default(),
        eligible: flag(take("eligible")),
        first_purchased: flag(take("first_purchased")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn procurement_codes_are_searched_as_they_are() {
        assert_eq!(quote_procurement_codes("A0205").trim(), "\"A0205\"");
        assert_eq!(
            quote_procurement_codes("a02100000 光伏").trim(),
            "\"A0210\"  光伏"
        );
        assert_eq!(
            quote_procurement_codes("5G 基站 CZCX-2026-01"),
            "5G 基站 CZCX-2026-01"
        );
    }

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
