//! The page's query string, read from the request.

/// The decoded pairs of the request's query string, in order (a repeated name's last value
/// counts when read through `QueryParams`). Pages render on the server, which reads the
/// request's own URI: the router's query map decodes values a second time (leptos_router
/// 0.8, leptos-rs/leptos#4731), so `?q=%2541` would have searched for `A` instead of `%41`.
pub fn request_query() -> Vec<(String, String)> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.uri.query().map(crate::url::query_pairs))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Vec::new()
    }
}
