//! Building the router and serving it.

use crate::{assets, config::Config, database, routes, security};
use anyhow::{Context, Result};
use app::search::meili::MeiliIndex;
use app::search::{EmbeddedIndex, SearchBackend};
use app::state::AppState;
use app::{shell, App};
use axum::handler::HandlerWithoutStateExt;
use axum::routing::get;
use axum::serve::{Listener, ListenerExt};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;

/// The whole site as one router: pages, server functions, assets, health and 404s.
pub fn build_app(state: AppState) -> Router {
    let options = state.leptos_options.clone();
    let routes = generate_route_list(App);

    let not_found_page = {
        let state = state.clone();
        let options = options.clone();
        leptos_axum::render_app_async_with_context(
            move || {
                provide_context(state.clone());
                security::page_context();
            },
            move || shell(options.clone()),
        )
    };

    Router::new()
        .route("/healthz", get(routes::health::healthz))
        .route("/lang/{tag}", get(routes::lang::switch_language))
        .nest("/api/v1", routes::api::router())
        .leptos_routes_with_context(&state, routes, security::page_context, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .nest_service("/pkg", assets::pkg_service(&options))
        // Files from `public/` (copied into the site root), else the 404 page.
        .fallback_service(assets::public_service(
            &options,
            not_found_page.into_service(),
        ))
        .layer(axum::middleware::from_fn(security::headers))
        // Assets arrive precompressed; this compresses pages and JSON on the fly.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Meilisearch when configured, else the embedded index.
pub fn search_backend(config: &Config, pool: &sqlx::PgPool) -> Result<SearchBackend> {
    Ok(match &config.meilisearch {
        Some(meili) => SearchBackend::Meilisearch(
            MeiliIndex::new(meili.clone()).map_err(|error| anyhow::anyhow!(error))?,
        ),
        None => SearchBackend::Embedded(EmbeddedIndex::new(pool.clone())),
    })
}

pub async fn serve(config: Config) -> Result<()> {
    let pool = database::connect(&config).await?;
    database::migrate(&pool).await?;
    assets::precompress_in_background(&config.leptos_options);
    let search = search_backend(&config, &pool)?;
    let state = AppState::with_search(config.leptos_options.clone(), pool.clone(), search);
    let started = std::time::Instant::now();
    state
        .search
        .prepare()
        .await
        .map_err(|error| anyhow::anyhow!(error))
        .context("preparing the search index")?;
    tracing::info!(backend = state.search.name(), elapsed = ?started.elapsed(), "search index ready");
    // Keeps the search index up to date from the outbox.
    tokio::spawn(crate::indexer::run(pool, state.search.clone()));

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
    axum::serve(listener, build_app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving")?;
    tracing::info!("stopped");
    Ok(())
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
