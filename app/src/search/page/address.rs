//! The search island's address: the query string it shows, kept in step with the
//! browser's address bar and history. The island has no router (only the server renders
//! the page's routes), so it does for `/search?…` what a router would: links and form
//! changes push (or replace) a history entry, and back and forward set the query again.

use leptos::prelude::*;

/// The `id` of the element around the results, where the keyboard focus goes after a
/// link is followed in place (it has `tabindex="-1"`).
pub const RESULTS_ID: &str = "search-body";

/// The decoded query-string pairs of the search being shown, in URL order.
#[derive(Clone, Copy)]
pub struct Address {
    params: RwSignal<Vec<(String, String)>>,
}

impl Address {
    /// Starts at the pairs the server rendered; in the browser, also follows back and
    /// forward (`popstate`).
    pub fn new(initial: Vec<(String, String)>) -> Address {
        let params = RwSignal::new(initial);
        #[cfg(feature = "hydrate")]
        {
            let listener = window_event_listener(leptos::ev::popstate, move |_| {
                if let Some(pairs) = browser::current_pairs() {
                    crate::i18n::point_switch_at(&href(&pairs));
                    params.set(pairs);
                }
            });
            on_cleanup(move || listener.remove());
        }
        Address { params }
    }

    /// Reads the pairs, tracked.
    pub fn with<T>(self, read: impl FnOnce(&[(String, String)]) -> T) -> T {
        self.params.with(|pairs| read(pairs))
    }

    /// Shows the search `pairs` and records it in history: a new entry, or in place of
    /// the current one while the reader is typing (`replace`), so back goes to the search
    /// before, not to every keystroke.
    /// The same search again (the button pressed after typing already searched) replaces
    /// its entry, so back never seems to do nothing.
    #[cfg(feature = "hydrate")]
    pub fn go(self, pairs: Vec<(String, String)>, replace: bool) {
        let replace = replace || self.params.with_untracked(|current| *current == pairs);
        let url = href(&pairs);
        browser::record(&url, replace);
        crate::i18n::point_switch_at(&url);
        self.params.set(pairs);
    }

    /// A click inside the results: a plain click on a link to `/search?…` is followed in
    /// place (scrolled to the top, and the keyboard focus moved to the results, as a new
    /// page would be); any other link, and any modified click (new tab, new window), is
    /// left to the browser.
    pub fn follow_link(self, event: leptos::ev::MouseEvent) {
        #[cfg(feature = "hydrate")]
        if let Some(pairs) = browser::search_link_target(&event) {
            event.prevent_default();
            self.go(pairs, false);
            window().scroll_to_with_x_and_y(0.0, 0.0);
            browser::focus_results();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    }
}

/// `/search?…` with the non-empty pairs, percent-encoded.
#[cfg(any(feature = "hydrate", test))]
pub fn href(pairs: &[(String, String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(name, value)| !name.is_empty() && !value.is_empty())
        .map(|(name, value)| format!("{name}={}", crate::url::encode_query_value(value)))
        .collect();
    if query.is_empty() {
        "/search".to_owned()
    } else {
        format!("/search?{}", query.join("&"))
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    /// The pairs of the address bar's query string.
    pub fn current_pairs() -> Option<Vec<(String, String)>> {
        let search = window().location().search().ok()?;
        let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
        Some(pairs_of(&params))
    }

    pub fn record(url: &str, replace: bool) {
        let Ok(history) = window().history() else {
            return;
        };
        let state = wasm_bindgen::JsValue::NULL;
        let _ = if replace {
            history.replace_state_with_url(&state, "", Some(url))
        } else {
            history.push_state_with_url(&state, "", Some(url))
        };
    }

    /// The pairs of the `/search` link a plain click landed on, if it did.
    pub fn search_link_target(event: &web_sys::MouseEvent) -> Option<Vec<(String, String)>> {
        if event.default_prevented()
            || event.button() != 0
            || event.ctrl_key()
            || event.meta_key()
            || event.shift_key()
            || event.alt_key()
        {
            return None;
        }
        let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
        let link = target.closest("a[href]").ok()??;
        let href = link.get_attribute("href")?;
        let origin = window().location().origin().ok()?;
        let url = web_sys::Url::new_with_base(&href, &origin).ok()?;
        (url.origin() == origin && url.pathname() == "/search")
            .then(|| pairs_of(&url.search_params()))
    }

    /// Moves the keyboard focus to the results (the next Tab starts there, not at the
    /// link that was followed, now far down a page that scrolled to the top).
    pub fn focus_results() {
        let body = document()
            .get_element_by_id(super::RESULTS_ID)
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(body) = body {
            let _ = body.focus();
        }
    }

    fn pairs_of(params: &web_sys::UrlSearchParams) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        let Ok(Some(entries)) = js_sys::try_iter(params) else {
            return pairs;
        };
        for entry in entries.flatten() {
            let entry: js_sys::Array = entry.unchecked_into();
            if let (Some(name), Some(value)) = (entry.get(0).as_string(), entry.get(1).as_string())
            {
                pairs.push((name, value));
            }
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::href;

    #[test]
    fn the_href_keeps_non_empty_pairs_in_order_and_encodes_them() {
        let pairs = vec![
            ("q".to_owned(), "机器人 & co".to_owned()),
            ("kind".to_owned(), String::new()),
            ("eligible".to_owned(), "1".to_owned()),
        ];
        assert_eq!(
            href(&pairs),
            "/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA%20%26%20co&eligible=1"
        );
        assert_eq!(href(&[]), "/search");
    }
}
