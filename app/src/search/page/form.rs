//! The search form. It is rendered once, so the text box keeps focus and caret while
//! results change; only the filter fields are rebuilt, and only when the address's filters
//! change (a facet link, back and forward). After hydration, typing submits the form
//! (debounced) and choosing a filter submits it at once; both move the island's
//! [`Address`], which runs the new search and updates the address bar.
//!
//! On a narrow screen the filters fold away behind one "Filters" toggle (a `<details>`,
//! so it works without JavaScript) and the results come first; on a wide one they show.

use super::Address;
use crate::components::CodeSelect;
use crate::error::AppError;
use crate::i18n::use_messages;
use crate::listing::{CheckboxFilter, QueryParams};
use crate::search::{SearchQuery, SearchResults, SortOrder};
use leptos::html;
use leptos::prelude::*;

/// Typing pauses this long before the search runs.
#[cfg(feature = "hydrate")]
const DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(250);
/// Titles offered as the box's suggestions.
const SUGGESTIONS: usize = 8;

#[component]
pub fn SearchForm(
    query: Memo<Result<SearchQuery, AppError>>,
    results: Resource<Result<SearchResults, AppError>>,
    address: Address,
) -> impl IntoView {
    let t = use_messages();
    let form_ref = NodeRef::<html::Form>::new();
    let input_ref = NodeRef::<html::Input>::new();
    // The words as the address has them, even when a filter there is invalid.
    let initial_q = address.with(|pairs| pairs.value("q")).unwrap_or_default();
    // The filters without the text and page: rebuilding the fields only when these change.
    // While the address holds an invalid filter (a minimum above the maximum), the fields
    // stay as they were, so the reader can correct them.
    let filters = Memo::new(move |previous: Option<&SearchQuery>| match query.get() {
        Ok(q) => SearchQuery {
            q: String::new(),
            page: 1,
            ..q
        },
        Err(_) => previous.cloned().unwrap_or_default(),
    });
    let chosen = Memo::new(move |_| filters.with(SearchQuery::chosen_filters));
    // Filled only in the browser, after hydration (effects never run on the server): the
    // server renders an empty list, so the page hydrates whatever the resource holds.
    let suggestions = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        if let Some(Ok(found)) = results.get() {
            suggestions.set(
                found
                    .hits
                    .into_iter()
                    .take(SUGGESTIONS)
                    .map(|hit| hit.title.into_iter().map(|f| f.text).collect())
                    .collect(),
            );
        }
    });
    let live = live::Live::new(form_ref, input_ref, query, address);
    view! {
        <form
            node_ref=form_ref
            class="filters search-form"
            method="get"
            action="/search"
            role="search"
            on:submit=move |ev| live.on_submit(ev)
            on:change=move |ev| live.on_change(ev)
        >
            <div class="field field-wide">
                <label for="search-q">{t.search_label}</label>
                <input
                    node_ref=input_ref
                    id="search-q"
                    type="search"
                    name="q"
                    value=initial_q
                    maxlength="200"
                    autocomplete="off"
                    list="search-suggestions"
                    on:input=move |ev| live.on_input(ev)
                    on:compositionend=move |_| live.on_composed()
                />
                <datalist id="search-suggestions" aria-label=t.search_suggestions>
                    {move || suggestions.get().into_iter().map(|title| view! { <option value=title></option> }).collect_view()}
                </datalist>
            </div>
            <button type="submit">{t.search_button}</button>
            // Closed until opened, so results come first on a phone; the button says how
            // many filters are chosen.
            <details class="fold search-filters" data-testid="search-filters">
                <summary>{move || crate::listing::fold_label(t, chosen.get())}</summary>
                <div class="search-filter-fields">
                    {move || { let query = filters.get(); view! { <FilterFields query /> } }}
                </div>
            </details>
        </form>
    }
}

