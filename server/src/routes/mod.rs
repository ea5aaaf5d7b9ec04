//! Plain axum routes that are not Leptos pages.

pub mod accounts;
pub mod admin;
pub mod api;
pub mod attachments;
pub mod calls;
pub mod discovery;
pub mod feeds;
pub mod first_purchases;
pub mod health;
pub mod known_parameters;
pub mod lang;
pub mod listed;
pub mod organisations;
pub mod submissions;
pub mod test_clock;

use crate::config::Environment;
use crate::limits::Limiter;
use app::state::AppState;
use axum::routing::get;
use http::Method;
use listed::{Listed, ListedRoute};
use std::sync::Arc;

/// Every route the site serves besides its Leptos pages and server functions (which
/// [`inventory`] adds): health, the language switch, robots.txt and the sitemaps (as
/// `environment` wants them), the API and the account forms. `/_test/clock` exists only
/// in test deployments and is not listed.
pub fn site_routes(limiter: &Arc<Limiter>, environment: Environment) -> Listed<AppState> {
    Listed::default()
        .route(Method::GET, "/healthz", get(health::healthz))
        .route(Method::GET, "/lang/{tag}", get(lang::switch_language))
        .merge(discovery::router(environment))
        .merge(feeds::router())
        .nest("/api/v1", api::router(limiter))
        .merge(accounts::router(limiter.clone()))
        .merge(organisations::router())
        .merge(admin::router())
        .merge(calls::router())
        .merge(submissions::router())
        .merge(attachments::router())
        .merge(first_purchases::router(limiter))
}

/// The error answer of a file that is not a page (robots.txt's sitemaps, the feeds): a
/// short bilingual text with the error's status, never kept by caches (what is missing
/// now may be published in a minute).
pub(crate) fn text_error(error: &app::error::AppError) -> axum::response::Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    let status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let message = match error {
        app::error::AppError::NotFound => "未找到。\nNot found.\n".to_owned(),
        app::error::AppError::InvalidParameter { param } => {
            format!("参数 {param} 无效。\nInvalid parameter: {param}.\n")
        }
        _ => "暂时无法提供。\nUnavailable for now.\n".to_owned(),
    };
    (status, [(header::CACHE_CONTROL, "no-store")], message).into_response()
}

/// Every route of a production site: [`site_routes`], each Leptos page (GET) and each
/// server function, sorted.
pub fn inventory() -> Vec<ListedRoute> {
    let limiter = Arc::new(Limiter::new(&crate::limits::LimitSettings::default()));
    let mut routes = site_routes(&limiter, Environment::Production)
        .routes()
        .to_vec();
    for page in leptos_axum::generate_route_list(app::App) {
        routes.push(ListedRoute {
            method: Method::GET,
            path: page.path().to_owned(),
        });
    }
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        routes.push(ListedRoute {
            method,
            path: path.to_owned(),
        });
    }
    routes.sort();
    routes.dedup();
    routes
}
