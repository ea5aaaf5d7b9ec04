use crate::i18n::use_messages;
use leptos::prelude::*;

/// A list's filters as a plain GET form: it works without JavaScript, and the URL holds
/// the whole filter, so a filtered list can be shared or bookmarked. On a phone the form
/// folds behind one "Filters" button (a `<details>`) so the list comes first; the button
/// says how many filters are chosen, and on a wide screen the form always shows.
#[component]
pub fn FilterForm(
    action: &'static str,
    /// The filters as query pairs: the non-empty ones (but the hidden ones) are counted
    /// on the fold's button.
    chosen: Vec<(&'static str, String)>,
    /// Filters kept but not shown, e.g. the organisation when coming from its page.
    #[prop(optional)]
    hidden: Vec<(&'static str, String)>,
    children: Children,
) -> impl IntoView {
    let t = use_messages();
    let count = chosen
        .iter()
        .filter(|(name, value)| !value.is_empty() && !hidden.iter().any(|(kept, _)| kept == name))
        .count();
    view! {
        <details class="fold" data-testid="filters-fold">
            <summary>{crate::listing::fold_label(t, count)}</summary>
            <form class="filters" method="get" action=action role="search" aria-label=t.filters>
                {hidden
                    .into_iter()
                    .filter(|(_, value)| !value.is_empty())
                    .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                    .collect_view()}
                {children()}
                <button type="submit">{t.apply_filters}</button>
            </form>
        </details>
    }
}

/// A checkbox filter that sends `name=1` when ticked.
#[component]
pub fn CheckboxFilter(name: &'static str, label: &'static str, checked: bool) -> impl IntoView {
    let id = format!("filter-{name}");
    view! {
        <div class="field field-check">
            <input type="checkbox" id=id.clone() name=name value="1" checked=checked prop:checked=checked />
            <label for=id>{label}</label>
        </div>
    }
}
