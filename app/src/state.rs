//! What every server-side render and server function can reach.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;

/// One per process; cloned cheaply into each request's context.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
}

/// The state of the current request, for server functions and resources rendered on the server.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the reactive context");
        crate::error::AppError::Internal
    })
}
