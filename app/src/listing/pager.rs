use crate::i18n::use_messages;
use leptos::prelude::*;

/// Previous/next links and "page N of M", keeping the rest of the query string.
#[component]
pub fn Pager(
    /// The list's path, e.g. `/products`.
    path: &'static str,
    /// The filters as query pairs, without `page`.
    query: Vec<(&'static str, String)>,
    page: u32,
    total_pages: u32,
) -> impl IntoView {
    let t = use_messages();
    let href = move |target: u32| {
        let mut pairs: Vec<String> = query
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| format!("{name}={}", crate::url::encode_query_value(value)))
            .collect();
        if target > 1 {
            pairs.push(format!("page={target}"));
        }
        if pairs.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", pairs.join("&"))
        }
    };
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < total_pages).then(|| href(page + 1));
    view! {
        <nav class="pager" aria-label=t.pagination>
            {previous.map(|href| view! { <a href=href rel="prev">{t.previous_page}</a> })}
            <span class="pager-position">
                {t.page_of.replace("{page}", &page.to_string()).replace("{pages}", &total_pages.to_string())}
            </span>
            {next.map(|href| view! { <a href=href rel="next">{t.next_page}</a> })}
        </nav>
    }
}
