//! The HTML shell, the page frame (header, main, footer) and the routes.

use crate::accounts::{
    AccountPage, ConfirmPage, MailboxMessagePage, MailboxPage, PrivacyPage, ResetPasswordPage,
    ResetRequestPage, SessionsPage, SignInPage, SignUpPage,
};
use crate::errors::NotFound;
use crate::home::HomePage;
use crate::i18n::{initial_locale, provide_locale, use_messages, LanguageSwitch};
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
                <IslandScripts options />
                <CanonicalLink />
                <FeedLink />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The pages that contain islands (`#[island]` components), by path. Only these load the
/// wasm bundle; every other page is complete HTML that needs no JavaScript at all. A page
/// that gains an island adds its path here (the test
/// `pages::only_pages_with_islands_load_the_bundle` fails otherwise).
pub const PAGES_WITH_ISLANDS: &[&str] = &["/search"];

/// Whether the page being rendered is one of [`PAGES_WITH_ISLANDS`].
#[cfg(feature = "ssr")]
fn page_has_islands() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        // The router also matches `/search/`.
        let path = parts.uri.path();
        let path = if path.len() > 1 {
            path.trim_end_matches('/')
        } else {
            path
        };
        PAGES_WITH_ISLANDS.contains(&path)
    })
}

#[cfg(not(feature = "ssr"))]
fn page_has_islands() -> bool {
    false
}

/// The islands loader and the bundle's preloads, on pages with islands only. Either way the
/// page renders in islands mode, where only what is inside an island is hydrated: nothing
/// else is serialized into the page for the browser.
#[component]
fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    if page_has_islands() {
        Some(view! { <HydrationScripts options islands=true /> })
    } else {
        // What `HydrationScripts` does first in islands mode.
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
        None
    }
}

/// The site's filing numbers (ICP, public security, website identifier), as configured;
/// nothing when none is. Server-rendered like the rest of the frame.
#[component]
fn SiteFilings() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let t = use_messages();
        let filings = use_context::<crate::state::AppState>()
            .map(|state| state.site.filings.clone())
            .unwrap_or_default();
        let security_url = filings.public_security_url();
        (!filings.is_empty()).then(|| {
            view! {
                <p class="filings" data-testid="site-filings">
                    {filings.icp.map(|icp| view! {
                        <a href=crate::state::ICP_FILING_URL rel="noopener noreferrer" target="_blank">{icp}</a>
                    })}
                    {filings.public_security.map(|number| match security_url {
                        Some(url) => view! {
                            <a href=url rel="noopener noreferrer" target="_blank">{number}</a>
                        }.into_any(),
                        None => view! { <span>{number}</span> }.into_any(),
                    })}
                    {filings.site_identifier.map(|id| view! {
                        <span>{format!("{} {id}", t.site_identifier)}</span>
                    })}
                </p>
            }
        })
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

/// `<link rel="alternate" type="application/atom+xml">` on the pages that have a feed
/// ([`crate::feeds`]), so feed readers find it. Rendered with the shell, on the server.
#[component]
fn FeedLink() -> impl IntoView {
    page_feed().map(|(href, title)| {
        view! { <link rel="alternate" type="application/atom+xml" href=href title=title /> }
    })
}

#[cfg(feature = "ssr")]
fn page_feed() -> Option<(String, &'static str)> {
    let parts = use_context::<http::request::Parts>()?;
    crate::feeds::feed_of_page(parts.uri.path(), parts.uri.query())
}

