//! The document head of a page: its title and description in the reader's language.

use crate::components::PageTitle;
use crate::i18n::{head_text, Messages};
use leptos::prelude::*;
use leptos_meta::Meta;

/// `<title>` and `<meta name="description">` of a page, from its messages. The head is
/// rendered after the body, when the page's reactive owner may be gone, so the text is a
/// plain value taken when the page rendered ([`crate::i18n::head_text`]), never a signal.
#[component]
pub fn PageHead(
    title: fn(&Messages) -> &'static str,
    #[prop(optional)] description: Option<fn(&Messages) -> &'static str>,
) -> impl IntoView {
    let title = head_text(title);
    let description = description.map(|pick| {
        let text = head_text(pick);
        view! { <Meta name="description" content=move || text() /> }
    });
    view! {
        <PageTitle text=move || title() />
        {description}
    }
}
