//! A list page on the mirror: the filters, newest first, only ids and the count.

use super::mirror::Mirror;
use super::search::filters;
use crate::listing::PER_PAGE;
use crate::search::list::{ListQuery, ListedIds};
use crate::search::SearchQuery;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, Searcher, SegmentReader, Term};

/// The page of `query` as `searcher` (of `mirror`'s copy) finds it.
pub fn list(mirror: &Mirror, searcher: &Searcher, query: &ListQuery) -> tantivy::Result<ListedIds> {
    let f = &mirror.fields;
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
    // No date-dependent filter is asked for (no deadline range, no "closing soon").
    let today = chrono::NaiveDate::MIN;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = filters(f, &as_search, today)
        .into_iter()
        .map(|filter| (Occur::Must, filter))
        .collect();
    if let Some(organisation) = query.organisation {
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_i64(f.organisation, organisation),
                IndexRecordOption::Basic,
            )),
        ));
    }
    clauses.push((Occur::Must, Box::new(AllQuery)));
    let top = TopDocs::with_limit(PER_PAGE as usize)
        .and_offset(query.offset())
        .tweak_score(newest_first);
    let (top, total) = searcher.search(&BooleanQuery::new(clauses), &(top, Count))?;
    Ok(ListedIds {
        ids: top.into_iter().map(|((_, id), _)| id).collect(),
        total: total as i64,
    })
}

/// `(published_at, id)`, highest first: the lists' order, as Postgres had it (`ORDER BY
/// published_at DESC, id DESC`). The id comes from its fast field, so no stored document
/// is read.
fn newest_first(segment: &SegmentReader) -> impl Fn(DocId, Score) -> (i64, i64) + 'static {
    let fast = segment.fast_fields();
    let published = fast.i64("published_at").ok();
    let id = fast.i64("id").ok();
    move |doc, _| {
        let value = |column: &Option<tantivy::columnar::Column<i64>>| {
            column.as_ref().and_then(|c| c.first(doc))
        };
        (
            value(&published).unwrap_or(i64::MIN),
            value(&id).unwrap_or(0),
        )
    }
}
