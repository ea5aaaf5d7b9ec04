//! `GET /feeds/search.atom?…`: the newest results of a search, with the search page's
//! parameters (so any search URL has its feed: `/search?q=机器人&kind=product` →
//! `/feeds/search.atom?q=机器人&kind=product`). Sorted by publication whatever the
//! search's own order; this deployment's records only (a partner's hits have no time of
//! change here).

use super::{answer, feed, shortened, title_of, Item};
use app::error::AppError;
use app::search::{DocumentKind, SearchBackend, SearchQuery, SortOrder};
use app::state::Site;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use std::collections::HashMap;

pub async fn search(
    State(search): State<SearchBackend>,
    State(pool): State<PgPool>,
    State(site): State<Site>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    answer(search_feed(&search, &pool, &site, &params).await)
}

/// The feed of the search `params`. Errors: an invalid parameter (named), search or the
/// database unavailable.
async fn search_feed(
    search: &SearchBackend,
    pool: &PgPool,
    site: &Site,
    params: &[(String, String)],
) -> Result<atom_syndication::Feed, AppError> {
    let pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    let mut query = SearchQuery::from_query(&pairs[..])?;
    query.sort = SortOrder::Newest;
    query.page = 1;
    let results = search.run_with_names(pool, &query).await?;
    let hits: Vec<_> = results
        .hits
        .into_iter()
        .filter(|hit| hit.site.is_none())
        .collect();
    let times = times_of(pool, &hits).await?;
    let items = hits
        .into_iter()
        .filter_map(|hit| {
            let (published, updated) = *times.get(&(hit.kind, hit.id))?;
            let text = |fragments: &[app::search::Fragment]| {
                fragments
                    .iter()
                    .map(|fragment| fragment.text.as_str())
                    .collect::<String>()
            };
            Some(Item {
                path: hit.kind.path(hit.id),
                title: text(&hit.title),
                summary: shortened(&text(&hit.snippet), 280),
                author: hit.organisation_name.clone().unwrap_or_default(),
                category: None,
                published,
                updated,
            })
        })
        .collect();
    // The order and the page are the feed's own (empty parameters are left out too).
    let pairs: Vec<_> = query
        .query_pairs()
        .into_iter()
        .filter(|(name, _)| *name != "sort" && *name != "page")
        .collect();
    let query_string = app::url::query_string(&pairs);
    let suffix = if query_string.is_empty() {
        String::new()
    } else {
        format!("?{query_string}")
    };
    let title = if query.q.trim().is_empty() {
        title_of("/feeds/search.atom")
    } else {
        format!("“{}”的最新搜索结果", query.q.trim())
    };
    Ok(feed(
        site,
        &format!("/feeds/search.atom{suffix}"),
        &format!("/search{suffix}"),
        title,
        items,
    ))
}

type Times = HashMap<(DocumentKind, i64), (Option<DateTime<Utc>>, DateTime<Utc>)>;

/// When each hit was published and last changed, from Postgres.
async fn times_of(pool: &PgPool, hits: &[app::search::SearchHit]) -> Result<Times, AppError> {
    let ids = |kind: DocumentKind| -> Vec<i64> {
        hits.iter()
            .filter(|hit| hit.kind == kind)
            .map(|hit| hit.id)
            .collect()
    };
    let rows = sqlx::query!(
        r#"SELECT 'product' AS "kind!", id AS "id!", published_at, updated_at AS "updated_at!"
           FROM products WHERE id = ANY($1)
           UNION ALL
           SELECT 'scenario', id, published_at, updated_at FROM scenarios WHERE id = ANY($2)
           UNION ALL
           SELECT 'project', id, published_at, updated_at FROM projects WHERE id = ANY($3)
           UNION ALL
           SELECT 'organisation', id, verified_at, updated_at FROM organisations
           WHERE id = ANY($4)"#,
        &ids(DocumentKind::Product),
        &ids(DocumentKind::Scenario),
        &ids(DocumentKind::Project),
        &ids(DocumentKind::Organisation),
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let kind = DocumentKind::from_code(&row.kind)?;
            Some(((kind, row.id), (row.published_at, row.updated_at)))
        })
        .collect())
}
