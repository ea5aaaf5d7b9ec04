//! Building the router and serving it.

use crate::config::{Config, Environment};
use crate::limits::{self, LimitSettings, Limiter};
use crate::page_cache::{changes::Generation, PageCache};
use crate::scheduler::Scheduler;
use crate::{assets, config, csrf, database, page_cache, routes, security, sessions};
use anyhow::{Context, Result};
use app::clock::Clock;
use app::search::meili::MeiliIndex;
use app::search::{EmbeddedIndex, EmbeddedStorage, SearchBackend, SearchIndex};
use app::state::{AppState, Site};
use app::{shell, App};
use axum::error_handling::HandleErrorLayer;
use axum::handler::HandlerWithoutStateExt;
use axum::routing::get;
use axum::serve::{Listener, ListenerExt};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;

/// How the router is built besides the app state: limits, and what kind of deployment.
#[derive(Clone)]
pub struct RouterOptions {
    pub limits: LimitSettings,
    pub environment: Environment,
    /// Keep catalogue pages for anonymous readers until the catalogue changes
    /// (`page_cache`). Off in tests that change the database behind the server's back.
    pub cache_pages: bool,
}

impl RouterOptions {
    /// A production router with limits no test reaches by accident (the limiter has tests
    /// of its own with tight limits).
    pub fn for_tests() -> RouterOptions {
        RouterOptions {
            limits: LimitSettings {
                refill_every: Duration::from_micros(10),
                burst: std::num::NonZeroU32::new(100_000).expect("not zero"),
                exports_per_minute: std::num::NonZeroU32::new(100_000).expect("not zero"),
                account_actions_per_minute: std::num::NonZeroU32::new(100_000).expect("not zero"),
                ..LimitSettings::default()
            },
            environment: Environment::Production,
            cache_pages: false,
        }
    }

    pub fn from_config(config: &Config) -> RouterOptions {
        RouterOptions {
            limits: config.limits.clone(),
            environment: config.environment,
            cache_pages: true,
        }
    }
}

/// The whole site as one router: pages, server functions, the API, assets, health and
/// 404s, behind the limiter, a request timeout, panic recovery and security headers.
pub fn build_app(mut state: AppState, options: &RouterOptions) -> Router {
    // The page at /api is written from the API's own document.
    state.api_document = Some(Arc::new(routes::api::openapi::document()));
    let leptos_options = state.leptos_options.clone();
    let routes = generate_route_list(App);
    let limiter = Arc::new(Limiter::new(&options.limits));
    forget_idle_clients(&limiter);
    let generation = Generation::with_hook({
        let state = state.clone();
        // The traction first: the home page's figures are built from it.
        move || {
            state.traction.invalidate();
            state.home_figures.invalidate();
            state.procurement_categories.invalidate();
        }
    });
    let pages = Arc::new(PageCache::new(
        Arc::new(generation),
        state.clock.clone(),
        state.search.clone(),
    ));
    if options.cache_pages {
        // Emptied on every change of the catalogue by the hook above.
        state.traction.enable();
        tokio::spawn(page_cache::changes::follow(
            state.pool.clone(),
            Arc::clone(pages.generation()),
        ));
    }

    let not_found_page = {
        let state = state.clone();
        let leptos_options = leptos_options.clone();
        leptos_axum::render_app_async_with_context(
            move || {
                provide_context(state.clone());
                security::page_context();
            },
            move || shell(leptos_options.clone()),
        )
    };

    let mut router = routes::site_routes(&limiter, options.environment)
        .into_router()
        .leptos_routes_with_context(&state, routes, security::page_context, {
            let leptos_options = leptos_options.clone();
            move || shell(leptos_options.clone())
        });
    if options.environment == Environment::Test {
        let scheduler = Scheduler::from_state(&state);
        router = router.nest(
            "/_test",
            Router::new()
                .route(
                    "/clock",
                    get(routes::test_clock::show).post(routes::test_clock::set),
                )
                .with_state(scheduler),
        );
    }
    // More requests in flight than allowed, or one that takes too long: 503, in the API's
    // error format under /api/v1.
    let overload = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(
            |uri: http::Uri, _: tower::BoxError| async move { limits::overloaded(uri.path()) },
        ))
        .load_shed()
        // Global: `Router::layer` wraps each route on its own, and a plain concurrency
        // limit would give every route its own allowance.
        .layer(GlobalConcurrencyLimitLayer::new(
            options.limits.max_concurrent,
        ));
    let deadlines = limits::Deadlines {
        request: options.limits.request_timeout,
        upload: options.limits.upload_timeout,
    };
    router
        .nest_service("/pkg", assets::pkg_service(&leptos_options))
        // Files from `public/` (copied into the site root), else the 404 page.
        .fallback_service(assets::public_service(
            &leptos_options,
            not_found_page.into_service(),
        ))
        // Innermost first: the CSRF check needs the viewer, which needs the session.
        .layer(axum::middleware::from_fn_with_state(
            csrf::SiteOrigin(state.site.public_url.as_str().into()),
            csrf::protect,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            sessions::resolve_viewer,
        ))
        .layer(sessions::layer(&state.pool, state.site.is_https()))
        // Before the session is read: a kept page needs none.
        .layer(axum::middleware::from_fn_with_state(
            pages,
            page_cache::serve,
        ))
        // A panic while answering one request becomes that request's logged 500 page;
        // it never drops the connection or reaches another request.
        .layer(CatchPanicLayer::custom(security::panic_page))
        .layer(axum::middleware::from_fn_with_state(
            deadlines,
            limits::deadline,
        ))
        .layer(overload)
        .layer(axum::middleware::from_fn_with_state(
            limiter,
            limits::limit_general,
        ))
        // Outside the limiter and the overload answer, so that a script on another site
        // can read their 429 and 503 too; preflights are answered here.
        .layer(axum::middleware::from_fn(routes::api::cors::allow_reads))
        .layer(axum::middleware::from_fn_with_state(
            security::HeaderOptions {
                hsts: state.site.is_https(),
            },
            security::headers,
        ))
        // Assets arrive precompressed; this compresses pages and JSON on the fly, not what
        // is compressed already (the open-data dump, Excel workbooks: zip files).
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Precise(4))
                .compress_when(
                    DefaultPredicate::new()
                        .and(NotForContentType::const_new("application/gzip"))
                        .and(NotForContentType::const_new(
                            "application/vnd.openxmlformats-officedocument",
                        )),
                ),
        )
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Clients not seen for a while are forgotten every minute, so the limiter's memory stays
/// bounded by the clients of the last minutes.
fn forget_idle_clients(limiter: &Arc<Limiter>) {
    if tokio::runtime::Handle::try_current().is_err() {
        return;
    }
    let limiter = Arc::downgrade(limiter);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(60)).await;
            match limiter.upgrade() {
                Some(limiter) => limiter.forget_idle(),
                None => return, // the router is gone
            }
        }
    });
}

