//! The document's `<title>`, escaped.
//!
//! `leptos_meta` 0.8 writes a `<Title>`'s text into the server's HTML as it is, so a
//! record named `</title><script>…` would end the element and write markup of its own
//! into every page that shows the name. Every page names its title through
//! [`PageTitle`], never `leptos_meta::Title` directly (clippy's `disallowed-methods`,
//! `clippy.toml`, refuses it).

use leptos::prelude::*;
use leptos::text_prop::TextProp;

/// `<title>` of a page: `text` (a plain value or a closure) with `&` and `<` written as
/// character references on the server, so no text can end the element (HTML Living
/// Standard §13.1.2.6, restrictions on the contents of escapable raw text elements).
#[component]
#[allow(clippy::disallowed_methods)] // The one place that may use it: its text is escaped.
pub fn PageTitle(#[prop(into)] text: TextProp) -> impl IntoView {
    let escaped = move || escape(text.get());
    view! { <leptos_meta::Title text=escaped /> }
}

/// On the server, `text` as the content of an escapable raw text element. In the
/// browser (an island) the title is set through `document.title`, which takes text as it
/// is.
fn escape(text: leptos::oco::Oco<'static, str>) -> String {
    if cfg!(feature = "ssr") {
        html_escape::encode_text(text.as_str()).into_owned()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(feature = "ssr")]
    fn text_cannot_end_the_title_element() {
        let escaped = super::escape("A</title><script>x</script>&".into());
        assert_eq!(
            escaped,
            "A&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;&amp;"
        );
    }
}
