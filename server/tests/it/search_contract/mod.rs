//! The contract both search backends pass: relevance on a fixed Chinese and English
//! corpus with graded judgements (mean NDCG@10 at least 0.95, no query under 0.5), facets and counts, filters,
//! sorting, pagination, highlighting, withdrawal, input that must stay text, and every
//! written form of a query (full-width, traditional, curly quotes) finding the same.
//!
//! Each check runs against the embedded index, and against a real Meilisearch when
//! `MEILI_URL` is set (with `MEILI_MASTER_KEY`, or `MEILI_WRITE_KEY` and
//! `MEILI_SEARCH_KEY` allowed on `test_*` indexes); without it those say they skipped.

pub mod checks;
pub mod corpus;
mod federation;

use app::search::meili::{MeiliConfig, MeiliIndex, Partner};
use app::search::EmbeddedIndex;
use sqlx::PgPool;

/// A Meilisearch backend on the real server named by `MEILI_URL`, under a fresh site id
/// (so tests never meet each other's documents), with the given partners. `None`, after
/// saying so, when no Meilisearch is configured.
pub fn real_meilisearch(test: &str, partners: Vec<Partner>) -> Option<MeiliIndex> {
    let Ok(url) = std::env::var("MEILI_URL") else {
        println!(
            "SKIPPED {test}: MEILI_URL is not set, so there is no Meilisearch to test against"
        );
        return None;
    };
    let key = |name: &str| {
        std::env::var(name)
            .or_else(|_| std::env::var("MEILI_MASTER_KEY"))
            .unwrap_or_default()
    };
    Some(
        MeiliIndex::new(
            MeiliConfig {
                url,
                site_id: unique_site_id(),
                write_key: key("MEILI_WRITE_KEY"),
                search_key: key("MEILI_SEARCH_KEY"),
                partners,
            },
            crate::helpers::test_clock(),
        )
        .expect("a valid configuration"),
    )
}

pub fn unique_site_id() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    format!("test_{}_{nanos}", std::process::id())
}

macro_rules! embedded_contract {
    ($($check:ident),* $(,)?) => {
        mod embedded {
            use super::*;
            $(
                #[sqlx::test(migrations = "../migrations")]
                async fn $check(pool: PgPool) {
                    let index = EmbeddedIndex::new(pool, crate::helpers::test_clock());
                    corpus::load(&index).await;
                    checks::$check(&index).await;
                }
            )*
        }
    };
}

macro_rules! meilisearch_contract {
    ($($check:ident),* $(,)?) => {
        mod meilisearch {
            use super::*;
            $(
                #[tokio::test]
                async fn $check() {
                    let Some(index) = real_meilisearch(stringify!($check), Vec::new()) else {
                        return;
                    };
                    index.prepare().await.unwrap();
                    corpus::load(&index).await;
                    checks::$check(&index).await;
                    index.delete_own_index().await.unwrap();
                }
            )*
        }
    };
}

macro_rules! contract {
    ($($check:ident),* $(,)?) => {
        embedded_contract!($($check),*);
        meilisearch_contract!($($check),*);
    };
}

contract!(
    relevance_reaches_the_floor,
    facets_count_every_match,
    filters_return_exactly_the_matching_records,
    sorting_orders_as_asked,
    equal_records_fall_in_the_days_fair_order,
    pages_split_the_hits_without_overlap,
    matched_words_are_highlighted,
    withdrawn_records_leave_and_republished_ones_return,
    query_syntax_and_odd_input_are_only_text,
    every_written_form_finds_the_same_records,
    glossary_terms_find_each_others_records,
);
