//! Running a search on the mirror: the query's words (and their typo and prefix
//! variants) as a tantivy query, the filters, a fair order among equals, facet counts.

use super::facets::{Counts, FacetCollector};
use super::mirror::{Fields, Mirror};
use crate::search::document::{
    date_of_days, day_salt, days_since_epoch, fair_key_of_hash, fen_of_wan,
};
use crate::search::glossary::glossary;
use crate::search::highlight::{highlight, snippet};
use crate::search::query::HITS_PER_PAGE;
use crate::search::segment::{query_words, words};
use crate::search::{DocumentKind, SearchHit, SearchQuery, SearchResults, SortOrder};
use std::ops::Bound;
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery,
    Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, SegmentReader, TantivyDocument, Term};

/// A document gets this for each query word it contains exactly, and `VARIANT_MATCH` for a
/// word it only contains as a prefix or with a typo; BM25 (a few points at
/// most) then orders documents that match the same number of words.
const EXACT_MATCH: f32 = 10.0;
const VARIANT_MATCH: f32 = 7.0;
/// How much a word counts where it is found, for ordering documents that match as many
/// words: the title above the body, a record's own words above the equivalent terms it is
/// also searched by (as Meilisearch's attribute rule orders `title`, `title_terms`,
/// `body`, `body_terms`).
const TITLE_BOOST: f32 = 2.0;
const TITLE_TERMS_BOOST: f32 = 1.5;
const BODY_BOOST: f32 = 1.0;
const BODY_TERMS_BOOST: f32 = 0.5;
/// ASCII words this long also match with one typo (as Meilisearch's default).
const MIN_CHARS_FOR_TYPO: usize = 5;

pub fn search(
    mirror: &Mirror,
    query: &SearchQuery,
    today: chrono::NaiveDate,
) -> tantivy::Result<SearchResults> {
    let f = &mirror.fields;
    let words = query_words(&query.q);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut highlighted = words.clone();
    if !words.is_empty() {
        let (text, expanded) = text_query(f, &query.q, &words);
        highlighted.extend(expanded);
        clauses.push((Occur::Must, text));
    }
    for filter in filters(f, query, today) {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
    }
    let tantivy_query: Box<dyn Query> = if clauses.is_empty() {
        Box::new(AllQuery)
    } else {
        if words.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Box::new(BooleanQuery::new(clauses))
    };

    let offset = (query.page.saturating_sub(1) * HITS_PER_PAGE) as usize;
    let top = TopDocs::with_limit(HITS_PER_PAGE as usize)
        .and_offset(offset)
        .tweak_score(sort_key(query.sort, !words.is_empty(), today));
    let searcher = mirror.reader.searcher();
    let (top, counts): (Vec<(SortKey, DocAddress)>, Counts) =
        searcher.search(&tantivy_query, &(top, FacetCollector))?;

    let mut hits = Vec::with_capacity(top.len());
    for (_, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        hits.push(hit(f, &doc, &highlighted));
    }
    Ok(SearchResults {
        hits,
        total: counts.total,
        page: query.page,
        facets: counts.into_facets(),
        unavailable_sites: Vec::new(),
    })
}

