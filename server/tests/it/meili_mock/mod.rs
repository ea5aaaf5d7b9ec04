//! An HTTP-level mock of the Meilisearch 1.50 API, for testing the app's Meilisearch client
//! without a Meilisearch binary.
//!
//! It is built from exchanges recorded from a real Meilisearch 1.50 (`fixtures/`, a copy of
//! `/work/shared/meilisearch-1.50-fixtures/`): it answers every request shown there with the
//! real status and body, which `tests/replay.rs` checks by replaying them all. Every request
//! received is recorded, so tests can check what the client sent.
//!
//! Where it simplifies (each module says more):
//! - Writes are tasks, answered 202 as in Meilisearch, but the mock does the work at once;
//!   the task log then reports them as done (or `processing` for a few polls, on request).
//! - Word matching and ranking stand in for Meilisearch's tokenizer and ranking rules
//!   (`text.rs`, `search/ranking.rs`): deterministic, and giving the fixtures' hits in the
//!   fixtures' order.
//!
//! Layout: `routes.rs` dispatches (and has the small routes), `auth.rs` checks keys,
//! `documents.rs`, `settings.rs`, `tasks.rs`, `search/` and `multi_search.rs` serve the
//! routes of those names, `filter/` parses and evaluates filters, `text.rs` matches words,
//! `state.rs` holds the data, `errors.rs` shapes errors; `tests/` are the mock's own tests.

mod auth;
mod documents;
mod errors;
mod filter;
mod multi_search;
mod routes;
mod search;
mod settings;
mod state;
mod tasks;
mod tests;
mod text;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use auth::ApiKey;
use errors::MeiliError;
use state::Store;

/// A request as the mock received it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub method: String,
    /// The path with its query string, as sent (percent-encoded).
    pub path: String,
    /// The JSON body; `Null` when empty; a JSON string holding the text when not JSON.
    pub body: Value,
    /// The bearer token sent, if any.
    pub api_key: Option<String>,
}

/// A running mock; it stops when `stop` is called or when dropped.
pub struct MeiliMock {
    url: String,
    store: Arc<Mutex<Store>>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

/// Larger than any test sends; the real default limit is 100 MB too.
const BODY_LIMIT: usize = 100 * 1024 * 1024;

impl MeiliMock {
    /// Starts a mock on a free port of 127.0.0.1. `master_key` may do anything.
    pub async fn start(master_key: &str) -> MeiliMock {
        MeiliMock::start_on(master_key, "127.0.0.1:0".parse().unwrap()).await
    }

    /// Starts a mock on `address` (a server told to use it may be running already).
    pub async fn start_on(master_key: &str, address: std::net::SocketAddr) -> MeiliMock {
        let store = Arc::new(Mutex::new(Store::new(master_key)));
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .expect("a free port for the Meilisearch mock");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = Router::new().fallback(handle).with_state(store.clone());
        let (shutdown, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .expect("the Meilisearch mock serves");
        });
        MeiliMock {
            url,
            store,
            shutdown: Some(shutdown),
            server: Some(server),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    /// Adds an API key, as Meilisearch has them: `actions` like `*`, `search`,
    /// `documents.add`, `documents.*`, `indexes.create`, `settings.update`, `tasks.get`,
    /// `stats.get`, `version`; `indexes` like `*`, `site1_*` or exact names.
    pub fn add_key(&self, key: &str, actions: &[&str], indexes: &[&str]) {
        let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        self.store().keys.insert(
            key.to_string(),
            ApiKey {
                actions: strings(actions),
                indexes: strings(indexes),
            },
        );
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.store().requests.clone()
    }

    pub fn clear_requests(&self) {
        self.store().requests.clear();
    }

    /// While `Some(status)`, every request (`/health` too) gets that status and a
    /// Meilisearch-shaped error body: an outage. Requests are still recorded.
    pub fn set_failing(&self, status: Option<u16>) {
        self.store().failing = status;
    }

    /// Makes the next `n` document additions (`POST`/`PUT .../documents`) end in a failed
    /// task (`code: internal`) that changes nothing.
    pub fn fail_next_document_tasks(&self, n: usize) {
        self.store().failing_document_tasks = n;
    }

    /// Tasks enqueued from now on are reported `processing` by their first `polls` reads of
    /// `GET /tasks/{uid}` (fixture 04), as by a busy server; 0 (the default) reports them
    /// done at once. Their effect is visible at once either way.
    pub fn set_task_polls_before_done(&self, polls: usize) {
        self.store().task_polls_before_done = polls;
    }

    /// The most tasks that were enqueued and not yet reported done by a poll of `GET
    /// /tasks/{uid}` at any one moment: how many a client had in flight at once (tasks it
    /// never polls count as in flight for good).
    pub fn most_tasks_in_flight(&self) -> usize {
        self.store().most_tasks_in_flight
    }

    /// The next `n` reads of an index (`GET /indexes/{uid}`) are answered only once all `n`
    /// have arrived, as when `n` servers start at the same moment: they all see the same
    /// state (an index still missing, which each then tries to create). A read that waits
    /// more than 10 seconds for the others is answered anyway.
    pub fn hold_index_lookups(&self, n: usize) {
        let mut store = self.store();
        store.held_lookups = n;
        store.lookup_barrier = Some(Arc::new(tokio::sync::Barrier::new(n)));
    }

    /// The documents of an index, in the order they were first added.
    pub fn documents(&self, index: &str) -> Vec<Value> {
        self.store()
            .indexes
            .get(index)
            .map(|i| i.documents.iter().cloned().map(Value::Object).collect())
            .unwrap_or_default()
    }

    /// The full settings of an index, as `GET /indexes/{uid}/settings` returns them.
    pub fn settings(&self, index: &str) -> Option<Value> {
        self.store()
            .indexes
            .get(index)
            .map(|i| Value::Object(i.settings.clone()))
    }

    pub fn primary_key(&self, index: &str) -> Option<String> {
        self.store()
            .indexes
            .get(index)
            .and_then(|i| i.primary_key.clone())
    }

    /// The indexes, sorted by name.
    pub fn index_names(&self) -> Vec<String> {
        self.store().indexes.keys().cloned().collect()
    }

    /// Every task, oldest first, as `GET /tasks/{uid}` shows them.
    pub fn tasks(&self) -> Vec<Value> {
        self.store().tasks.iter().map(|t| t.view()).collect()
    }

    /// Stops the server: later requests fail to connect.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = self.server.take() {
            // Graceful shutdown closes idle keep-alive connections at once; the timeout only
            // guards against a client holding a request open.
            let abort = server.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), server)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for MeiliMock {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// A test that panicked while holding the lock must not break the others.
fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn handle(State(store): State<Arc<Mutex<Store>>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let held = lock(&store).held(&parts);
    if let Some(barrier) = held {
        let _ = tokio::time::timeout(Duration::from_secs(10), barrier.wait()).await;
    }
    let Ok(body) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        let error = MeiliError::invalid(
            413,
            "payload_too_large",
            "The provided payload reached the size limit.",
        );
        return error_response(&error);
    };
    let mut store = lock(&store);
    store.record(&parts, &body);
    if let Some(status) = store.failing {
        return error_response(&MeiliError::outage(status));
    }
    match routes::dispatch(&mut store, &routes::Req::new(&parts, &body)) {
        Some(Ok((status, body))) => (status_code(status), Json(body)).into_response(),
        Some(Err(error)) => error_response(&error),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn error_response(error: &MeiliError) -> Response {
    (status_code(error.status), Json(error.body())).into_response()
}
