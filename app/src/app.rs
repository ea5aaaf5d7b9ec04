//! The HTML shell, the page frame (header, main, footer) and the routes.

use crate::errors::NotFound;
use crate::home::HomePage;
use crate::i18n::{initial_locale, provide_locale, use_messages, HeadLocale, LanguageSwitch};
use crate::organisations::{OrganisationDetailPage, OrganisationListPage};
use crate::products::{ProductDetailPage, ProductListPage};
use crate::projects::{ProjectDetailPage, ProjectListPage};
use crate::scenarios::{ScenarioDetailPage, ScenarioListPage};
use crate::search::SearchPage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Html, MetaTags};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, SsrMode};

/// The document around the app; rendered only on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <CanonicalLink />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// `<link rel="canonical">`: the address of this page (path and query) on the site's public
/// origin (`PUBLIC_URL`), never on the `Host` the request came with. Rendered with the shell,
/// on the server only: it is for crawlers and link previews, which read the server's HTML.
#[component]
fn CanonicalLink() -> impl IntoView {
    canonical_url().map(|href| view! { <link rel="canonical" href=href /> })
}

#[cfg(feature = "ssr")]
fn canonical_url() -> Option<String> {
    let state = use_context::<crate::state::AppState>()?;
    let parts = use_context::<http::request::Parts>()?;
    let path = parts
        .uri
        .path_and_query()
        .map_or("/", |path_and_query| path_and_query.as_str());
    Some(state.site.url(path))
}

#[cfg(not(feature = "ssr"))]
fn canonical_url() -> Option<String> {
    None
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_locale(initial_locale());
    let t = use_messages();
    // Rendered into the head after the body: reads the reference-counted handle.
    let HeadLocale(head_locale) = expect_context::<HeadLocale>();

    view! {
        <Html {..} lang=move || head_locale.get().tag() />
        <Router>
            <a class="skip-link" href="#main">
                {move || t.get().skip_to_content}
            </a>
            <header class="site-header">
                <A href="/" attr:class="site-name">
                    {move || t.get().site_name}
                </A>
                <nav aria-label=move || t.get().main_navigation>
                    <A href="/">{move || t.get().nav_home}</A>
                    <A href="/scenarios">{move || t.get().nav_scenarios}</A>
                    <A href="/products">{move || t.get().nav_products}</A>
                    <A href="/projects">{move || t.get().nav_projects}</A>
                    <A href="/organisations">{move || t.get().nav_organisations}</A>
                    <A href="/search">{move || t.get().nav_search}</A>
                </nav>
                <div class="language" role="group" aria-label=move || t.get().switch_language>
                    <LanguageSwitch />
                </div>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    // Async: the page is sent once its data is read, so it is complete
                    // without JavaScript and carries the right status code (404, 503).
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/products") view=ProductListPage ssr=SsrMode::Async />
                    <Route path=path!("/products/:id") view=ProductDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async />
                    <Route path=path!("/scenarios") view=ScenarioListPage ssr=SsrMode::Async />
                    <Route path=path!("/scenarios/:id") view=ScenarioDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/projects") view=ProjectListPage ssr=SsrMode::Async />
                    <Route path=path!("/projects/:id") view=ProjectDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/organisations") view=OrganisationListPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/organisations/:id")
                        view=OrganisationDetailPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{move || t.get().footer_note}</p>
            </footer>
        </Router>
    }
}
