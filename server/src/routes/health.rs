//! `/healthz`: is the server up, and can it reach its database?

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;
use sqlx::PgPool;
use std::time::Duration;

#[derive(Serialize)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
    /// How far the search index is behind the catalogue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_lag: Option<SearchLag>,
}

#[derive(Serialize)]
pub struct SearchLag {
    pub pending: i64,
    pub oldest_pending_seconds: f64,
}

/// 200 when the database answers within a second, 503 otherwise (load balancers and the
/// run script read the status; people read the body).
pub async fn healthz(State(pool): State<PgPool>) -> impl IntoResponse {
    let database_ok = matches!(
        tokio::time::timeout(Duration::from_secs(1), ping(&pool)).await,
        Ok(Ok(()))
    );
    let (status, health) = if database_ok {
        let search_lag = crate::indexer::lag(&pool)
            .await
            .ok()
            .map(|(pending, oldest)| SearchLag {
                pending,
                oldest_pending_seconds: (oldest * 10.0).round() / 10.0,
            });
        (
            StatusCode::OK,
            Health {
                status: "ok",
                database: "ok",
                search_lag,
            },
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Health {
                status: "degraded",
                database: "unavailable",
                search_lag: None,
            },
        )
    };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(health))
}

async fn ping(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT 1 AS "one!""#)
        .fetch_one(pool)
        .await?;
    Ok(())
}
