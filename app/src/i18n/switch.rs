//! The language switch: a link through `/lang/{tag}`, which stores the choice in the
//! `lang` cookie and sends the reader back to the same page, rendered in that language.

use super::{use_locale, Locale};
use crate::url::encode_query_value;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Shows the other language's own name. A plain link with or without JavaScript: pages are
/// rendered on the server and only their islands run in the browser, so a page changes
/// language by being rendered again (its islands then hydrate in the new language).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let target = use_locale().other();
    let location = use_location();
    let here = {
        let path = location.pathname.get_untracked();
        match location.search.get_untracked().trim_start_matches('?') {
            "" => path,
            query => format!("{path}?{query}"),
        }
    };
    let href = switch_href(target, &here);
    view! {
        <a
            class="language-switch"
            href=href
            hreflang=target.tag()
            lang=target.tag()
            data-testid="language-switch"
        >
            {native_name(target)}
        </a>
    }
}

/// `/lang/{tag}?next={here}`: switches to `target` and comes back to `here` (a path with
/// its query string).
fn switch_href(target: Locale, here: &str) -> String {
    format!("/lang/{}?next={}", target.tag(), encode_query_value(here))
}

/// Points the language switch at `here`. The switch is rendered by the server, outside
/// any island; an island that moves the address bar with the history API (the search
/// island) calls this so that switching language comes back to what the reader sees now.
#[cfg(feature = "hydrate")]
pub fn point_switch_at(here: &str) {
    let Ok(Some(link)) = document().query_selector("a.language-switch") else {
        return;
    };
    let Some(target) = link
        .get_attribute("hreflang")
        .as_deref()
        .and_then(Locale::from_tag)
    else {
        return;
    };
    let _ = link.set_attribute("href", &switch_href(target, here));
}

fn native_name(locale: Locale) -> &'static str {
    match locale {
        Locale::ZhCn => "中文",
        Locale::En => "English",
    }
}