/// Every word of the query may match (the more, the better), in the title or the body.
/// Equivalent terms need no expansion here: documents are indexed with the glossary terms
/// of the groups they mention (`glossary::search_extras`). Returns the query and the
/// extra words worth highlighting: the query's glossary equivalents, which are what a
/// record found through the glossary shows.
fn text_query(f: &Fields, raw: &str, words: &[String]) -> (Box<dyn Query>, Vec<String>) {
    let mut per_word: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for word in words {
        let exact = term_query(f.all_words, word);
        let mut disjuncts: Vec<Box<dyn Query>> =
            vec![Box::new(ConstScoreQuery::new(exact, EXACT_MATCH))];
        let places = [
            (f.title_words, TITLE_BOOST),
            (f.title_terms, TITLE_TERMS_BOOST),
            (f.body_words, BODY_BOOST),
            (f.body_terms, BODY_TERMS_BOOST),
        ];
        let mut ranking: Vec<(Occur, Box<dyn Query>)> = places
            .iter()
            .map(|&(field, boost)| -> (Occur, Box<dyn Query>) {
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(term_query(field, word), boost)),
                )
            })
            .collect();
        if word.is_ascii() && word.chars().any(|c| c.is_ascii_alphabetic()) {
            // A word with digits is a code or a number (A0205, 5G): exact or a prefix,
            // never with a typo, which would make A0205 find A0206.
            let typos = u8::from(
                word.chars().count() >= MIN_CHARS_FOR_TYPO
                    && !word.chars().any(|c| c.is_ascii_digit()),
            );
            let variant = |field: Field| -> Box<dyn Query> {
                Box::new(FuzzyTermQuery::new_prefix(
                    Term::from_field_text(field, word),
                    typos,
                    true,
                ))
            };
            disjuncts.push(Box::new(ConstScoreQuery::new(
                variant(f.all_words),
                VARIANT_MATCH,
            )));
            // A word found with a typo or as a prefix has no BM25 of its own: where it is
            // found still counts, as for an exact word.
            for (field, boost) in places {
                ranking.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(variant(field), boost)),
                ));
            }
        }
        let bm25: Box<dyn Query> = Box::new(BooleanQuery::new(ranking));
        per_word.push((
            Occur::Should,
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(DisjunctionMaxQuery::new(disjuncts))),
                (Occur::Should, bm25),
            ])),
        ));
    }
    (Box::new(BooleanQuery::new(per_word)), equivalents_of(raw))
}

/// The words of the glossary terms equivalent to what `raw` mentions.
fn equivalents_of(raw: &str) -> Vec<String> {
    let normalised = crate::search::normalise::normalise(raw.trim()).to_lowercase();
    let mut found: Vec<String> = glossary()
        .groups_in(&normalised)
        .into_iter()
        .flat_map(|group| group.terms().flat_map(words).collect::<Vec<_>>())
        .collect();
    found.sort();
    found.dedup();
    found
}

fn term_query(field: Field, word: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, word),
        IndexRecordOption::WithFreqs,
    ))
}

pub(super) fn filters(
    f: &Fields,
    query: &SearchQuery,
    today: chrono::NaiveDate,
) -> Vec<Box<dyn Query>> {
    let mut filters: Vec<Box<dyn Query>> = Vec::new();
    let mut text = |field: Field, value: Option<&str>| {
        if let Some(value) = value {
            filters.push(Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            )));
        }
    };
    text(f.kind, query.kind.map(DocumentKind::code));
    text(f.category, query.category.as_deref());
    text(f.location, query.location.map(|l| l.code()));
    text(f.stage, query.stage.map(|s| s.code()));
    text(f.agency, query.agency.as_deref());
    text(f.batch, query.batch.as_deref());
    text(f.certification, query.certification.map(|c| c.code()));
    text(f.procurement, query.procurement.as_deref());
    for (on, field) in [
        (query.eligible, f.eligible),
        (query.first_purchased, f.first_purchased),
    ] {
        if on {
            filters.push(Box::new(TermQuery::new(
                Term::from_field_bool(field, true),
                IndexRecordOption::Basic,
            )));
        }
    }
    // A range reaches into [min, max] when it starts at or below max and ends at or above
    // min (a record with one bound has it as both).
    if let Some(min) = query.amount_min {
        filters.push(range(
            f.amount_max,
            Bound::Included(fen_of_wan(min)),
            Bound::Unbounded,
        ));
    }
    if let Some(max) = query.amount_max {
        filters.push(range(
            f.amount_min,
            Bound::Unbounded,
            Bound::Included(fen_of_wan(max)),
        ));
    }
    // "Closing soon" lists only scenarios still open.
    let mut from = query.closes_from;
    if query.sort == SortOrder::ClosingSoon {
        from = Some(from.map_or(today, |date| date.max(today)));
    }
    let days = |date| Bound::Included(days_since_epoch(date));
    if from.is_some() || query.closes_to.is_some() {
        filters.push(range(
            f.open_until,
            from.map_or(Bound::Unbounded, days),
            query.closes_to.map_or(Bound::Unbounded, days),
        ));
    }
    filters
}

