use crate::error::{set_page_status, AppError};
use crate::i18n::use_messages;
use leptos::prelude::*;

/// Says, in the reader's language, that a part of the page could not be loaded, and gives
/// the page the matching status code (503 while the database is away, 500 otherwise).
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    set_page_status(error.status_code());
    let t = use_messages();
    let unavailable = matches!(error, AppError::Unavailable);
    view! {
        <p class="error-notice" role="alert" data-testid="error-notice">
            {move || {
                if unavailable { t.get().unavailable_text } else { t.get().internal_error_text }
            }}
        </p>
    }
}
