use crate::components::PageHead;
use crate::error::set_page_status;
use crate::i18n::use_messages;
use leptos::prelude::*;
use leptos_router::components::A;

/// The page for unknown paths and for records the reader may not see: both answer 404.
#[component]
pub fn NotFound() -> impl IntoView {
    set_page_status(404);
    let t = use_messages();
    view! {
        <PageHead title=|m| m.not_found_title />
        <section class="error-page" data-testid="not-found">
            <h1>{t.not_found_title}</h1>
            <p>{t.not_found_text}</p>
            <p>
                <A href="/">{t.back_home}</A>
            </p>
        </section>
    }
}
