//! The embedded search: PostgreSQL full-text search over `search_documents`, with the
//! query segmented in Rust exactly as the documents were.

use super::highlight::{highlight, snippet};
use super::query::HITS_PER_PAGE;
use super::segment::words;
use super::{DocumentKind, FacetCount, Facets, SearchHit, SearchQuery, SearchResults, SortOrder};
use sqlx::{FromRow, PgPool};

/// The tsquery of the query's words: any word may match (ranking puts documents that
/// match more, and in the title, first); Latin words also match as prefixes. Words keep
/// only letters, digits, `-` and `.`, so the text can never be tsquery syntax.
pub fn tsquery(words: &[String]) -> Option<String> {
    let terms: Vec<String> = words
        .iter()
        .map(|word| {
            word.chars()
                .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '.')
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .map(|word| {
            if word.is_ascii() {
                format!("'{word}':*")
            } else {
                format!("'{word}'")
            }
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" | "))
}

/// The WHERE clause every part of a search shares; `$1`…`$7` are bound in `bind_filters`.
const FILTERS: &str = "($1::text IS NULL OR tokens @@ to_tsquery('simple', $1))
    AND ($2::text IS NULL OR kind = $2::subject_kind)
    AND ($3::text IS NULL OR category = $3)
    AND ($4::text IS NULL OR location = $4)
    AND ($5::text IS NULL OR stage = $5)
    AND (NOT $6 OR eligible)
    AND (NOT $7 OR first_purchased)";

#[derive(FromRow)]
struct HitRow {
    kind: DocumentKind,
    id: i64,
    title: String,
    body: String,
    organisation_name: Option<String>,
    category: Option<String>,
    location: Option<String>,
    eligible: bool,
    first_purchased: bool,
    open_until: Option<chrono::NaiveDate>,
}

pub async fn search(pool: &PgPool, query: &SearchQuery) -> Result<SearchResults, sqlx::Error> {
    let words = words(&query.q);
    let tsquery = tsquery(&words);
    let filters = (
        tsquery.clone(),
        query.kind.map(|k| k.code()),
        query.category.clone(),
        query.location.map(|l| l.code()),
        query.stage.map(|s| s.code()),
        query.eligible,
        query.first_purchased,
    );
    macro_rules! bind_filters {
        ($q:expr) => {
            $q.bind(filters.0.clone())
                .bind(filters.1)
                .bind(filters.2.clone())
                .bind(filters.3)
                .bind(filters.4)
                .bind(filters.5)
                .bind(filters.6)
        };
    }

    // Ties are broken by an order that is random but stable for a day, seeded by the
    // record and the date: no paid placement, and no advantage for early registrants.
    let fair = "md5(kind::text || id::text || current_date::text)";
    let order = match (query.sort, tsquery.is_some()) {
        (SortOrder::Relevance, true) => format!(
            "ts_rank_cd('{{0.1, 0.2, 0.4, 1.0}}', tokens, to_tsquery('simple', $1)) DESC, {fair}"
        ),
        (SortOrder::ClosingSoon, _) => {
            format!("(open_until IS NULL OR open_until < current_date), open_until, {fair}")
        }
        _ => format!("published_at DESC NULLS LAST, {fair}"),
    };
    let rows: Vec<HitRow> = bind_filters!(sqlx::query_as(&format!(
        "SELECT kind, id, title, body, organisation_name, category, location, eligible,
                first_purchased, open_until
         FROM search_documents WHERE {FILTERS}
         ORDER BY {order} LIMIT $8 OFFSET $9"
    )))
    .bind(i64::from(HITS_PER_PAGE))
    .bind(i64::from(query.page.saturating_sub(1)) * i64::from(HITS_PER_PAGE))
    .fetch_all(pool)
    .await?;

    let facet_rows: Vec<(String, Option<String>, i64)> = bind_filters!(sqlx::query_as(&format!(
        "WITH matched AS (SELECT kind, category, location, stage, eligible, first_purchased
                          FROM search_documents WHERE {FILTERS})
         SELECT 'kind', kind::text, count(*) FROM matched GROUP BY kind
         UNION ALL SELECT 'category', category, count(*) FROM matched
                   WHERE category IS NOT NULL GROUP BY category
         UNION ALL SELECT 'location', location, count(*) FROM matched
                   WHERE location IS NOT NULL GROUP BY location
         UNION ALL SELECT 'stage', stage, count(*) FROM matched
                   WHERE stage IS NOT NULL GROUP BY stage
         UNION ALL SELECT 'eligible', NULL, count(*) FILTER (WHERE eligible) FROM matched
         UNION ALL SELECT 'first_purchased', NULL, count(*) FILTER (WHERE first_purchased)
                   FROM matched"
    )))
    .fetch_all(pool)
    .await?;

    let mut facets = Facets::default();
    let mut total = 0;
    for (facet, value, count) in facet_rows {
        let entry = |value: Option<String>| FacetCount {
            value: value.unwrap_or_default(),
            count,
        };
        match facet.as_str() {
            "kind" => {
                total += count;
                facets.kind.push(entry(value));
            }
            "category" => facets.category.push(entry(value)),
            "location" => facets.location.push(entry(value)),
            "stage" => facets.stage.push(entry(value)),
            "eligible" => facets.eligible = count,
            _ => facets.first_purchased = count,
        }
    }
    for list in [
        &mut facets.kind,
        &mut facets.category,
        &mut facets.location,
        &mut facets.stage,
    ] {
        list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    }

    let hits = rows
        .into_iter()
        .map(|row| SearchHit {
            kind: row.kind,
            id: row.id,
            url: row.kind.path(row.id),
            title: highlight(&row.title, &words),
            snippet: highlight(&snippet(&row.body, &words, 80), &words),
            organisation_name: row.organisation_name,
            category: row.category,
            location: row.location,
            eligible: row.eligible,
            first_purchased: row.first_purchased,
            open_until: row.open_until,
        })
        .collect();
    Ok(SearchResults {
        hits,
        total,
        page: query.page,
        facets,
    })
}

#[cfg(test)]
mod tests {
    use super::tsquery;

    #[test]
    fn the_tsquery_is_built_from_clean_words_only() {
        let words: Vec<String> = ["机器人", "vision", "a'b", "x|y", "(", "o'r"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let query = tsquery(&words).unwrap();
        assert_eq!(query, "'机器人' | 'vision':* | 'ab':* | 'xy':* | 'or':*");
        assert_eq!(tsquery(&[]), None);
        assert_eq!(tsquery(&["!!".to_owned()]), None);
    }
}
