//! The bilingual glossary on the demo catalogue: every English term of a group finds at
//! least the records that hold its Chinese terms, on the embedded index and (when
//! `MEILI_URL` is set) on a real Meilisearch. Written-form checks live in the search
//! contract; the file's own form is checked by `app::search::glossary`'s unit tests.

use crate::search_contract::real_meilisearch;
use app::search::document::public_page;
use app::search::glossary::glossary;
use app::search::normalise::normalise;
use app::search::{DocumentKind, EmbeddedIndex, SearchIndex, SearchQuery};
use sqlx::PgPool;
use std::collections::{BTreeMap, BTreeSet};

type Key = (DocumentKind, i64);

/// Every public record of the demo catalogue, loaded into `index`; returns each record's
/// searchable text, normalised and lower-cased.
async fn load_demo(pool: &PgPool, index: &impl SearchIndex) -> BTreeMap<Key, String> {
    crate::seed::seeded(pool).await;
    let today = crate::helpers::test_today();
    let mut texts = BTreeMap::new();
    for kind in DocumentKind::ALL {
        let documents = public_page(pool, *kind, 0, 100_000, today).await.unwrap();
        for doc in &documents {
            let text = format!(
                "{} {} {}",
                doc.title,
                doc.body,
                doc.organisation_name.as_deref().unwrap_or_default()
            );
            texts.insert((*kind, doc.id), normalise(&text).to_lowercase());
        }
        let upserts = documents.into_iter().map(|doc| (*kind, doc)).collect();
        index.apply(upserts, Vec::new()).await.unwrap();
    }
    texts
}

/// Every hit of a search, page by page.
async fn found(index: &impl SearchIndex, q: &str) -> BTreeSet<Key> {
    let mut keys = BTreeSet::new();
    for page in 1.. {
        let query = SearchQuery {
            q: q.to_owned(),
            page,
            ..SearchQuery::default()
        }
        .validate()
        .expect("a valid query");
        let results = index.search(&query).await.expect("the search runs");
        if results.hits.is_empty() {
            break;
        }
        keys.extend(results.hits.iter().map(|h| (h.kind, h.id)));
    }
    keys
}

async fn english_terms_find_what_their_chinese_terms_find(pool: &PgPool, index: &impl SearchIndex) {
    let texts = load_demo(pool, index).await;
    let mut checked = 0;
    let mut failures = Vec::new();
    for group in &glossary().groups {
        // The records holding one of the group's Chinese terms, which its Chinese search
        // finds (a search also finds looser matches, which need not follow).
        let mut wanted = BTreeSet::new();
        for chinese in &group.chinese {
            let by_search = found(index, chinese).await;
            wanted.extend(
                by_search
                    .into_iter()
                    .filter(|key| texts[key].contains(chinese.as_str())),
            );
        }
        if wanted.is_empty() {
            continue;
        }
        for english in &group.english {
            checked += 1;
            let by_english = found(index, english).await;
            let missing: Vec<&Key> = wanted.difference(&by_english).collect();
            if !missing.is_empty() {
                failures.push(format!(
                    "line {}: `{english}` misses {} of the {} records of {:?}, e.g. {:?}",
                    group.line,
                    missing.len(),
                    wanted.len(),
                    group.chinese,
                    missing[0]
                ));
            }
        }
    }
    println!("{checked} English terms checked against the demo catalogue");
    assert!(checked >= 50, "only {checked} terms had records to check");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[sqlx::test(migrations = "../migrations")]
async fn english_terms_find_their_chinese_records_on_the_embedded_index(pool: PgPool) {
    let index = EmbeddedIndex::new(pool.clone(), crate::helpers::test_clock());
    english_terms_find_what_their_chinese_terms_find(&pool, &index).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn english_terms_find_their_chinese_records_on_meilisearch(pool: PgPool) {
    let Some(index) = real_meilisearch(
        "english_terms_find_their_chinese_records_on_meilisearch",
        Vec::new(),
    ) else {
        return;
    };
    index.prepare().await.unwrap();
    english_terms_find_what_their_chinese_terms_find(&pool, &index).await;
    index.delete_own_index().await.unwrap();
}

/// One of the two faults the glossary fixes, by name: `medical device` finds every record
/// of the demo catalogue that holds 医疗器械 (the other, `lidar`, is a check of the search
/// contract: no demo record holds 激光雷达, whose hits there only hold 激光, laser).
#[sqlx::test(migrations = "../migrations")]
async fn medical_device_finds_every_record_that_holds_its_chinese_term(pool: PgPool) {
    let index = EmbeddedIndex::new(pool.clone(), crate::helpers::test_clock());
    let texts = load_demo(&pool, &index).await;
    let holding: BTreeSet<Key> = texts
        .iter()
        .filter(|(_, text)| text.contains("医疗器械"))
        .map(|(key, _)| *key)
        .collect();
    let english_hits = found(&index, "medical device").await;
    assert!(holding.len() >= 3, "医疗器械 is in the demo catalogue");
    assert!(
        english_hits.is_superset(&holding),
        "medical device finds {} records; {} hold 医疗器械",
        english_hits.len(),
        holding.len()
    );
}
