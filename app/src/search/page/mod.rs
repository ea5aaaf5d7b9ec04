//! `/search`: one box for everything published. Without JavaScript it is a plain GET
//! form, so the URL always holds the whole search and it can be shared or bookmarked.
//! Once hydrated, results follow the typing (debounced), the previous results stay on
//! screen until the new ones arrive, and a request made stale by newer typing is dropped
//! (the browser aborts it).

mod facets;
mod form;
mod results;

use super::{run_search, SearchQuery};
use crate::components::PageHead;
use crate::error::AppError;
use crate::errors::ErrorNotice;
use crate::i18n::use_messages;
use facets::FacetPanel;
use form::SearchForm;
use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use results::Results;

#[component]
pub fn SearchPage() -> impl IntoView {
    let t = use_messages();
    let params = use_query_map();
    let query = crate::components::url_memo(move || SearchQuery::from_query(&*params.read()));
    // A search still in flight when the URL moves on is aborted: its future is dropped,
    // and with it the browser's request (the server-function client aborts a request it
    // drops). The resource itself would only discard the stale answer after it arrived.
    let in_flight = StoredValue::new(None::<(Result<SearchQuery, AppError>, AbortHandle)>);
    let results = Resource::new(
        move || query.get(),
        move |query| {
            let (handle, registration) = AbortHandle::new_pair();
            in_flight.set_value(Some((query.clone(), handle)));
            async move {
                let search = async move { run_search(query?).await };
                Abortable::new(search, registration)
                    .await
                    .unwrap_or(Err(AppError::Unavailable))
            }
        },
    );
    Effect::new(move |_| {
        let current = query.get();
        in_flight.with_value(|in_flight| {
            if let Some((for_query, handle)) = in_flight {
                if *for_query != current {
                    handle.abort();
                }
            }
        });
    });
    let pending = RwSignal::new(false);
    let fallback = move || view! { <p>{move || t.get().loading}</p> };
    let shown = move || {
        Suspend::new(async move {
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
        })
    };
    // "Updating…" is for the browser, where a search runs while the previous results stay.
    // On the server the page renders once: `set_pending` there would leave an effect
    // (Leptos runs it on the server too) that wakes after the request and reads the
    // disposed page ("Tried to access a reactive value that has already been disposed").
    #[cfg(feature = "ssr")]
    let results_view = view! { <Transition fallback>{shown}</Transition> };
    #[cfg(not(feature = "ssr"))]
    let results_view = view! {
        <Transition fallback set_pending=pending.write_only()>{shown}</Transition>
    };
    view! {
        <PageHead title=|m| m.search_title description=|m| m.search_description />
        <h1>{move || t.get().search_title}</h1>
        <SearchForm query results />
        <p class="search-pending" aria-live="polite" data-testid="search-pending">
            {move || pending.get().then(|| t.get().search_updating)}
        </p>
        {results_view}
    }
}