#[component]
fn FilterFields(query: SearchQuery) -> impl IntoView {
    let t = use_messages();
    let label = |pick: fn(&crate::i18n::Messages) -> &'static str| pick(t);
    let text = |value: Option<String>| value.unwrap_or_default();
    view! {
        <CodeSelect name="kind" label=label(|m| m.search_kind) selected=query.kind />
        <CodeSelect name="location" label=label(|m| m.location) selected=query.location />
        <CodeSelect name="stage" label=label(|m| m.stage) selected=query.stage />
        <div class="field">
            <label for="search-sort">{t.sort_by}</label>
            <select id="search-sort" name="sort" prop:value=query.sort.code()>
                {[SortOrder::Relevance, SortOrder::Newest, SortOrder::ClosingSoon]
                    .into_iter()
                    .map(|sort| view! {
                        <option value=sort.code() selected=query.sort == sort>
                            {sort_label(sort, t)}
                        </option>
                    })
                    .collect_view()}
            </select>
        </div>
        <div class="field field-narrow">
            <label for="search-amount-min">{t.search_amount_min}</label>
            <input id="search-amount-min" type="number" name="amount_min" min="0" step="1" inputmode="numeric"
                value=text(query.amount_min.map(|v| v.to_string()))
                prop:value=text(query.amount_min.map(|v| v.to_string())) />
        </div>
        <div class="field field-narrow">
            <label for="search-amount-max">{t.search_amount_max}</label>
            <input id="search-amount-max" type="number" name="amount_max" min="0" step="1" inputmode="numeric"
                value=text(query.amount_max.map(|v| v.to_string()))
                prop:value=text(query.amount_max.map(|v| v.to_string())) />
        </div>
        <div class="field field-narrow">
            <label for="search-closes-from">{t.search_closes_from}</label>
            <input id="search-closes-from" type="date" name="closes_from"
                value=text(query.closes_from.map(|d| d.to_string()))
                prop:value=text(query.closes_from.map(|d| d.to_string())) />
        </div>
        <div class="field field-narrow">
            <label for="search-closes-to">{t.search_closes_to}</label>
            <input id="search-closes-to" type="date" name="closes_to"
                value=text(query.closes_to.map(|d| d.to_string()))
                prop:value=text(query.closes_to.map(|d| d.to_string())) />
        </div>
        <CheckboxFilter name="eligible" label=label(|m| m.eligible) checked=query.eligible />
        <CheckboxFilter name="first_purchased" label=label(|m| m.first_purchased) checked=query.first_purchased />
        // Filters chosen from the facets travel with the form.
        {[
            ("category", query.category.clone()),
            ("agency", query.agency.clone()),
            ("batch", query.batch.clone()),
            ("certification", query.certification.map(|c| c.code().to_owned())),
            ("procurement", query.procurement.clone()),
        ]
            .into_iter()
            .filter_map(|(name, value)| value.map(|value| view! { <input type="hidden" name=name value=value /> }))
            .collect_view()}
    }
}

fn sort_label(sort: SortOrder, m: &crate::i18n::Messages) -> &'static str {
    match sort {
        SortOrder::Relevance => m.sort_relevance,
        SortOrder::Newest => m.sort_newest,
        SortOrder::ClosingSoon => m.sort_closing_soon,
    }
}

/// What the form does once hydrated; nothing on the server, where the form is plain HTML.
mod live {
    use super::*;

    #[derive(Clone, Copy)]
    pub struct Live {
        #[cfg(feature = "hydrate")]
        form: NodeRef<html::Form>,
        #[cfg(feature = "hydrate")]
        timer: StoredValue<Option<leptos::prelude::TimeoutHandle>>,
        #[cfg(feature = "hydrate")]
        address: Address,
        #[cfg(feature = "hydrate")]
        input: NodeRef<html::Input>,
    }

    impl Live {
        pub fn new(
            form: NodeRef<html::Form>,
            input: NodeRef<html::Input>,
            query: Memo<Result<SearchQuery, AppError>>,
            address: Address,
        ) -> Live {
            #[cfg(feature = "hydrate")]
            {
                let live = Live {
                    form,
                    timer: StoredValue::new(None),
                    address,
                    input,
                };
                // Back and forward (or a link) change the text in the URL: show it, unless
                // the reader is typing in the box. The first run is hydration itself: what
                // the reader typed or chose before the page became live is kept, and
                // searched for if it differs from the address.
                Effect::new(move |previous: Option<()>| {
                    let Ok(query) = query.get() else { return };
                    let Some(input) = input.get() else { return };
                    if previous.is_none() {
                        let typed = form.get_untracked().map(|form| form_pairs(&form));
                        if typed
                            .is_some_and(|typed| !address.with(|pairs| same_search(&typed, pairs)))
                        {
                            live.go(true);
                        }
                        return;
                    }
                    let focused = document().active_element().is_some_and(|active| {
                        let input: &web_sys::Element = input.as_ref();
                        &active == input
                    });
                    if !focused && input.value() != query.q {
                        input.set_value(&query.q);
                    }
                });
                live
            }
            #[cfg(not(feature = "hydrate"))]
            {
                let _ = (form, input, query, address);
                Live {}
            }
        }

