//! The document head of a record's page: its title and description, Open Graph tags
//! (<https://ogp.me/>) for link previews in chat apps and social sites, and schema.org
//! structured data as JSON-LD (<https://schema.org/>, JSON-LD 1.1) for search engines.

use crate::components::PageTitle;
use crate::i18n::{use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::{Meta, Script};
use serde_json::{json, Value};

/// `<title>`, `<meta name="description">`, `og:*` and one
/// `<script type="application/ld+json">` of a record's page. `data` is the schema.org
/// object without `@context` and `url`, which are added here (the page's address on
/// `PUBLIC_URL`, without its query).
#[component]
pub fn RecordHead(title: String, description: String, data: Value) -> impl IntoView {
    let locale = use_locale();
    let url = page_url();
    let mut data = data;
    if let Value::Object(fields) = &mut data {
        fields.insert("@context".to_owned(), json!("https://schema.org"));
        if let Some(url) = &url {
            fields.insert("url".to_owned(), json!(url));
        }
    }
    let og_locale = match locale {
        Locale::ZhCn => "zh_CN",
        Locale::En => "en_US",
    };
    view! {
        <PageTitle text=title.clone() />
        <Meta name="description" content=description.clone() />
        <Meta property="og:type" content="website" />
        <Meta property="og:title" content=title />
        <Meta property="og:description" content=description />
        <Meta property="og:site_name" content=locale.messages().site_name />
        <Meta property="og:locale" content=og_locale />
        {url.map(|url| view! { <Meta property="og:url" content=url /> })}
        <Script type_="application/ld+json">{script_text(&data)}</Script>
    }
}

/// `data` as the text of a `<script>` element: JSON with every `<` written `\u003c`, so
/// no text in it (a product named `</script>`) can end the element early (HTML Living
/// Standard §4.12.1.3, restrictions for contents of script elements).
pub fn script_text(data: &Value) -> String {
    data.to_string().replace('<', "\\u003c")
}

/// The address of this page, without its query, on the site's public origin.
#[cfg(feature = "ssr")]
fn page_url() -> Option<String> {
    let state = use_context::<crate::state::AppState>()?;
    let parts = use_context::<http::request::Parts>()?;
    Some(state.site.url(parts.uri.path()))
}

#[cfg(not(feature = "ssr"))]
fn page_url() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::script_text;
    use serde_json::json;

    #[test]
    fn no_text_can_close_the_script_element() {
        let text = script_text(&json!({"name": "</script><script>alert(1)</script>"}));
        assert!(!text.contains('<'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script>");
    }
}
