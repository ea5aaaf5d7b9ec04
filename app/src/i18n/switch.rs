//! The language switch: a real link without JavaScript, an instant switch after hydration.

use super::{use_locale, Locale};
use crate::url::encode_query_value;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Shows the other language's own name. Without JavaScript the link goes through
/// `/lang/{tag}`, which sets the cookie and redirects back; once hydrated, a click switches
/// in place and stores the same cookie.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    let location = use_location();
    let target = move || locale.get().other();
    let href = move || {
        // The router gives the query with its `?` on the server and without it after a
        // client-side navigation; either way the link must come back to the same page.
        let search = location.search.get();
        let here = match search.trim_start_matches('?') {
            "" => location.pathname.get(),
            query => format!("{}?{query}", location.pathname.get()),
        };
        format!(
            "/lang/{}?next={}",
            target().tag(),
            encode_query_value(&here)
        )
    };
    let on_click = move |event: leptos::ev::MouseEvent| {
        // Let modified clicks (new tab, new window) follow the link as usual.
        if event.ctrl_key() || event.meta_key() || event.shift_key() || event.button() != 0 {
            return;
        }
        event.prevent_default();
        let next = target();
        store_locale(next);
        locale.set(next);
    };
    view! {
        <a
            class="language-switch"
            href=href
            hreflang=move || target().tag()
            lang=move || target().tag()
            data-testid="language-switch"
            on:click=on_click
        >
            {move || native_name(target())}
        </a>
    }
}

fn native_name(locale: Locale) -> &'static str {
    match locale {
        Locale::ZhCn => "中文",
        Locale::En => "English",
    }
}

#[cfg(feature = "hydrate")]
fn store_locale(locale: Locale) {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    // As the server does for an https PUBLIC_URL: the page's own scheme says it here.
    let secure = window
        .location()
        .protocol()
        .is_ok_and(|protocol| protocol == "https:");
    let document = window
        .document()
        .and_then(|document| document.dyn_into::<web_sys::HtmlDocument>().ok());
    if let Some(document) = document {
        let _ = document.set_cookie(&super::cookie_value(locale, secure));
    }
}

#[cfg(not(feature = "hydrate"))]
fn store_locale(_locale: Locale) {}
