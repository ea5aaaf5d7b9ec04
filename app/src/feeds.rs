//! The site's Atom feeds (served by the server's `routes::feeds`), as the pages that have
//! one name it in `<link rel="alternate" type="application/atom+xml">`: the lists of new
//! products, scenarios and projects, the notices, and any search.

/// A page with a feed: its path, its feed's path and the feed's title (in Chinese, the
/// feeds' language).
pub struct PageFeed {
    pub page: &'static str,
    pub feed: &'static str,
    pub title: &'static str,
}

/// Every page with a feed. The search's feed takes the search's own query string.
pub const FEEDS: [PageFeed; 5] = [
    PageFeed {
        page: "/products",
        feed: "/feeds/products.atom",
        title: "新发布的创新产品",
    },
    PageFeed {
        page: "/scenarios",
        feed: "/feeds/scenarios.atom",
        title: "新发布的应用场景",
    },
    PageFeed {
        page: "/projects",
        feed: "/feeds/projects.atom",
        title: "新发布的创新创业项目",
    },
    PageFeed {
        page: "/notices",
        feed: "/feeds/notices.atom",
        title: "公示",
    },
    PageFeed {
        page: "/search",
        feed: "/feeds/search.atom",
        title: "最新搜索结果",
    },
];

/// The feed of the page at `path` (with its raw `query`), as `(address, title)`: the
/// lists' feeds ignore the list's filters (they hold the newest records of the kind); the
/// search's feed is the same search, written from the parsed search without its order
/// and page (a feed is always newest first) and without parameters that are not the
/// search's (the feed refuses those). A search the page cannot read has no feed.
#[cfg(feature = "ssr")]
pub fn feed_of_page(path: &str, query: Option<&str>) -> Option<(String, &'static str)> {
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    let found = FEEDS.iter().find(|feed| feed.page == path)?;
    if found.page != "/search" {
        return Some((found.feed.to_owned(), found.title));
    }
    let given: Vec<(String, String)> = crate::url::query_pairs(query.unwrap_or_default())
        .into_iter()
        .filter(|(name, _)| !matches!(name.as_str(), "sort" | "page"))
        .collect();
    let pairs: Vec<(&str, &str)> = given
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    // Read and written back: only the search's own parameters, in its order.
    let search = crate::search::SearchQuery::from_query(&pairs[..]).ok()?;
    let query = crate::url::query_string(&search.query_pairs());
    let address = if query.is_empty() {
        found.feed.to_owned()
    } else {
        format!("{}?{query}", found.feed)
    };
    Some((address, found.title))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::feed_of_page;

    #[test]
    fn lists_and_searches_name_their_feed() {
        assert_eq!(
            feed_of_page("/products", Some("industry=new_energy"))
                .unwrap()
                .0,
            "/feeds/products.atom"
        );
        assert_eq!(
            feed_of_page("/search", Some("q=%E6%9C%BA&kind=product"))
                .unwrap()
                .0,
            "/feeds/search.atom?q=%E6%9C%BA&kind=product"
        );
        assert_eq!(
            feed_of_page("/search/", None).unwrap().0,
            "/feeds/search.atom"
        );
        assert_eq!(
            feed_of_page(
                "/search",
                Some("q=%E6%9C%BA&sort=newest&page=3&utm_source=mail&kind=product")
            )
            .unwrap()
            .0,
            "/feeds/search.atom?q=%E6%9C%BA&kind=product",
            "the order, the page and foreign parameters are left out"
        );
        assert!(feed_of_page("/search", Some("kind=people")).is_none());
        assert!(feed_of_page("/products/12", None).is_none());
        assert!(feed_of_page("/", None).is_none());
    }
}
