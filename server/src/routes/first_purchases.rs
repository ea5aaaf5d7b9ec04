//! First purchases: a buyer records one from the product's page
//! (`POST /products/{id}/first-purchases/new`, the form's page at the same address); the
//! record's page takes corrections, cancellation, disputes, answers and settlements
//! (`POST /first-purchases/{id}/{correct,cancel,dispute,stand-by,settle}`); the public
//! list exports as CSV and XLSX (`GET /first-purchases/export.{csv,xlsx}`).

mod export;

use super::accounts::reply::{reply_on, Posted};
use super::listed::Listed;
use crate::limits::{limit_export, Limiter};
use app::accounts::server::Refusal;
use app::error::AppError;
use app::first_purchases::changes;
use app::first_purchases::record::record_purchase;
use app::first_purchases::record_labels;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use http::Method;
use std::sync::Arc;

pub fn router(limiter: &Arc<Limiter>) -> Listed<AppState> {
    let export_budget = || axum::middleware::from_fn_with_state(Arc::clone(limiter), limit_export);
    Listed::default()
        .route(
            Method::POST,
            "/products/{id}/first-purchases/new",
            post(record),
        )
        .route(Method::POST, "/first-purchases/{id}/correct", post(correct))
        .route(Method::POST, "/first-purchases/{id}/cancel", post(cancel))
        .route(Method::POST, "/first-purchases/{id}/dispute", post(dispute))
        .route(
            Method::POST,
            "/first-purchases/{id}/stand-by",
            post(stand_by),
        )
        .route(Method::POST, "/first-purchases/{id}/settle", post(settle))
        .route(
            Method::GET,
            "/first-purchases/export.csv",
            get(export::export_csv).route_layer(export_budget()),
        )
        .route(
            Method::GET,
            "/first-purchases/export.xlsx",
            get(export::export_xlsx).route_layer(export_budget()),
        )
}

async fn record(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    let result = async {
        let product = id
            .parse::<app::domain::ProductId>()
            .map_err(|_| AppError::NotFound)?;
        let buyer = app::domain::parse_id(posted.get("organisation"))
            .ok()
            .map(app::domain::OrganisationId);
        let id = record_purchase(&state, &posted.caller(), product, buyer, &posted.fields).await?;
        // To the new record's page: where its files are added, and its product is a link.
        Ok(format!(
            "/first-purchases/{id}?notice=first_purchase_recorded"
        ))
    }
    .await;
    reply_on(&state, posted, None, |t| record_labels(t.locale), result).await
}

/// Runs a change of record `id` and returns to its page with the notice `run` names; a refusal shows
/// its errors on `page` (the form's own page: the correction form, else the record's).
async fn change<F, Fut>(
    state: AppState,
    id: String,
    posted: Posted,
    page: Option<&str>,
    run: F,
) -> Response
where
    F: FnOnce(AppState, app::auth::Caller, i64, Vec<(String, String)>) -> Fut,
    Fut: std::future::Future<Output = Result<&'static str, Refusal>>,
{
    let result = async {
        let id = app::domain::parse_id(&id).map_err(|_| AppError::NotFound)?;
        let notice = run(state.clone(), posted.caller(), id, posted.fields.clone()).await?;
        Ok(format!("/first-purchases/{id}?notice={notice}"))
    }
    .await;
    let record_page = format!("/first-purchases/{id}");
    let page = page.unwrap_or(&record_page);
    reply_on(
        &state,
        posted,
        Some(page),
        |t| record_labels(t.locale),
        result,
    )
    .await
}

async fn correct(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let page = format!("/first-purchases/{id}/correct");
    change(
        state,
        id,
        posted,
        Some(&page),
        |state, caller, id, fields| async move {
            let changed = changes::correct_purchase(&state, &caller, id, &fields).await?;
            Ok(if changed {
                "first_purchase_corrected"
            } else {
                "first_purchase_unchanged"
            })
        },
    )
    .await
}

async fn cancel(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    change(
        state,
        id,
        posted,
        None,
        |state, caller, id, fields| async move {
            changes::cancel_purchase(&state, &caller, id, &fields).await?;
            Ok("first_purchase_cancelled")
        },
    )
    .await
}

async fn dispute(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    change(
        state,
        id,
        posted,
        None,
        |state, caller, id, fields| async move {
            changes::dispute_purchase(&state, &caller, id, &fields).await?;
            Ok("first_purchase_disputed")
        },
    )
    .await
}

async fn stand_by(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    change(
        state,
        id,
        posted,
        None,
        |state, caller, id, fields| async move {
            changes::stand_by_purchase(&state, &caller, id, &fields).await?;
            Ok("dispute_answered")
        },
    )
    .await
}

async fn settle(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    change(
        state,
        id,
        posted,
        None,
        |state, caller, id, fields| async move {
            changes::settle_dispute(&state, &caller, id, &fields).await?;
            Ok("dispute_settled")
        },
    )
    .await
}