        /// Typing: search once the reader pauses, replacing the history entry. While an
        /// input method is composing (pinyin becoming 机器人), nothing is searched: the
        /// search runs when the composition ends ([`Live::on_composed`]).
        pub fn on_input(self, ev: leptos::ev::Event) {
            #[cfg(feature = "hydrate")]
            {
                use wasm_bindgen::JsCast;
                let composing = ev
                    .dyn_ref::<web_sys::InputEvent>()
                    .is_some_and(|input| input.is_composing());
                if !composing {
                    self.on_composed();
                }
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = ev;
        }

        /// The words are final (typed, or composed by an input method): search once the
        /// reader pauses.
        pub fn on_composed(self) {
            #[cfg(feature = "hydrate")]
            {
                if let Some(previous) = self.timer.get_value() {
                    previous.clear();
                }
                let handle = set_timeout_with_handle(move || self.go(true), DEBOUNCE).ok();
                self.timer.set_value(handle);
            }
        }

        /// A filter changed: search now. (The text box's own `change` is left to typing.)
        pub fn on_change(self, ev: leptos::ev::Event) {
            #[cfg(feature = "hydrate")]
            {
                use wasm_bindgen::JsCast;
                let from_text = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                    .is_some_and(|input| input.type_() == "search");
                if !from_text {
                    self.go(false);
                }
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = ev;
        }

        pub fn on_submit(self, ev: leptos::ev::SubmitEvent) {
            #[cfg(feature = "hydrate")]
            {
                ev.prevent_default();
                self.go(false);
                // Sent: a phone's keyboard may close.
                if let Some(input) = self.input.get_untracked() {
                    let _ = input.blur();
                }
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = ev;
        }

        #[cfg(feature = "hydrate")]
        fn go(self, replace: bool) {
            if let Some(previous) = self.timer.get_value() {
                previous.clear();
            }
            let Some(form) = self.form.get_untracked() else {
                return;
            };
            self.address.go(form_pairs(&form), replace);
        }
    }

    /// The form's non-empty fields, in order, as the browser would send them.
    #[cfg(feature = "hydrate")]
    fn form_pairs(form: &web_sys::HtmlFormElement) -> Vec<(String, String)> {
        use wasm_bindgen::JsCast;
        let elements = form.elements();
        let mut pairs = Vec::new();
        for i in 0..elements.length() {
            let Some(element) = elements.item(i) else {
                continue;
            };
            let (name, value) = if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>()
            {
                if input.type_() == "checkbox" && !input.checked() {
                    continue;
                }
                (input.name(), input.value())
            } else if let Some(select) = element.dyn_ref::<web_sys::HtmlSelectElement>() {
                (select.name(), select.value())
            } else {
                continue;
            };
            let value = value.trim().to_owned();
            // The default order is no filter: the address stays the one facet links make.
            let default_sort = name == "sort" && value == SortOrder::default().code();
            if !name.is_empty() && !value.is_empty() && !default_sort {
                pairs.push((name, value));
            }
        }
        pairs
    }

    /// Whether two sets of pairs ask for the same search (order and empty values aside).
    #[cfg(feature = "hydrate")]
    fn same_search(a: &[(String, String)], b: &[(String, String)]) -> bool {
        let normal = |pairs: &[(String, String)]| {
            let mut kept: Vec<(String, String)> = pairs
                .iter()
                .filter(|(name, value)| !value.trim().is_empty() && name != "page")
                .filter(|(name, value)| !(name == "sort" && value == SortOrder::default().code()))
                .map(|(name, value)| (name.clone(), value.trim().to_owned()))
                .collect();
            kept.sort();
            kept
        };
        normal(a) == normal(b)
    }
}
