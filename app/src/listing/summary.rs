use crate::i18n::use_messages;
use leptos::prelude::*;

/// "N results", or what to do when there are none.
#[component]
pub fn ListSummary(total: i64) -> impl IntoView {
    let t = use_messages();
    let text = if total == 0 {
        t.no_results.to_owned()
    } else {
        t.results_count.replace("{count}", &total.to_string())
    };
    view! {
        <p class="list-summary" role="status" data-testid="result-count" data-count=total>
            {text}
        </p>
    }
}
