//! Languages: Chinese (zh-CN) first, English second.
//!
//! The choice lives in the `lang` cookie so the server renders the same language the
//! browser will hydrate; without JavaScript the switch is a plain link to `/lang/{tag}`.

mod en;
mod messages;
mod switch;
mod zh_cn;

use leptos::prelude::*;
pub use messages::Messages;
pub use switch::LanguageSwitch;

/// Name of the cookie that remembers the reader's language.
pub const LANG_COOKIE: &str = "lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    ZhCn,
    En,
}

impl Locale {
    /// The BCP 47 tag used in `<html lang>`, the cookie and the switch URL.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Locale> {
        match tag {
            "zh-CN" => Some(Locale::ZhCn),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The language a reader switches to from this one.
    pub fn other(self) -> Locale {
        match self {
            Locale::ZhCn => Locale::En,
            Locale::En => Locale::ZhCn,
        }
    }

    pub fn messages(self) -> &'static Messages {
        match self {
            Locale::ZhCn => &zh_cn::ZH_CN,
            Locale::En => &en::EN,
        }
    }

    /// Reads the locale from a `Cookie` header value; anything unknown means the default.
    pub fn from_cookie_header(header: &str) -> Locale {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LANG_COOKIE)
            .and_then(|(_, value)| Locale::from_tag(value.trim()))
            .unwrap_or_default()
    }
}

/// The reader's language as a signal, provided once by the app shell.
pub fn use_locale() -> RwSignal<Locale> {
    expect_context::<RwSignal<Locale>>()
}

/// The same language signal, reference-counted rather than owned by the page's reactive
/// owner. Leptos reads the document head (`<title>`, `<meta>`, `<html lang>`) after the
/// body has rendered, when the page's owner may already be disposed: a closure there that
/// read an owned signal panicked under load ("Tried to access a reactive value that has
/// already been disposed") and dropped the connection. Text for the head reads this one.
#[derive(Clone)]
pub struct HeadLocale(pub ArcRwSignal<Locale>);

/// Provides the reader's language (both handles) for the whole app; called once.
pub fn provide_locale(initial: Locale) -> RwSignal<Locale> {
    let shared = ArcRwSignal::new(initial);
    provide_context(HeadLocale(shared.clone()));
    let locale = RwSignal::from(shared);
    provide_context(locale);
    locale
}

/// A message for the document head, in the reader's language, safe to read after the
/// page's owner is gone (see [`HeadLocale`]).
pub fn head_text(
    pick: fn(&Messages) -> &'static str,
) -> impl Fn() -> &'static str + Send + Sync + Clone + 'static {
    let HeadLocale(locale) = expect_context::<HeadLocale>();
    move || pick(locale.get().messages())
}

/// The messages of the reader's current language, tracked reactively.
pub fn use_messages() -> Signal<&'static Messages> {
    let locale = use_locale();
    Signal::derive(move || locale.get().messages())
}

/// The language this request is rendered in: from the cookie on the server, and from the
/// same cookie in the browser so hydration matches what the server sent.
pub fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::COOKIE)
                    .and_then(|value| value.to_str().ok())
                    .map(Locale::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        browser_cookie()
            .map(|cookies| Locale::from_cookie_header(&cookies))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Locale::default()
    }
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn browser_cookie() -> Option<String> {
    use wasm_bindgen::JsCast;
    let document = web_sys::window()?.document()?;
    document
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()?
        .cookie()
        .ok()
}

/// The `Set-Cookie` value that remembers a language for a year; `Secure` when the site is
/// served over https (`PUBLIC_URL` on the server, the page's own address in the browser).
pub fn cookie_value(locale: Locale, secure: bool) -> String {
    format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        locale.tag(),
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_unknown_cookie_means_chinese() {
        assert_eq!(Locale::from_cookie_header(""), Locale::ZhCn);
        assert_eq!(Locale::from_cookie_header("lang=fr"), Locale::ZhCn);
        assert_eq!(Locale::from_cookie_header("xlang=en"), Locale::ZhCn);
    }

    #[test]
    fn the_lang_cookie_is_found_among_others() {
        assert_eq!(Locale::from_cookie_header("a=1; lang=en; b=2"), Locale::En);
        assert_eq!(Locale::from_cookie_header("lang=zh-CN"), Locale::ZhCn);
    }

    #[test]
    fn tags_round_trip() {
        for locale in [Locale::ZhCn, Locale::En] {
            assert_eq!(Locale::from_tag(locale.tag()), Some(locale));
            assert_eq!(locale.other().other(), locale);
        }
    }

    #[test]
    fn both_languages_fill_every_message() {
        for locale in [Locale::ZhCn, Locale::En] {
            let m = locale.messages();
            for text in [m.site_name, m.home_title, m.home_lead, m.not_found_title] {
                assert!(!text.trim().is_empty());
            }
        }
    }
}
