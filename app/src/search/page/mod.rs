//! `/search`: one box for everything published. Without JavaScript it is a plain GET
//! form, so the URL always holds the whole search and it can be shared or bookmarked.
//!
//! The form and the results are one island ([`LiveSearch`]), the only part of the page
//! that runs in the browser. Once hydrated, results follow the typing (debounced), the
//! previous results stay on screen until the new ones arrive, a request made stale by
//! newer typing is dropped (the browser aborts it), and facet and pager links change the
//! results in place; the address bar follows every change ([`address::Address`]).

mod address;
mod facets;
mod form;
mod results;

use super::{run_search, SearchQuery};
use crate::components::PageHead;
use crate::error::AppError;
use crate::errors::ErrorNotice;
use crate::i18n::{provide_locale, use_locale, use_messages, Locale};
use address::Address;
use facets::FacetPanel;
use form::SearchForm;
use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use results::Results;

/// The page around the island: its head and heading, rendered on the server only.
#[component]
pub fn SearchPage() -> impl IntoView {
    let t = use_messages();
    let params = crate::components::request_query();
    let locale = use_locale();
    view! {
        <PageHead title=|m| m.search_title description=|m| m.search_description />
        <h1>{t.search_title}</h1>
        <LiveSearch params locale />
    }
}

/// The search form, the "updating" line, the facets and the hits.
///
/// Props cross to the browser as JSON in the island's `data-props`: the query string's
/// decoded pairs (the last value of a repeated name counts, as on the server) and the
/// language the server rendered, so the island hydrates exactly what was sent.
#[island]
fn LiveSearch(params: Vec<(String, String)>, locale: Locale) -> impl IntoView {
    provide_locale(locale);
    let t = use_messages();
    let address = Address::new(params);
    let query = crate::components::url_memo(move || address.with(SearchQuery::from_query));
    // A search still in flight when the address moves on is aborted: its future is
    // dropped, and with it the browser's request (the server-function client aborts a
    // request it drops). The resource itself would only discard the stale answer after it
    // arrived.
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
    let fallback = move || view! { <p>{t.loading}</p> };
    let shown = move || {
        Suspend::new(async move {
            let current = query.get_untracked().unwrap_or_default();
            match results.await {
                Ok(results) => view! {
                    <div class="search-layout">
                        <Results results=results.clone() query=current.clone() />
                        <FacetPanel results query=current />
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
        <SearchForm query results address />
        <p class="search-pending" aria-live="polite" data-testid="search-pending">
            {move || pending.get().then_some(t.search_updating)}
        </p>
        // Facet, pager and "drop this filter" links stay on this page: followed in place.
        <div
            class="search-body"
            id=address::RESULTS_ID
            tabindex="-1"
            on:click=move |ev| address.follow_link(ev)
        >
            {results_view}
        </div>
    }
}
