use super::NotFound;
use crate::components::PageHead;
use crate::error::{set_page_status, AppError};
use crate::i18n::use_messages;
use leptos::prelude::*;

/// Says, in the reader's language, what went wrong, and gives the page the matching status
/// code: 400 naming the parameter, 503 while the database or search is away, 500 otherwise.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    set_page_status(error.status_code());
    let t = use_messages();
    let text = match &error {
        AppError::InvalidParameter { param } => t.invalid_parameter.replace("{param}", param),
        AppError::Unauthorized => t.unauthorized_text.to_owned(),
        AppError::Forbidden => t.forbidden_text.to_owned(),
        AppError::Conflict | AppError::InvalidTransition { .. } => t.conflict_text.to_owned(),
        AppError::Unavailable => t.unavailable_text.to_owned(),
        AppError::SearchUnavailable => t.search_unavailable_text.to_owned(),
        _ => t.internal_error_text.to_owned(),
    };
    view! {
        <p class="error-notice" role="alert" data-testid="error-notice">
            {text}
        </p>
    }
}

/// A whole page's error: 404 gets the real not-found page, anything else a titled notice.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    let t = use_messages();
    if error == AppError::NotFound {
        return view! { <NotFound /> }.into_any();
    }
    view! {
        <PageHead title=|m| m.error_title />
        <section class="error-page">
            <h1>{t.error_title}</h1>
            <ErrorNotice error />
        </section>
    }
    .into_any()
}
