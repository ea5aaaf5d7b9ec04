//! Languages: Chinese (zh-CN) first, English second.
//!
//! The choice lives in the `lang` cookie, which the server reads to render each page; the
//! switch is a plain link to `/lang/{tag}`, which sets it.

mod en;
mod messages;
mod switch;
mod zh_cn;

use leptos::prelude::*;
pub use messages::Messages;
#[cfg(feature = "hydrate")]
pub use switch::point_switch_at;
pub use switch::LanguageSwitch;

/// Name of the cookie that remembers the reader's language.
pub const LANG_COOKIE: &str = "lang";

/// A language of the site. Crosses to the browser as an island prop (`"ZhCn"`, `"En"`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
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

/// The reader's language, provided once per page render (by the app shell, or by an
/// island for its own tree in the browser). It never changes during a render: pages are
/// rendered on the server in the language of the `lang` cookie, and switching language
/// renders the page again, so text is plain text, never a reactive closure.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// Provides the reader's language to everything rendered below; see [`use_locale`].
pub fn provide_locale(locale: Locale) {
    provide_context(locale);
}

/// A message for the document head, in the reader's language. Leptos reads the head
/// (`<title>`, `<meta>`) after the body has rendered, when the page's reactive owner may
/// be gone: the text is a plain value captured here, never a signal (reading a disposed
/// signal there panicked under load).
pub fn head_text(
    pick: fn(&Messages) -> &'static str,
) -> impl Fn() -> &'static str + Send + Sync + Clone + 'static {
    let text = pick(use_locale().messages());
    move || text
}

/// The messages of the reader's language.
pub fn use_messages() -> &'static Messages {
    use_locale().messages()
}

/// The language this request is rendered in, from its `lang` cookie. Pages are rendered
/// on the server only; an island is given the language as a prop, so it hydrates in the
/// language the server rendered.
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
    #[cfg(not(feature = "ssr"))]
    {
        Locale::default()
    }
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