#[cfg(not(feature = "ssr"))]
fn page_feed() -> Option<(String, &'static str)> {
    None
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = initial_locale();
    provide_locale(locale);
    let t = use_messages();

    view! {
        <Html {..} lang=locale.tag() />
        <Router>
            <a class="skip-link" href="#main">
                {t.skip_to_content}
            </a>
            <header class="site-header">
                <A href="/" attr:class="site-name">
                    {t.site_name}
                </A>
                <nav aria-label=t.main_navigation>
                    <A href="/">{t.nav_home}</A>
                    <A href="/scenarios">{t.nav_scenarios}</A>
                    <A href="/products">{t.nav_products}</A>
                    <A href="/projects">{t.nav_projects}</A>
                    <A href="/calls">{t.nav_calls}</A>
                    <A href="/organisations">{t.nav_organisations}</A>
                    <A href="/search">{t.nav_search}</A>
                </nav>
                <div class="language" role="group" aria-label=t.switch_language>
                    <LanguageSwitch />
                </div>
                <crate::accounts::pages::AccountMenu />
            </header>
            <main id="main" tabindex="-1">
                <crate::accounts::pages::SecondFactorBanner />
                // A posted form whose action failed shows that error instead of the page.
                {match use_context::<crate::accounts::form::ActionFailed>() {
                    Some(failed) => view! { <crate::accounts::AccessDenied error=failed.0 /> }.into_any(),
                    None => view! {
                <Routes fallback=NotFound>
                    // Async: the page is sent once its data is read, so it is complete
                    // without JavaScript and carries the right status code (404, 503).
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/products") view=ProductListPage ssr=SsrMode::Async />
                    <Route path=path!("/products/:id") view=ProductDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/products/:id/first-purchases/new") view=crate::first_purchases::RecordFirstPurchasePage ssr=SsrMode::Async />
                    <Route path=path!("/first-purchases") view=crate::first_purchases::FirstPurchaseListPage ssr=SsrMode::Async />
                    <Route path=path!("/products/:id/certificate") view=crate::certificates::CertificatePage ssr=SsrMode::Async />
                    <Route path=path!("/verify/:code") view=crate::certificates::VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/verify") view=crate::certificates::VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/first-purchases/:id") view=crate::first_purchases::FirstPurchaseDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/first-purchases/:id/correct") view=crate::first_purchases::CorrectFirstPurchasePage ssr=SsrMode::Async />
                    <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async />
                    <Route path=path!("/api") view=crate::api_reference::ApiPage ssr=SsrMode::Async />
                    <Route path=path!("/scenarios") view=ScenarioListPage ssr=SsrMode::Async />
                    <Route path=path!("/scenarios/:id") view=ScenarioDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/projects") view=ProjectListPage ssr=SsrMode::Async />
                    <Route path=path!("/projects/:id") view=ProjectDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/organisations") view=OrganisationListPage ssr=SsrMode::Async />
                    <Route path=path!("/calls") view=crate::calls::CallListPage ssr=SsrMode::Async />
                    <Route path=path!("/calls/new") view=crate::calls::NewCallPage ssr=SsrMode::Async />
                    <Route path=path!("/calls/:id") view=crate::calls::CallDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/calls/:id/edit") view=crate::calls::EditCallPage ssr=SsrMode::Async />
                    <Route path=path!("/agency") view=crate::calls::AgencyPage ssr=SsrMode::Async />
                    <Route path=path!("/account/submissions") view=crate::submissions::pages::SubmissionsPage ssr=SsrMode::Async />
                    <Route path=path!("/account/notifications") view=crate::submissions::pages::NotificationsPage ssr=SsrMode::Async />
                    <Route path=path!("/drafts/:id") view=crate::submissions::pages::DraftPage ssr=SsrMode::Async />
                    <Route path=path!("/review") view=crate::submissions::pages::ReviewQueuePage ssr=SsrMode::Async />
                    <Route path=path!("/review/:id") view=crate::submissions::pages::ReviewPage ssr=SsrMode::Async />
                    <Route path=path!("/notices") view=crate::submissions::pages::NoticesPage ssr=SsrMode::Async />
                    <Route path=path!("/notices/:id") view=crate::submissions::pages::NoticePage ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                    <Route path=path!("/sign-up") view=SignUpPage ssr=SsrMode::Async />
                    <Route path=path!("/reset") view=ResetRequestPage ssr=SsrMode::Async />
                    <Route path=path!("/reset/:token") view=ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/confirm/:token") view=ConfirmPage ssr=SsrMode::Async />
                    <Route path=path!("/privacy") view=PrivacyPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/account/sessions") view=SessionsPage ssr=SsrMode::Async />
                    <Route path=path!("/account/second-factor") view=crate::accounts::SecondFactorPage ssr=SsrMode::Async />
                    <Route path=path!("/sign-in/second-factor") view=crate::accounts::SecondFactorSignInPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/mailbox") view=MailboxPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/mailbox/:name") view=MailboxMessagePage ssr=SsrMode::Async />
                    // Before `/organisations/:id`, which would take "new" for an id.
                    <Route path=path!("/organisations/new") view=crate::organisations::members::NewOrganisationPage ssr=SsrMode::Async />
                    <Route path=path!("/organisations/join") view=crate::organisations::members::JoinOrganisationPage ssr=SsrMode::Async />
                    <Route path=path!("/organisations/:id/members") view=crate::organisations::members::MembersPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/organisations") view=crate::admin::AdminOrganisationsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=crate::admin::AdminUsersPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/audit") view=crate::admin::AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/calendar") view=crate::admin::CalendarPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/first-purchase-rule") view=crate::admin::FirstPurchaseRulePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/first-purchase-disputes") view=crate::admin::DisputesPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/organisations/:id")
                        view=OrganisationDetailPage
                        ssr=SsrMode::Async
                    />
                </Routes>
                    }.into_any(),
                }}
            </main>
            <footer class="site-footer">
                <p>{t.footer_note} " " <a href="/api">{t.footer_api}</a></p>
                <SiteFilings />
            </footer>
        </Router>
    }
}
