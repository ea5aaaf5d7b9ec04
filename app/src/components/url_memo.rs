//! What a page derives from its URL.

use leptos::prelude::*;

/// A value a page derives from its URL (the query string, a path parameter) through the
/// router's signals, as a memo its resources follow. In the browser it follows the URL.
/// On the server, where a page renders once, it is read once and depends on nothing.
///
/// Why: a resource's background task may wake after the response, while the request's
/// reactive owner, and the router's signals with it, is being disposed. A memo that
/// tracked those signals was then recomputed, read a disposed value and panicked ("Tried
/// to access a reactive value that has already been disposed"), a few times a second
/// under load. A memo that tracks nothing is never recomputed.
pub fn url_memo<T>(derive: impl Fn() -> T + Send + Sync + 'static) -> Memo<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    #[cfg(feature = "ssr")]
    {
        let now = untrack(&derive);
        Memo::new(move |_| now.clone())
    }
    #[cfg(not(feature = "ssr"))]
    {
        Memo::new(move |_| derive())
    }
}
