use crate::domain::Vocabulary;
use crate::i18n::{use_locale, use_messages};
use leptos::prelude::*;

/// A labelled `<select>` for a filter: "any" first, then every code by its name.
#[component]
pub fn CodeSelect<T: Vocabulary>(
    /// The query parameter.
    name: &'static str,
    /// The visible label, in the reader's language.
    label: &'static str,
    selected: Option<T>,
) -> impl IntoView {
    let locale = use_locale();
    let t = use_messages();
    let id = format!("filter-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            // The property as well as the options' attribute: a field the reader changed
            // ignores attribute updates when the search island rebuilds it.
            <select id=id name=name prop:value=selected.map_or("", |value| value.code())>
                <option value="" selected=selected.is_none()>
                    {t.any}
                </option>
                {T::all()
                    .iter()
                    .map(|&value| {
                        view! {
                            <option value=value.code() selected=selected == Some(value)>
                                {value.label(locale)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
