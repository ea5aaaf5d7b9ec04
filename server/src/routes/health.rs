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
    /// `ok`, `degraded` (search does not answer) or `unavailable` (the database does not).
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
    /// Why not, when not (never a key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// How far the index is behind the catalogue, and how many records it refused.
    pub lag: Lag,
    /// The refused records (at most 20), with the backend's reason.
    pub dead_letters: Vec<DeadLetter>,
}

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
        detail: backend.detail.clone(),
        lag,
        dead_letters,
    });
    let scheduler = scheduler::states(&state.pool, &state.clock).await.ok();
    let health = Health {
        status: if backend.ok { "ok" } else { "degraded" },
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
