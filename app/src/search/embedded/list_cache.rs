//! The list pages read from one state of the copy, kept until the copy changes.
//!
//! A list page costs the index a pass over every record of its kind that matches (about
//! 3 ms to order 100,000 products by date), and the same few pages (the first page of
//! each list, the common filters) are asked for again and again: by signed-in readers,
//! whose pages are rendered each time, and by the list pages' server functions. (The
//! `/api/v1` listings read Postgres, not this cache.) A page is kept with the searcher
//! generation it was read from (tantivy's `SearcherGeneration`, new with every reload of
//! the copy), so a page read before a change is never served after it, whatever the order
//! in which the change and the read happened.

use crate::search::list::{ListQuery, ListedIds};
use std::collections::HashMap;
use std::sync::Mutex;

/// The most pages kept: past it, the cache starts again empty. A page is its query and at
/// most [`PER_PAGE`](crate::listing::PER_PAGE) ids, so this is well under a megabyte.
const MAX_PAGES: usize = 2_000;

/// Pages of lists read from one searcher generation.
#[derive(Default)]
pub struct ListCache {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    generation: u64,
    pages: HashMap<ListQuery, ListedIds>,
}

impl ListCache {
    /// The page of `query` read from the searcher of `generation`, if it was kept.
    pub fn get(&self, generation: u64, query: &ListQuery) -> Option<ListedIds> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.generation != generation {
            return None;
        }
        kept.pages.get(query).cloned()
    }

    /// Keeps `page`, read from the searcher of `generation`. A newer generation replaces
    /// everything kept; a page of an older one (a read that overlapped a reload) is not
    /// kept.
    pub fn put(&self, generation: u64, query: &ListQuery, page: &ListedIds) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if generation < kept.generation {
            return;
        }
        if generation > kept.generation || kept.pages.len() >= MAX_PAGES {
            *kept = Kept {
                generation,
                pages: HashMap::new(),
            };
        }
        kept.pages.insert(query.clone(), page.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::DocumentKind;

    fn page(ids: &[i64]) -> ListedIds {
        ListedIds {
            ids: ids.to_vec(),
            total: ids.len() as i64,
        }
    }

    #[test]
    fn a_page_is_served_only_to_readers_of_its_generation() {
        let cache = ListCache::default();
        let products = ListQuery::all(DocumentKind::Product);
        cache.put(3, &products, &page(&[9, 8]));
        assert_eq!(cache.get(3, &products), Some(page(&[9, 8])));
        assert_eq!(cache.get(4, &products), None, "the copy changed since");
        let second = ListQuery {
            page: 2,
            ..products.clone()
        };
        assert_eq!(cache.get(3, &second), None, "another page");
    }

    #[test]
    fn a_newer_generation_replaces_everything_and_an_older_one_is_not_kept() {
        let cache = ListCache::default();
        let products = ListQuery::all(DocumentKind::Product);
        let scenarios = ListQuery::all(DocumentKind::Scenario);
        cache.put(3, &products, &page(&[9]));
        cache.put(4, &scenarios, &page(&[5]));
        assert_eq!(cache.get(4, &products), None);
        cache.put(3, &products, &page(&[9]));
        assert_eq!(
            cache.get(3, &products),
            None,
            "read before the reload: not kept"
        );
        assert_eq!(cache.get(4, &scenarios), Some(page(&[5])));
    }

    #[test]
    fn the_cache_starts_again_when_full() {
        let cache = ListCache::default();
        for page_number in 0..MAX_PAGES as u32 {
            let query = ListQuery {
                page: page_number + 1,
                ..ListQuery::all(DocumentKind::Product)
            };
            cache.put(1, &query, &page(&[1]));
        }
        let last = ListQuery {
            page: MAX_PAGES as u32 + 1,
            ..ListQuery::all(DocumentKind::Product)
        };
        cache.put(1, &last, &page(&[2]));
        assert_eq!(cache.kept.lock().unwrap().pages.len(), 1);
        assert_eq!(cache.get(1, &last), Some(page(&[2])));
    }
}
