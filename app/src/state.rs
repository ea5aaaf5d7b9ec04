//! What every server-side render and server function can reach.

use crate::error::AppError;
use crate::home::HomeFigures;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// One per process; cloned cheaply into each request's context.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub home_figures: Arc<Cached<HomeFigures>>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, pool: PgPool) -> AppState {
        AppState {
            leptos_options,
            pool,
            home_figures: Arc::new(Cached::new(HOME_FIGURES_TTL)),
        }
    }
}

/// The home page's counts change only when something is published; reading them at most
/// this often keeps the busiest page cheap for the database.
pub const HOME_FIGURES_TTL: Duration = Duration::from_secs(5);

/// A value read from the database and kept for a short time.
pub struct Cached<T> {
    ttl: Duration,
    value: RwLock<Option<(Instant, T)>>,
}

impl<T: Clone> Cached<T> {
    pub fn new(ttl: Duration) -> Self {
        Cached {
            ttl,
            value: RwLock::new(None),
        }
    }

    /// The kept value while fresh; otherwise loads, keeps and returns a new one. Errors
    /// are not kept, so the next request tries again.
    pub async fn get_or_load<F, E>(&self, load: impl FnOnce() -> F) -> Result<T, AppError>
    where
        F: Future<Output = Result<T, E>>,
        AppError: From<E>,
    {
        if let Some((at, value)) = self.value.read().ok().and_then(|v| v.clone()) {
            if at.elapsed() < self.ttl {
                return Ok(value);
            }
        }
        let value = load().await?;
        if let Ok(mut slot) = self.value.write() {
            *slot = Some((Instant::now(), value.clone()));
        }
        Ok(value)
    }

    /// Forgets the kept value, e.g. after a publication.
    pub fn invalidate(&self) {
        if let Ok(mut slot) = self.value.write() {
            *slot = None;
        }
    }
}

/// The state of the current request, for server functions and resources rendered on the server.
pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the reactive context");
        AppError::Internal
    })
}
