//! The Meilisearch backend at the HTTP level, against the mock in `meili_mock` (built from
//! recorded exchanges with a real Meilisearch 1.50): the exact settings, documents,
//! filters, task polling and index swap it sends, and how it behaves when Meilisearch
//! returns errors or cannot be reached.

mod export;
mod federation;
mod health;
mod lanes;
mod order;
mod outage;
mod reindex;
mod requests;
mod startup;

use crate::meili_mock::MeiliMock;
use crate::search_contract::corpus;
use app::search::meili::{MeiliConfig, MeiliIndex, Partner};
use app::search::{DocumentKind, SearchDocument};

pub const MASTER_KEY: &str = "master-key-for-tests";
pub const WRITE_KEY: &str = "write-key-site1";
pub const SEARCH_KEY: &str = "search-key-site1-and-site2";

/// A mock with keys as an operator would make them: the write key may do everything on
/// `site1_*` only; the search key may search `site1_*` and `site2_*`.
pub async fn mock() -> MeiliMock {
    with_keys(MeiliMock::start(MASTER_KEY).await)
}

/// The same on `address`.
pub async fn mock_on(address: std::net::SocketAddr) -> MeiliMock {
    with_keys(MeiliMock::start_on(MASTER_KEY, address).await)
}

fn with_keys(mock: MeiliMock) -> MeiliMock {
    mock.add_key(WRITE_KEY, &["*"], &["site1_*"]);
    mock.add_key(SEARCH_KEY, &["search"], &["site1_*", "site2_*"]);
    mock
}

pub fn site(mock: &MeiliMock, site_id: &str, partners: Vec<Partner>) -> MeiliIndex {
    MeiliIndex::new(
        MeiliConfig {
            url: mock.url(),
            site_id: site_id.to_owned(),
            write_key: WRITE_KEY.to_owned(),
            search_key: SEARCH_KEY.to_owned(),
            partners,
        },
        crate::helpers::test_clock(),
    )
    .unwrap()
}

/// A corpus document by its key (`p01`).
pub fn document(key: &str) -> (DocumentKind, SearchDocument) {
    let entry = corpus::corpus().into_iter().find(|e| e.key == key).unwrap();
    (entry.kind, entry.document())
}

/// The contract's behaviour checks through the Meilisearch client, against the mock:
/// facets, filters, sorting, pages, highlighting, withdrawal and escaping all go through
/// the real request and response handling. (Relevance needs the real engine's ranking:
/// it runs in `search_contract` when `MEILI_URL` is set.)
mod contract_on_the_mock {
    use super::{mock, site};
    use crate::search_contract::{checks, corpus};

    macro_rules! on_the_mock {
        ($($check:ident),* $(,)?) => {
            $(
                #[tokio::test]
                async fn $check() {
                    let mock = mock().await;
                    let index = site(&mock, "site1", Vec::new());
                    index.prepare().await.unwrap();
                    corpus::load(&index).await;
                    checks::$check(&index).await;
                }
            )*
        };
    }

    on_the_mock!(
        facets_count_every_match,
        filters_return_exactly_the_matching_records,
        sorting_orders_as_asked,
        equal_records_fall_in_the_days_fair_order,
        pages_split_the_hits_without_overlap,
        matched_words_are_highlighted,
        withdrawn_records_leave_and_republished_ones_return,
        query_syntax_and_odd_input_are_only_text,
    );
}
