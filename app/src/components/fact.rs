use leptos::prelude::*;

/// A definition list of a record's facts.
#[component]
pub fn Facts(children: Children) -> impl IntoView {
    view! { <dl class="facts">{children()}</dl> }
}

/// One fact: a term and its value; nothing is shown when there is no value.
#[component]
pub fn Fact(label: Signal<&'static str>, value: Signal<Option<String>>) -> impl IntoView {
    move || {
        value.get().map(|value| {
            view! {
                <div class="fact">
                    <dt>{label}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
    }
}
