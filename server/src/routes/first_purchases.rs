//! First purchases: a buyer records one from the product's page
//! (`POST /products/{id}/first-purchases/new`, the form's page at the same address).

use super::accounts::reply::{reply_on, Posted};
use super::listed::Listed;
use app::error::AppError;
use app::first_purchases::record::record_purchase;
use app::first_purchases::record_labels;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use http::Method;

pub fn router() -> Listed<AppState> {
    Listed::default().route(
        Method::POST,
        "/products/{id}/first-purchases/new",
        post(record),
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
        record_purchase(&state, &posted.caller(), product, buyer, &posted.fields).await?;
        Ok(format!(
            "/products/{product}?notice=first_purchase_recorded"
        ))
    }
    .await;
    reply_on(&state, posted, None, |t| record_labels(t.locale), result).await
}
