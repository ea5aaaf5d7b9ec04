//! The index settings, kept in code and applied at startup: each deployment owns the
//! settings of its own index.

use meilisearch_sdk::settings::{
    FacetSortValue, FacetingSettings, MinWordSizeForTypos, PaginationSetting, Settings,
    TypoToleranceSettings,
};
use std::collections::{BTreeMap, HashMap};

/// Meilisearch's `maxTotalHits`: the most hits a search can page through, as many as the
/// list pages show (`listing::MAX_PAGE` pages, `search::list`). Search pages stop earlier
/// on both backends (`SearchQuery::validate` refuses pages past `MAX_SEARCH_HITS`).
pub const MAX_TOTAL_HITS: usize = (crate::listing::MAX_PAGE * crate::listing::PER_PAGE) as usize;

/// Facets asked for on every search.
pub const FACETS: [&str; 10] = [
    "kind",
    "category",
    "location",
    "stage",
    "agency",
    "batch",
    "certifications",
    "procurement",
    "eligible",
    "first_purchased",
];

/// Meilisearch's default rules with two changes, so that both backends order the same
/// search the same way: `sort` comes first (a search sorted by date or deadline is in that
/// order, not mostly by relevance), and the day's fair order breaks the remaining ties
/// (without it, equals come in insertion order: whoever registered first).
pub const RANKING_RULES: [&str; 8] = [
    "sort",
    "words",
    "typo",
    "proximity",
    "attribute",
    "exactness",
    "title_length:asc",
    "fair:asc",
];

/// The attributes a hit returns: every field of `MeiliDocument` but the hidden
/// `*_terms`, which only serve matching.
pub const DISPLAYED: [&str; 22] = [
    "uid",
    "kind",
    "id",
    "site_id",
    "title",
    "body",
    "organisation_id",
    "organisation_name",
    "agency",
    "category",
    "location",
    "stage",
    "batch",
    "certifications",
    "procurement",
    "eligible",
    "first_purchased",
    "amount_min",
    "amount_max",
    "open_until",
    "published_at",
    "fair",
];

pub fn settings() -> Settings {
    let mut filterable: Vec<&str> = FACETS.to_vec();
    filterable.extend([
        "amount_min",
        "amount_max",
        "open_until",
        "published_at",
        "site_id",
        "organisation_id",
    ]);
    Settings::new()
        // Order matters: a word in the title ranks above one in the body. The `*_terms`
        // attributes hold each field's normalised form and glossary terms
        // (`glossary::search_extras`), ranked with their field.
        .with_searchable_attributes([
            "title",
            "title_terms",
            "body",
            "body_terms",
            "organisation_name",
        ])
        .with_displayed_attributes(DISPLAYED)
        .with_filterable_attributes(filterable)
        .with_sortable_attributes(["published_at", "open_until", "fair", "id"])
        .with_ranking_rules(RANKING_RULES)
        // Equivalent terms are indexed with the documents (the glossary), so Meilisearch
        // keeps no synonyms of its own: an index written by an older version loses them.
        .with_synonyms(HashMap::<String, Vec<String>>::new())
        .with_typo_tolerance(TypoToleranceSettings {
            enabled: Some(true),
            disable_on_attributes: None,
            disable_on_words: None,
            // Words of five letters or more allow one typo; codes and numbers none.
            min_word_size_for_typos: Some(MinWordSizeForTypos {
                one_typo: Some(5),
                two_typos: Some(9),
            }),
            disable_on_numbers: Some(true),
        })
        .with_pagination(PaginationSetting {
            max_total_hits: MAX_TOTAL_HITS,
        })
        .with_faceting(FacetingSettings {
            max_values_per_facet: 100,
            sort_facet_values_by: Some(BTreeMap::from([("*".to_owned(), FacetSortValue::Count)])),
        })
}
