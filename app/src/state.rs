//! What every server-side render and server function can reach.

use crate::clock::Clock;
use crate::error::AppError;
use crate::home::HomeFigures;
use crate::search::SearchBackend;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// One per process: a handle to [`AppStateInner`], whose clone is one reference count.
///
/// Axum clones the state for every request (each route's service with its middleware, and
/// leptos_axum into each rendering's context), so it is kept behind one `Arc`: cloning the
/// fields themselves (the Leptos options' strings, the site's address, the account
/// services: allocations and copies) showed in a CPU profile of kept pages. Fields read
/// through `Deref`; changing one (only while the server is put together, before the state
/// is shared) goes through `DerefMut`, which copies the fields first if the handle is
/// already shared, so a change never reaches another handle.
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

/// What every request can reach (see [`AppState`]).
#[derive(Clone)]
pub struct AppStateInner {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    /// Every "now" and "today" of a business rule.
    pub clock: Clock,
    pub home_figures: Arc<Cached<HomeFigures>>,
    /// The procurement categories of listed products (`products::categories`).
    pub procurement_categories: Arc<Cached<Vec<crate::products::CategoryOption>>>,
    /// Organisations' traction for cards (`traction::cache`).
    pub traction: Arc<crate::traction::TractionCache>,
    pub search: SearchBackend,
    pub site: Site,
    /// Passwords, mail and sign-ins.
    pub accounts: crate::accounts::AccountServices,
    /// Where attached files live (the data folder's `attachments/` by default, or an
    /// S3-compatible store: `crate::attachments`). Tests start with an in-memory one.
    pub attachments: crate::attachments::AttachmentStore,
    /// Where the open-data dump is written and served from (the data folder's
    /// `open-data/`); `None` in tests that do not set one: no dump, `/api/v1/dump` is 404.
    pub open_data_dir: Option<std::path::PathBuf>,
    /// The open-data API's OpenAPI document as JSON (the server generates it), from which
    /// the page at `/api` is written; `None` until the server sets it.
    pub api_document: Option<Arc<serde_json::Value>>,
}

/// How the site is reached from outside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The public origin (`PUBLIC_URL`), `scheme://host[:port]` without a trailing slash:
    /// links that leave the site (canonical tags, robots.txt and the sitemaps, and later
    /// mail, feeds and QR codes) are built on it, never on the request's `Host` header.
    pub public_url: String,
    /// The filing numbers every page's footer shows (from configuration).
    pub filings: Filings,
}

/// The registrations a website in mainland China shows in its footer. Each is shown only
/// when configured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filings {
    /// ICP filing number (ICP备案号, `苏ICP备12345678号-1`), linked to the MIIT filing
    /// system as the MIIT requires (《互联网信息服务管理办法》; `SITE_ICP_FILING`).
    pub icp: Option<String>,
    /// Public-security filing number (公安机关备案号, `苏公网安备32040202000001号`), linked to
    /// its record on the national public-security filing site (`SITE_PUBLIC_SECURITY_FILING`).
    pub public_security: Option<String>,
    /// Government website identifier (网站标识码, ten digits), which 《政府网站发展指引》
    /// (国办发〔2017〕47号) asks government sites to show in the footer (`SITE_IDENTIFIER`).
    pub site_identifier: Option<String>,
}

impl Filings {
    /// Where the public-security filing number is looked up: its record, by the number's
    /// digits.
    pub fn public_security_url(&self) -> Option<String> {
        let digits: String = self
            .public_security
            .as_deref()?
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        (!digits.is_empty())
            .then(|| format!("https://beian.mps.gov.cn/#/query/webSearch?code={digits}"))
    }

    /// Whether anything is configured.
    pub fn is_empty(&self) -> bool {
        self.icp.is_none() && self.public_security.is_none() && self.site_identifier.is_none()
    }
}

/// The MIIT ICP filing system, where an ICP number links to.
pub const ICP_FILING_URL: &str = "https://beian.miit.gov.cn/";

impl Site {
    /// `http://127.0.0.1:3000`, for tests.
    pub fn local() -> Site {
        Site {
            public_url: "http://127.0.0.1:3000".to_owned(),
            filings: Filings::default(),
        }
    }

    /// Whether the site is served over https: cookies are then `Secure` and HSTS is sent.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The absolute address of a path on this site (`/products/12` → `https://…/products/12`).
    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.public_url)
    }
}

