//! `/search`: one box for everything published. Without JavaScript it is a plain GET
//! form, so the URL always holds the whole search and it can be shared or bookmarked.
//! Once hydrated, results follow the typing (debounced), the previous results stay on
//! screen until the new ones arrive, and a request made stale by newer typing is dropped
//! (the browser aborts it).

mod facets;
mod form;
mod results;

use super::{run_search, SearchQuery};
use crate::errors::ErrorNotice;
use crate::i18n::use_messages;
use facets::FacetPanel;
use form::SearchForm;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;
use results::Results;

#[component]
pub fn SearchPage() -> impl IntoView {
    let t = use_messages();
    let params = use_query_map();
    let query = Memo::new(move |_| SearchQuery::from_query(&*params.read()));
    let results = Resource::new(
        move || query.get(),
        |query| async move { run_search(query?).await },
    );
    let pending = RwSignal::new(false);
    view! {
        <Title text=move || t.get().search_title />
        <Meta name="description" content=move || t.get().search_description />
        <h1>{move || t.get().search_title}</h1>
        <SearchForm query results />
        <p class="search-pending" aria-live="polite" data-testid="search-pending">
            {move || pending.get().then(|| t.get().search_updating)}
        </p>
        <Transition
            fallback=move || view! { <p>{move || t.get().loading}</p> }
            set_pending=pending.write_only()
        >
            {move || Suspend::new(async move {
                let current = query.get_untracked().unwrap_or_default();
                match results.await {
                    Ok(results) => view! {
                        <div class="search-layout">
                            <FacetPanel results=results.clone() query=current.clone() />
                            <Results results query=current />
                        </div>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
