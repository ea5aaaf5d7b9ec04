//! `/healthz`: is the server up, can it reach its database and its search backend, how far
//! is the search index behind, what did the index refuse, and when do scheduled steps run.
//!
//! The status is 200 when the database answers (pages work), 503 when it does not. A
//! search backend that does not answer makes the body say `"degraded"` without failing the
//! check: pages other than search still work, so a load balancer should keep the server.

use crate::indexer::{self, DeadLetter, Lag};
use crate::scheduler::{self, StepState};
use app::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;
use sqlx::PgPool;
use std::time::Duration;

#[derive(Serialize)]
pub struct Health {
    /// `ok`; `degraded` when search does not answer, a scheduled step is overdue by more
    /// than 5 minutes or changes have waited for the index that long (pages still work);
    /// `unavailable` when the database does not answer.
    pub status: &'static str,
    /// `ok` or `unavailable`.
    pub database: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<SearchHealth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduler: Option<Vec<StepState>>,
}

#[derive(Serialize)]
pub struct SearchHealth {
    /// `embedded` or `meilisearch`.
    pub backend: &'static str,
    /// `ok` or `unavailable`.
    pub status: &'static str,
    /// Why not, when not: a kind of failure (never an address, a key or the backend's
    /// own message).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<&'static str>,
    /// How far the index is behind the catalogue, and how many records it refused.
    pub lag: Lag,
    /// The refused records (at most 20), with the backend's reason.
    pub dead_letters: Vec<DeadLetter>,
}

/// How late scheduled work or index updates may be before the server says it is degraded.
const OVERDUE_MINUTES: i64 = 5;

pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let database_ok = matches!(
        tokio::time::timeout(Duration::from_secs(1), ping(&state.pool)).await,
        Ok(Ok(()))
    );
    if !database_ok {
        let health = Health {
            status: "unavailable",
            database: "unavailable",
            search: None,
            scheduler: None,
        };
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CACHE_CONTROL, "no-store")],
            Json(health),
        );
    }
    let backend = state.search.health().await;
    let lag = indexer::lag(&state.pool).await.ok();
    let dead_letters = indexer::dead_letters(&state.pool, 20)
        .await
        .unwrap_or_default();
    let search = lag.map(|lag| SearchHealth {
        backend: backend.backend,
        status: if backend.ok { "ok" } else { "unavailable" },
        detail: backend.detail,
        lag,
        dead_letters,
    });
    let scheduler = scheduler::states(&state.pool, &state.clock).await.ok();
    // Work that should have happened and did not: a step overdue by minutes (its task
    // stopped or keeps failing), or changes waiting for the index for minutes.
    let now = state.clock.now();
    let overdue = scheduler
        .iter()
        .flatten()
        .any(|step| now - step.next_run_at > chrono::TimeDelta::minutes(OVERDUE_MINUTES));
    let lagging = lag.is_some_and(|lag| lag.oldest_pending_seconds > (OVERDUE_MINUTES * 60) as f64);
    let health = Health {
        status: if backend.ok && !overdue && !lagging {
            "ok"
        } else {
            "degraded"
        },
        database: "ok",
        search,
        scheduler,
    };
    (
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-store")],
        Json(health),
    )
}

async fn ping(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT 1 AS "one!""#)
        .fetch_one(pool)
        .await?;
    Ok(())
}
