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
}

/// 200 when the database answers within a second, 503 otherwise (load balancers and the
/// run script read the status; people read the body).
pub async fn healthz(State(pool): State<PgPool>) -> impl IntoResponse {
    let database_ok = matches!(
        tokio::time::timeout(Duration::from_secs(1), ping(&pool)).await,
        Ok(Ok(()))
    );
    let (status, health) = if database_ok {
        (
            StatusCode::OK,
            Health {
                status: "ok",
                database: "ok",
            },
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Health {
                status: "degraded",
                database: "unavailable",
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
