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
///
/// Only one request reloads it at a time: while it does, the others are answered with the
/// previous value, or, when there is none yet, wait for it. So a busy page never sends a
/// crowd of identical queries to the database when the value expires.
pub struct Cached<T> {
    ttl: Duration,
    value: RwLock<Option<(Instant, T)>>,
    loading: tokio::sync::Mutex<()>,
}

impl<T: Clone> Cached<T> {
    pub fn new(ttl: Duration) -> Self {
        Cached {
            ttl,
            value: RwLock::new(None),
            loading: tokio::sync::Mutex::new(()),
        }
    }

    fn current(&self) -> Option<(Instant, T)> {
        self.value.read().ok().and_then(|value| value.clone())
    }

    fn fresh(&self) -> Option<T> {
        self.current()
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, value)| value)
    }

    /// The kept value while fresh; otherwise loads, keeps and returns a new one. Errors
    /// are not kept, so the next request tries again.
    pub async fn get_or_load<F, E>(&self, load: impl FnOnce() -> F) -> Result<T, AppError>
    where
        F: Future<Output = Result<T, E>>,
        AppError: From<E>,
    {
        if let Some(value) = self.fresh() {
            return Ok(value);
        }
        let _loading = match (self.loading.try_lock(), self.current()) {
            (Ok(guard), _) => guard,
            (Err(_), Some((_, stale))) => return Ok(stale),
            (Err(_), None) => self.loading.lock().await,
        };
        // Another request may have loaded it while this one waited.
        if let Some(value) = self.fresh() {
            return Ok(value);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_crowd_of_requests_on_a_cold_cache_loads_once() {
        let runtime = tokio_runtime();
        let cache = Arc::new(Cached::<u32>::new(Duration::from_secs(60)));
        let loads = Arc::new(AtomicUsize::new(0));
        runtime.block_on(async {
            let mut waiting = Vec::new();
            for _ in 0..8 {
                let (cache, loads) = (cache.clone(), loads.clone());
                waiting.push(async move {
                    cache
                        .get_or_load(|| async {
                            loads.fetch_add(1, Ordering::SeqCst);
                            tokio::task::yield_now().await;
                            Ok::<_, AppError>(7)
                        })
                        .await
                });
            }
            for result in futures_join_all(waiting).await {
                assert_eq!(result, Ok(7));
            }
        });
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn errors_are_not_kept_and_invalidate_forces_a_reload() {
        let runtime = tokio_runtime();
        let cache = Cached::<u32>::new(Duration::from_secs(60));
        runtime.block_on(async {
            let failed = cache
                .get_or_load(|| async { Err::<u32, _>(AppError::Unavailable) })
                .await;
            assert_eq!(failed, Err(AppError::Unavailable));
            assert_eq!(
                cache.get_or_load(|| async { Ok::<_, AppError>(1) }).await,
                Ok(1)
            );
            assert_eq!(
                cache.get_or_load(|| async { Ok::<_, AppError>(2) }).await,
                Ok(1)
            );
            cache.invalidate();
            assert_eq!(
                cache.get_or_load(|| async { Ok::<_, AppError>(3) }).await,
                Ok(3)
            );
        });
    }

    fn tokio_runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    }

    async fn futures_join_all<F: Future + 'static>(futures: Vec<F>) -> Vec<F::Output>
    where
        F::Output: 'static,
    {
        let mut handles = Vec::new();
        let local = tokio::task::LocalSet::new();
        for future in futures {
            handles.push(local.spawn_local(future));
        }
        local.await;
        let mut results = Vec::new();
        for handle in handles {
            results.push(handle.await.unwrap());
        }
        results
    }
}
