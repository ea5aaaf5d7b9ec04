use super::load_home_figures;
use crate::errors::ErrorNotice;
use crate::i18n::use_messages;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_messages();
    let figures = Resource::new(|| (), |_| load_home_figures());

    view! {
        <Title text=move || t.get().home_title />
        <Meta name="description" content=move || t.get().home_description />
        <section class="hero" aria-labelledby="home-heading">
            <h1 id="home-heading">{move || t.get().home_title}</h1>
            <p class="lead">{move || t.get().home_lead}</p>
        </section>
        <section class="figures" aria-labelledby="figures-heading">
            <h2 id="figures-heading">{move || t.get().figures_heading}</h2>
            <Suspense fallback=move || view! { <p>{move || t.get().figures_loading}</p> }>
                {move || Suspend::new(async move {
                    match figures.await {
                        Ok(figures) => {
                            view! {
                                <dl class="figure-list">
                                    <div class="figure">
                                        <dt>{move || t.get().verified_organisations}</dt>
                                        <dd>
                                            <span class="figure-value" data-testid="verified-organisations">
                                                {figures.verified_organisations}
                                            </span>
                                            " "
                                            <span class="figure-unit">{move || t.get().organisations_unit}</span>
                                        </dd>
                                    </div>
                                </dl>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section class="audiences" aria-labelledby="audiences-heading">
            <h2 id="audiences-heading">{move || t.get().audiences_heading}</h2>
            <ul class="audience-list">
                <li>
                    <h3>{move || t.get().audience_buyers_title}</h3>
                    <p>{move || t.get().audience_buyers_text}</p>
                </li>
                <li>
                    <h3>{move || t.get().audience_firms_title}</h3>
                    <p>{move || t.get().audience_firms_text}</p>
                </li>
                <li>
                    <h3>{move || t.get().audience_investors_title}</h3>
                    <p>{move || t.get().audience_investors_text}</p>
                </li>
            </ul>
        </section>
    }
}
