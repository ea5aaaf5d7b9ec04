use super::{load_home_figures, HomeFigures, SCENARIO_TARGET};
use crate::components::PageHead;
use crate::errors::ErrorNotice;
use crate::i18n::{use_messages, Messages};
use crate::organisations::OrganisationCard;
use crate::products::ProductCard;
use crate::projects::ProjectCard;
use crate::scenarios::ScenarioCard;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_messages();
    let figures = Resource::new(|| (), |_| load_home_figures());

    view! {
        <PageHead title=|m| m.home_title description=|m| m.home_description />
        <section class="hero" aria-labelledby="home-heading">
            <h1 id="home-heading">{t.home_title}</h1>
            <p class="lead">{t.home_lead}</p>
        </section>
        <Suspense fallback=move || view! { <p>{t.figures_loading}</p> }>
            {move || Suspend::new(async move {
                match figures.await {
                    Ok(figures) => view! { <HomeContent figures /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
        <section class="audiences" aria-labelledby="audiences-heading">
            <h2 id="audiences-heading">{t.audiences_heading}</h2>
            <ul class="audience-list">
                <li>
                    <h3>{t.audience_buyers_title}</h3>
                    <p>{t.audience_buyers_text}</p>
                </li>
                <li>
                    <h3>{t.audience_firms_title}</h3>
                    <p>{t.audience_firms_text}</p>
                </li>
                <li>
                    <h3>{t.audience_investors_title}</h3>
                    <p>{t.audience_investors_text}</p>
                </li>
            </ul>
        </section>
    }
}

#[component]
fn HomeContent(figures: HomeFigures) -> impl IntoView {
    let t = use_messages();
    let published = figures.published_scenarios;
    let target_met = published >= SCENARIO_TARGET;
    let figure = |test_id: &'static str,
                  label: fn(&Messages) -> &'static str,
                  href: &'static str,
                  value: i64| {
        view! {
            <div class="figure">
                <dt>
                    <a href=href>{move || label(t)}</a>
                </dt>
                <dd>
                    <span class="figure-value" data-testid=test_id>{value}</span>
                </dd>
            </div>
        }
    };
    view! {
        {figures.has_demo_data.then(|| view! {
            <p class="demo-notice" role="note" data-testid="demo-notice">{t.demo_notice}</p>
        })}
        {figures.has_demo_accounts.then(|| view! { <crate::accounts::demo::DemoAccounts /> })}
        <section class="figures" aria-labelledby="figures-heading">
            <h2 id="figures-heading">{t.figures_heading}</h2>
            <dl class="figure-list">
                {figure("published-scenarios", |m| m.count_scenarios, "/scenarios", figures.published_scenarios)}
                {figure("published-products", |m| m.count_products, "/products", figures.published_products)}
                {figure("published-projects", |m| m.count_projects, "/projects", figures.published_projects)}
                {figure("verified-organisations", |m| m.verified_organisations, "/organisations", figures.verified_organisations)}
            </dl>
            <div class="target" data-testid="scenario-target" data-met=target_met.to_string()>
                <label for="scenario-target-progress">{t.scenario_target}</label>
                <progress id="scenario-target-progress" max=SCENARIO_TARGET value=published.min(SCENARIO_TARGET)>
                    {published}
                </progress>
                <p>
                    {t.scenario_target_progress.replace("{count}", &published.to_string())}
                    {move || target_met.then(|| format!(" · {}", t.scenario_target_met))}
                </p>
            </div>
        </section>
        <LatestSection id="scenarios" heading=|m| m.latest_scenarios href="/scenarios">
            {figures.latest_scenarios.into_iter().map(|scenario| view! { <ScenarioCard scenario /> }).collect_view()}
        </LatestSection>
        <LatestSection id="products" heading=|m| m.latest_products href="/products">
            {figures.latest_products.into_iter().map(|product| view! { <ProductCard product /> }).collect_view()}
        </LatestSection>
        <LatestSection id="projects" heading=|m| m.latest_projects href="/projects">
            {figures.latest_projects.into_iter().map(|project| view! { <ProjectCard project /> }).collect_view()}
        </LatestSection>
        <LatestSection id="organisations" heading=|m| m.latest_organisations href="/organisations">
            {figures
                .latest_organisations
                .into_iter()
                .map(|organisation| view! { <OrganisationCard organisation /> })
                .collect_view()}
        </LatestSection>
    }
}

#[component]
fn LatestSection(
    id: &'static str,
    heading: fn(&Messages) -> &'static str,
    href: &'static str,
    children: Children,
) -> impl IntoView {
    let t = use_messages();
    let (heading_id, labelled_by) = (format!("latest-{id}"), format!("latest-{id}"));
    view! {
        <section class="latest" aria-labelledby=labelled_by>
            <h2 id=heading_id>{move || heading(t)}</h2>
            <ol class="cards">{children()}</ol>
            <p>
                <a href=href>{move || format!("{} →", t.view_all)}</a>
            </p>
        </section>
    }
}