/// Meilisearch when configured, else the embedded index with its copy kept in `storage`.
/// A folder another process holds (two servers given one data folder) leaves this one
/// its copy in memory, with a warning.
pub fn search_backend(
    pool: &sqlx::PgPool,
    clock: &Clock,
    storage: EmbeddedStorage,
) -> Result<SearchBackend> {
    Ok(match config::meilisearch_from_env()? {
        Some(meili) => SearchBackend::Meilisearch(
            MeiliIndex::new(meili, clock.clone()).map_err(anyhow::Error::new)?,
        ),
        None => match EmbeddedIndex::open(pool.clone(), clock.clone(), &storage) {
            Ok(index) => SearchBackend::Embedded(index),
            Err(error) => {
                tracing::warn!(
                    ?storage,
                    %error,
                    "cannot keep the search index in the data folder: keeping it in memory"
                );
                SearchBackend::embedded(pool.clone(), clock.clone())
            }
        },
    })
}

/// The embedded search index's folder in the data folder.
pub const SEARCH_INDEX_FOLDER: &str = "search-index";

pub async fn serve(config: Config) -> Result<()> {
    // A half-configured search backend, or a production deployment that cannot send mail,
    // is refused before anything else happens. (Only `serve` sends mail: the other
    // commands run without SMTP_URL.)
    config::meilisearch_from_env()?;
    let mail = crate::mail::MailSettings::from_env(
        config.environment,
        &config.public_url,
        &config.data_dir,
    )?;
    std::fs::create_dir_all(&config.data_dir).with_context(|| {
        format!(
            "cannot create the data folder {} (CATALOGUE_DATA_DIR)",
            config.data_dir.display()
        )
    })?;
    let pool = database::connect(&config).await?;
    database::migrate(&pool).await?;
    assets::precompress_in_background(&config.leptos_options);
    let clock = config.clock();
    if config.environment != Environment::Production {
        tracing::warn!(
            environment = config.environment.name(),
            now = %clock.now(),
            "not a production deployment: the clock may be moved"
        );
    }
    let search = search_backend(
        &pool,
        &clock,
        EmbeddedStorage::Folder(config.data_dir.join(SEARCH_INDEX_FOLDER)),
    )?;
    let site = Site {
        public_url: config.public_url.clone(),
        filings: config.filings.clone(),
    };
    let mut state = AppState::new(
        config.leptos_options.clone(),
        pool.clone(),
        clock.clone(),
        search.clone(),
        site,
    );
    state.accounts.mailbox = mail.mailbox();
    state.accounts.evidence_dir = config.data_dir.join("evidence");
    state.open_data_dir = Some(crate::open_data::folder(&config.data_dir));
    state.attachments = app::attachments::AttachmentStore::from_env(&config.data_dir)
        .context("opening the attachments' storage")?;
    tracing::info!(store = ?state.attachments, "attachments stored");
    // SMS: the demo mailbox where there is one; no sender otherwise (see `sms`).
    if let Some(folder) = mail.mailbox() {
        state.accounts.sms = Some(Arc::new(crate::sms::MailboxSms::new(&folder)?));
    }
    state.accounts.sessions.idle = config.session_idle;
    let mailer = mail.mailer()?;
    let started = std::time::Instant::now();
    match search.prepare().await {
        Ok(()) => {
            tracing::info!(backend = search.name(), elapsed = ?started.elapsed(), "search index ready")
        }
        // The site serves anyway; searches answer 503 until the backend is back.
        Err(error) => tracing::warn!(
            backend = search.name(),
            %error,
            "the search backend is not ready; serving without search and trying again"
        ),
    }
    supervise("search readiness", {
        let (pool, search) = (pool.clone(), search.clone());
        move || keep_search_ready(pool.clone(), search.clone())
    });
    // Keeps the search index up to date from the outbox, on connections of its own: each
    // lane holds one for its batch's transaction and one to read the records, and waits
    // for the backend in between, which must not take connections from the pages.
    let lanes = u32::try_from(search.batches_in_flight()).unwrap_or(1);
    let indexer_pool = database::pool_options(&config)
        .max_connections(2 * lanes)
        .connect_lazy_with((*pool.connect_options()).clone());
    supervise("search indexer", {
        let clock = clock.clone();
        move || {
            crate::indexer::run(
                indexer_pool.clone(),
                search.clone(),
                clock.clone(),
                crate::indexer::BATCH_SIZE,
            )
        }
    });
    supervise("mail sender", {
        let (pool, clock, wake) = (
            pool.clone(),
            clock.clone(),
            state.accounts.mail_queued.clone(),
        );
        move || crate::mail::run(pool.clone(), mailer.clone(), clock.clone(), wake.clone())
    });
    supervise("session clean-up", {
        let state = state.clone();
        move || sessions::clean_up(state.clone())
    });
    supervise("scheduler", {
        let scheduler = Scheduler::from_state(&state);
        move || scheduler.clone().run()
    });

    let address = config.leptos_options.site_addr;
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen on {address}"))?
        // Pages are written in several chunks; without TCP_NODELAY, Nagle's algorithm and
        // delayed ACKs add tens of milliseconds to each response.
        .tap_io(|tcp| {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::warn!(%error, "could not set TCP_NODELAY");
            }
        });
    tracing::info!("serving on http://{}", listener.local_addr()?);
    let app = build_app(state, &RouterOptions::from_config(&config));
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("serving")?;
    tracing::info!("stopped");
    Ok(())
}

