use super::{ListSummary, Page, Pager};
use crate::error::AppError;
use crate::errors::ErrorNotice;
use crate::i18n::use_messages;
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

/// The body of every list page: the count, the cards, the pager, or the error (whose
/// status the page then carries: 400 for a bad filter, 503 without a database). A bad
/// filter leaves no form to correct it with, so its notice links to the list unfiltered.
#[component]
pub fn ListResults<T, F>(
    results: Resource<Result<Page<T>, AppError>>,
    /// The list's path, for the pager's links.
    path: &'static str,
    /// The filters as query pairs, for the pager's links.
    query: Signal<Vec<(&'static str, String)>>,
    /// `data-testid` of the list.
    test_id: &'static str,
    card: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T) -> AnyView + Copy + Send + Sync + 'static,
{
    let t = use_messages();
    view! {
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(page) => {
                        let total_pages = page.total_pages();
                        view! {
                            <ListSummary total=page.total />
                            <ol class="cards" data-testid=test_id>
                                {page.items.into_iter().map(card).collect_view()}
                            </ol>
                            <Pager path query=query.get_untracked() page=page.page total_pages />
                        }
                            .into_any()
                    }
                    Err(error) => {
                        let bad_filter = matches!(error, AppError::InvalidParameter { .. });
                        view! {
                            <ErrorNotice error />
                            {bad_filter.then(|| view! {
                                <p><a href=path data-testid="clear-filters">{t.clear_filters}</a></p>
                            })}
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
