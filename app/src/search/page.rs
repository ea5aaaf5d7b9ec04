use super::{run_search, DocumentKind, Fragment, SearchHit, SearchQuery, SearchResults, SortOrder};
use crate::components::CodeSelect;
use crate::domain::{Industry, Location, OrganisationKind, ProjectStage, Sector};
use crate::errors::ErrorNotice;
use crate::i18n::{use_locale, use_messages, Locale};
use crate::listing::{CheckboxFilter, ListSummary, Pager};
use crate::url::encode_query_value;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// `/search`: one box for everything published. A plain GET form, so the URL holds the
/// whole search and it works without JavaScript.
#[component]
pub fn SearchPage() -> impl IntoView {
    let t = use_messages();
    let params = use_query_map();
    let query = Memo::new(move |_| SearchQuery::from_query(&*params.read()));
    let results = Resource::new(
        move || query.get(),
        |query| async move { run_search(query?).await },
    );
    view! {
        <Title text=move || t.get().search_title />
        <Meta name="description" content=move || t.get().search_description />
        <h1>{move || t.get().search_title}</h1>
        {move || query.get().ok().map(|query| view! { <SearchForm query /> })}
        <Suspense fallback=move || view! { <p>{move || t.get().loading}</p> }>
            {move || Suspend::new(async move {
                let current = query.get_untracked().unwrap_or_default();
                match results.await {
                    Ok(results) => view! { <Results results query=current /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SearchForm(query: SearchQuery) -> impl IntoView {
    let t = use_messages();
    view! {
        <form class="filters search-form" method="get" action="/search" role="search">
            <div class="field field-wide">
                <label for="search-q">{move || t.get().search_label}</label>
                <input id="search-q" type="search" name="q" value=query.q.clone() maxlength="200" />
            </div>
            <CodeSelect name="kind" label=Signal::derive(move || t.get().search_kind) selected=query.kind />
            <CodeSelect name="location" label=Signal::derive(move || t.get().location) selected=query.location />
            <CodeSelect name="stage" label=Signal::derive(move || t.get().stage) selected=query.stage />
            {query.category.clone().map(|category| view! { <input type="hidden" name="category" value=category /> })}
            <div class="field">
                <label for="search-sort">{move || t.get().sort_by}</label>
                <select id="search-sort" name="sort">
                    {[SortOrder::Relevance, SortOrder::Newest, SortOrder::ClosingSoon]
                        .into_iter()
                        .map(|sort| view! {
                            <option value=sort.code() selected=query.sort == sort>
                                {move || sort_label(sort, t.get())}
                            </option>
                        })
                        .collect_view()}
                </select>
            </div>
            <CheckboxFilter name="eligible" label=Signal::derive(move || t.get().eligible) checked=query.eligible />
            <CheckboxFilter
                name="first_purchased"
                label=Signal::derive(move || t.get().first_purchased)
                checked=query.first_purchased
            />
            <button type="submit">{move || t.get().search_button}</button>
        </form>
    }
}

fn sort_label(sort: SortOrder, m: &crate::i18n::Messages) -> &'static str {
    match sort {
        SortOrder::Relevance => m.sort_relevance,
        SortOrder::Newest => m.sort_newest,
        SortOrder::ClosingSoon => m.sort_closing_soon,
    }
}

/// The name of a category code in the reader's language (sector, industry or kind).
fn category_label(code: &str, locale: Locale) -> String {
    Sector::from_code(code)
        .map(|s| s.label(locale))
        .or_else(|| Industry::from_code(code).map(|i| i.label(locale)))
        .or_else(|| OrganisationKind::from_code(code).map(|k| k.label(locale)))
        .unwrap_or(code)
        .to_owned()
}

#[component]
fn Results(results: SearchResults, query: SearchQuery) -> impl IntoView {
    let t = use_messages();
    let total_pages = ((results.total.max(0) as u32).div_ceil(super::query::HITS_PER_PAGE))
        .clamp(1, crate::listing::MAX_PAGE);
    let empty = results.hits.is_empty();
    view! {
        <div class="search-layout">
            <FacetPanel results=results.clone() query=query.clone() />
            <section class="search-results" aria-labelledby="results-heading">
                <h2 id="results-heading" class="sr-only">{move || t.get().search_results}</h2>
                <ListSummary total=results.total />
                {empty.then(|| view! { <p data-testid="search-empty-hint">{move || t.get().search_empty_hint}</p> })}
                <ol class="cards" data-testid="search-results">
                    {results.hits.into_iter().map(|hit| view! { <HitCard hit /> }).collect_view()}
                </ol>
                <Pager path="/search" query=query.query_pairs() page=results.page total_pages />
            </section>
        </div>
    }
}

#[component]
fn HitCard(hit: SearchHit) -> impl IntoView {
    let locale = use_locale();
    let t = use_messages();
    let kind = hit.kind;
    let category = hit.category.clone();
    let location = hit.location.clone();
    view! {
        <li class="card" data-testid="search-hit" data-kind=kind.code()>
            <h3 class="card-title">
                <a href=hit.url>
                    <Marked fragments=hit.title />
                </a>
            </h3>
            <p class="card-meta">
                {move || {
                    let mut parts = vec![kind.label(locale.get()).to_owned()];
                    parts.extend(hit.organisation_name.clone());
                    parts.extend(category.as_deref().map(|c| category_label(c, locale.get())));
                    parts.extend(location.as_deref().and_then(Location::from_code).map(|l| l.label(locale.get()).to_owned()));
                    parts.join(" · ")
                }}
            </p>
            <p class="snippet"><Marked fragments=hit.snippet /></p>
            <p class="badges">
                {(kind == DocumentKind::Product && hit.eligible).then(|| view! {
                    <span class="badge badge-positive">{move || t.get().eligible}</span>
                })}
                {hit.first_purchased.then(|| view! {
                    <span class="badge badge-positive">{move || t.get().first_purchased}</span>
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

/// Facets with counts, as links that add (or remove) one filter and keep the rest.
#[component]
fn FacetPanel(results: SearchResults, query: SearchQuery) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let link = move |name: &'static str, value: Option<String>| {
        let pairs: Vec<String> = query
            .query_pairs()
            .into_iter()
            .map(|(key, current)| {
                if key == name {
                    (key, value.clone().unwrap_or_default())
                } else {
                    (key, current)
                }
            })
            .filter(|(_, value)| !value.is_empty())
            .map(|(key, value)| format!("{key}={}", encode_query_value(&value)))
            .collect();
        format!("/search?{}", pairs.join("&"))
    };
    let group = move |name: &'static str,
                      heading: &'static str,
                      counts: Vec<super::FacetCount>,
                      label: fn(&str, Locale) -> String| {
        let link = link.clone();
        view! {
            <section class="facet" data-facet=name>
                <h3>{heading}</h3>
                <ul>
                    {counts
                        .into_iter()
                        .map(|facet| {
                            let href = link(name, Some(facet.value.clone()));
                            let value = facet.value.clone();
                            view! {
                                <li>
                                    <a href=href>{move || label(&value, locale.get())}</a>
                                    " "
                                    <span class="facet-count">{facet.count}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    };
    let m = t.get_untracked();
    view! {
        <aside class="facets" aria-label=move || t.get().search_facets>
            {group("kind", m.search_kind, results.facets.kind, |code, l| DocumentKind::from_code(code).map(|k| k.label(l)).unwrap_or(code).to_owned())}
            {group("category", m.sector, results.facets.category, category_label)}
            {group("location", m.location, results.facets.location, |code, l| Location::from_code(code).map(|x| x.label(l)).unwrap_or(code).to_owned())}
            {group("stage", m.stage, results.facets.stage, |code, l| ProjectStage::from_code(code).map(|s| s.label(l)).unwrap_or(code).to_owned())}
            <p class="facet-flags">
                {format!("{}: {}", m.eligible, results.facets.eligible)}
                <br />
                {format!("{}: {}", m.first_purchased, results.facets.first_purchased)}
            </p>
        </aside>
    }
}