impl std::ops::Deref for AppState {
    type Target = AppStateInner;

    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

impl std::ops::DerefMut for AppState {
    fn deref_mut(&mut self) -> &mut AppStateInner {
        Arc::make_mut(&mut self.0)
    }
}

/// `State<T>` extractors for the parts handlers ask for by type.
macro_rules! state_parts {
    ($($field:ident: $part:ty),* $(,)?) => {
        $(impl FromRef<AppState> for $part {
            fn from_ref(state: &AppState) -> $part {
                state.$field.clone()
            }
        })*
    };
}

state_parts! {
    leptos_options: LeptosOptions,
    pool: PgPool,
    clock: Clock,
    search: SearchBackend,
    site: Site,
}

impl AppState {
    pub fn new(
        leptos_options: LeptosOptions,
        pool: PgPool,
        clock: Clock,
        search: SearchBackend,
        site: Site,
    ) -> AppState {
        AppState(Arc::new(AppStateInner {
            leptos_options,
            pool,
            clock,
            home_figures: Arc::new(Cached::new(HOME_FIGURES_TTL)),
            procurement_categories: Arc::new(Cached::new(crate::products::CATEGORIES_TTL)),
            traction: Arc::default(),
            search,
            site,
            accounts: crate::accounts::AccountServices::default(),
            attachments: crate::attachments::AttachmentStore::in_memory(),
            open_data_dir: None,
            api_document: None,
        }))
    }
}

/// The home page's counts change only when something is published; reading them at most
/// this often keeps the busiest page cheap for the database.
pub const HOME_FIGURES_TTL: Duration = Duration::from_secs(5);

/// A value read from the database and kept for a short time.
///
/// Once it has a value, only one request at a time reloads it when it expires; the others
/// are answered with the previous value meanwhile, so a busy page never sends a crowd of
/// identical queries to the database. Nothing ever waits on another request: a reload
/// that is abandoned half-way (a client that went away) cannot block anyone.
pub struct Cached<T> {
    ttl: Duration,
    value: RwLock<Option<(Instant, T)>>,
    refreshing: AtomicBool,
}

/// Clears the "refreshing" flag however the reload ends, even if it is dropped.
struct RefreshTicket<'a>(&'a AtomicBool);

impl Drop for RefreshTicket<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl<T: Clone> Cached<T> {
    pub fn new(ttl: Duration) -> Self {
        Cached {
            ttl,
            value: RwLock::new(None),
            refreshing: AtomicBool::new(false),
        }
    }

    fn current(&self) -> Option<(Instant, T)> {
        self.value.read().ok().and_then(|value| value.clone())
    }

    /// The kept value while fresh; otherwise loads, keeps and returns a new one. Errors
    /// are not kept, so the next request tries again.
    pub async fn get_or_load<F, E>(&self, load: impl FnOnce() -> F) -> Result<T, AppError>
    where
        F: Future<Output = Result<T, E>>,
        AppError: From<E>,
    {
        let ticket = match self.current() {
            Some((at, value)) if at.elapsed() < self.ttl => return Ok(value),
            Some((_, stale)) => {
                if self.refreshing.swap(true, Ordering::AcqRel) {
                    return Ok(stale); // another request is reloading it
                }
                Some(RefreshTicket(&self.refreshing))
            }
            // Nothing kept yet (start-up, or just invalidated): load without waiting.
            None => None,
        };
        let value = load().await?;
        if let Ok(mut slot) = self.value.write() {
            *slot = Some((Instant::now(), value.clone()));
        }
        drop(ticket);
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
    fn while_one_request_reloads_an_expired_value_the_others_get_the_previous_one() {
        let runtime = tokio_runtime();
        let cache = Arc::new(Cached::<u32>::new(Duration::from_millis(1)));
        let loads = Arc::new(AtomicUsize::new(0));
        runtime.block_on(async {
            assert_eq!(
                cache.get_or_load(|| async { Ok::<_, AppError>(1) }).await,
                Ok(1)
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
            let mut waiting = Vec::new();
            for _ in 0..8 {
                let (cache, loads) = (cache.clone(), loads.clone());
                waiting.push(async move {
                    cache
                        .get_or_load(|| async {
                            loads.fetch_add(1, Ordering::SeqCst);
                            tokio::task::yield_now().await;
                            Ok::<_, AppError>(2)
                        })
                        .await
                });
            }
            let results = futures_join_all(waiting).await;
            assert!(
                results.iter().all(|r| *r == Ok(1) || *r == Ok(2)),
                "{results:?}"
            );
            assert!(
                results.contains(&Ok(1)),
                "the others were served the previous value"
            );
        });
        assert_eq!(loads.load(Ordering::SeqCst), 1, "one reload for the crowd");
    }

    #[test]
    fn an_abandoned_reload_blocks_nobody() {
        let runtime = tokio_runtime();
        let cache = Cached::<u32>::new(Duration::from_millis(1));
        runtime.block_on(async {
            cache
                .get_or_load(|| async { Ok::<_, AppError>(1) })
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(5)).await;
            // A reload that never finishes, then is dropped (the client went away).
            let abandoned = cache.get_or_load(std::future::pending::<Result<u32, AppError>>);
            let timed_out = tokio::time::timeout(Duration::from_millis(10), abandoned).await;
            assert!(timed_out.is_err());
            assert_eq!(
                cache.get_or_load(|| async { Ok::<_, AppError>(3) }).await,
                Ok(3)
            );
            cache.invalidate();
            assert_eq!(
                cache.get_or_load(|| async { Ok::<_, AppError>(4) }).await,
                Ok(4)
            );
        });
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
            .enable_time()
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
