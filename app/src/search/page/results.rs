//! The hits of a search, with the matched words marked.

use crate::domain::Location;
use crate::i18n::{use_locale, use_messages};
use crate::listing::{ListSummary, Pager};
use crate::search::query::{HITS_PER_PAGE, MAX_SEARCH_PAGE};
use crate::search::{DocumentKind, Fragment, SearchHit, SearchQuery, SearchResults};
use leptos::prelude::*;

#[component]
pub fn Results(results: SearchResults, query: SearchQuery) -> impl IntoView {
    let t = use_messages();
    let total_pages = (results.total.max(0) as u32)
        .div_ceil(HITS_PER_PAGE)
        .clamp(1, MAX_SEARCH_PAGE);
    let empty = results.hits.is_empty();
    let unavailable = results.unavailable_sites.join(", ");
    view! {
        <section class="search-results" aria-labelledby="results-heading">
            <h2 id="results-heading" class="sr-only">{t.search_results}</h2>
            {(!unavailable.is_empty()).then(|| view! {
                <p class="status-banner" role="status" data-testid="search-unavailable-sites">
                    {t.search_sites_unavailable.replace("{sites}", &unavailable)}
                </p>
            })}
            <ListSummary total=results.total />
            {(!empty).then(|| view! { <ExportLinks query=query.clone() /> })}
            {empty.then(|| view! {
                <p data-testid="search-empty-hint">{t.search_empty_hint}</p>
                <DropFilters query=query.clone() />
            })}
            <ol class="cards" data-testid="search-results">
                {results.hits.into_iter().map(|hit| view! { <HitCard hit /> }).collect_view()}
            </ol>
            <Pager path="/search" query=query.query_pairs() page=results.page total_pages />
        </section>
    }
}

/// Links that download every page of this search (up to 1,000 hits) as CSV or XLSX,
/// from `/api/v1/search/export`.
#[component]
fn ExportLinks(query: SearchQuery) -> impl IntoView {
    let t = use_messages();
    let pairs = query.query_pairs();
    let search = crate::url::query_string(&pairs);
    view! {
        <p class="export-links" data-testid="search-export">
            <a href=format!("/api/v1/search/export?{search}") download>{t.search_export_csv}</a>
            " · "
            <a href=format!("/api/v1/search/export.xlsx?{search}") download>{t.search_export_xlsx}</a>
        </p>
    }
}

/// With nothing found, one link per active filter that searches again without it.
#[component]
fn DropFilters(query: SearchQuery) -> impl IntoView {
    let t = use_messages();
    let active: Vec<(&'static str, String)> = query
        .query_pairs()
        .into_iter()
        .filter(|(name, value)| !value.is_empty() && !matches!(*name, "q" | "sort"))
        .collect();
    (!active.is_empty()).then(|| {
        view! {
            <ul class="drop-filters" data-testid="search-drop-filters">
                {active
                    .into_iter()
                    .map(|(name, _)| {
                        let href = super::facets::search_link(&query, name, None);
                        view! {
                            <li>
                                <a href=href>
                                    {t.search_drop_filter}
                                    {filter_label(name, t)}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// The name of a search parameter, as the form labels it.
fn filter_label(name: &str, m: &crate::i18n::Messages) -> &'static str {
    match name {
        "kind" => m.search_kind,
        "category" => m.sector,
        "location" => m.location,
        "stage" => m.stage,
        "agency" => m.search_agency,
        "batch" => m.batch,
        "certification" => m.certifications,
        "procurement" => m.procurement_category,
        "amount_min" => m.search_amount_min,
        "amount_max" => m.search_amount_max,
        "closes_from" => m.search_closes_from,
        "closes_to" => m.search_closes_to,
        "eligible" => m.eligible,
        _ => m.first_purchased,
    }
}

#[component]
fn HitCard(hit: SearchHit) -> impl IntoView {
    let locale = use_locale();
    let t = use_messages();
    let kind = hit.kind;
    let category = hit.category.clone();
    let location = hit.location.clone();
    let site = hit.site.clone();
    let meta = {
        let mut parts = vec![kind.label(locale).to_owned()];
        parts.extend(hit.organisation_name.clone());
        parts.extend(
            category
                .as_deref()
                .map(|c| super::facets::category_label(c, locale)),
        );
        parts.extend(
            location
                .as_deref()
                .and_then(Location::from_code)
                .map(|l| l.label(locale).to_owned()),
        );
        parts.join(" · ")
    };
    view! {
        <li class="card" data-testid="search-hit" data-kind=kind.code()>
            <h3 class="card-title">
                <a href=hit.url>
                    <Marked fragments=hit.title />
                </a>
            </h3>
            <p class="card-meta">{meta}</p>
            <p class="snippet"><Marked fragments=hit.snippet /></p>
            <p class="badges">
                {(kind == DocumentKind::Product && hit.eligible).then(|| view! {
                    <span class="badge badge-positive">{t.eligible}</span>
                })}
                {hit.first_purchased.then(|| view! {
                    <span class="badge badge-positive">{t.first_purchased}</span>
                })}
                {site.map(|site| view! {
                    <span class="badge" data-testid="search-hit-site">
                        {t.search_from_site} " " {site.clone()}
                    </span>
                })}
            </p>
        </li>
    }
}

/// Text with the matched words in `<mark>`; every piece is text, never markup.
#[component]
fn Marked(fragments: Vec<Fragment>) -> impl IntoView {
    fragments
        .into_iter()
        .map(|f| {
            if f.hit {
                view! { <mark>{f.text}</mark> }.into_any()
            } else {
                f.text.into_any()
            }
        })
        .collect_view()
}