fn range(field: Field, low: Bound<i64>, high: Bound<i64>) -> Box<dyn Query> {
    let term = |value| Term::from_field_i64(field, value);
    let bound = |b: Bound<i64>| match b {
        Bound::Included(v) => Bound::Included(term(v)),
        Bound::Excluded(v) => Bound::Excluded(term(v)),
        Bound::Unbounded => Bound::Unbounded,
    };
    // An unbounded end still needs the field, so that records without it do not match.
    let low = match low {
        Bound::Unbounded => Bound::Included(term(i64::MIN)),
        other => bound(other),
    };
    Box::new(RangeQuery::new(low, bound(high)))
}

/// The primary order (by the chosen sort), then the fair order among equals (the
/// complement of the day's fair key: tantivy keeps the highest, Meilisearch sorts the key
/// ascending, and both give the same order).
type SortKey = (f64, u32);

/// The order: a primary key by the chosen sort, then a fair order among equals that is
/// random but the same all day (no paid placement, no advantage for early registrants).
fn sort_key(
    sort: SortOrder,
    has_words: bool,
    today: chrono::NaiveDate,
) -> impl Fn(&SegmentReader) -> Box<dyn Fn(tantivy::DocId, tantivy::Score) -> SortKey>
       + Send
       + Sync
       + 'static {
    let salt = day_salt(today);
    move |segment: &SegmentReader| {
        let fast = segment.fast_fields();
        let fair = fast.u64("fair").ok();
        let published = fast.i64("published_at").ok();
        let open_until = fast.i64("open_until").ok();
        Box::new(move |doc, score| {
            let hash = fair.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
            let fair = !fair_key_of_hash(hash, salt);
            let primary = match (sort, has_words) {
                (SortOrder::Relevance, true) => f64::from(score),
                // Only open scenarios are left (see `filters`): nearest deadline first.
                (SortOrder::ClosingSoon, _) => open_until
                    .as_ref()
                    .and_then(|c| c.first(doc))
                    .map_or(f64::MIN, |day| -(day as f64)),
                _ => published
                    .as_ref()
                    .and_then(|c| c.first(doc))
                    .map_or(f64::MIN, |at| at as f64),
            };
            (primary, fair)
        })
    }
}

fn hit(f: &Fields, doc: &TantivyDocument, words: &[String]) -> SearchHit {
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let number = |field| doc.get_first(field).and_then(|v| v.as_i64());
    let flag = |field| doc.get_first(field).and_then(|v| v.as_bool()) == Some(true);
    let kind = text(f.kind)
        .and_then(|k| DocumentKind::from_code(&k))
        .unwrap_or(DocumentKind::Product);
    let id = number(f.id).unwrap_or_default();
    let title = text(f.title).unwrap_or_default();
    let body = text(f.body).unwrap_or_default();
    SearchHit {
        kind,
        id,
        url: kind.path(id),
        title: highlight(&title, words),
        snippet: highlight(&snippet(&body, words, 80), words),
        organisation_name: text(f.organisation_name),
        agency_name: text(f.agency),
        category: text(f.category),
        location: text(f.location),
        stage: text(f.stage),
        batch_code: text(f.batch),
        eligible: flag(f.eligible),
        first_purchased: flag(f.first_purchased),
        amount_min_fen: number(f.amount_min),
        amount_max_fen: number(f.amount_max),
        open_until: number(f.open_until).and_then(date_of_days),
        site: None,
    }
}