/// Runs a background task for the life of the server: if it panics (a bug), the panic is
/// logged and the task starts again a few seconds later, instead of that work stopping
/// silently for good.
fn supervise<F, Fut>(name: &'static str, start: F)
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        loop {
            match tokio::spawn(start()).await {
                Ok(()) => return,
                Err(error) if error.is_panic() => {
                    tracing::error!(
                        task = name,
                        "a background task panicked; restarting it in 5 s"
                    );
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
                Err(_) => return, // cancelled: the server is stopping
            }
        }
    });
}

/// How often the server checks its search index (see `SearchBackend::repair`).
const REPAIR_EVERY: Duration = Duration::from_secs(60);

/// Keeps the search index as the code wants it: at start-up, then every minute, repairs
/// what is wrong (`SearchBackend::repair`: Meilisearch down at start-up, an index lost or
/// re-created with other settings, documents of an older format). While the backend
/// cannot be reached, tries again sooner, with back-off.
async fn keep_search_ready(pool: sqlx::PgPool, search: SearchBackend) {
    let mut failing_for: Option<Duration> = None;
    loop {
        let wait = match search.repair(&pool).await {
            Ok(repaired) => {
                if let Some(what) = repaired {
                    tracing::info!(backend = search.name(), what, "search index repaired");
                }
                failing_for = None;
                REPAIR_EVERY
            }
            Err(error) => {
                // 1 s after the first failure, then twice as long each time, up to a minute.
                let wait =
                    failing_for.map_or(Duration::from_secs(1), |last| (last * 2).min(REPAIR_EVERY));
                failing_for = Some(wait);
                tracing::warn!(backend = search.name(), %error, retry_in = ?wait, "search backend not ready");
                wait
            }
        };
        tokio::time::sleep(wait).await;
    }
}

/// Ctrl-C or SIGTERM: stop accepting, finish the requests in flight, then exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
