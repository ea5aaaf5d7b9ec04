//! `GET /api/v1/first-purchases` and `/api/v1/first-purchases/{id}`: first-purchase
//! records (首购), the contracts public buyers signed for listed innovative products.

use super::{api_record, page_url};
use crate::routes::api::ApiError;
use app::domain::{PurchaseOutcome, PurchaseRoute};
use app::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A first-purchase record as the API gives it (version 1): the contract's facts, never
/// who recorded it or a person's contact. Money in fen (分); dates are days in Beijing
/// time (UTC+8); times UTC.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FirstPurchaseV1 {
    pub id: i64,
    /// Its page on the site.
    pub url: String,
    pub product_id: i64,
    pub product_name: String,
    /// The listing's revision the buyer saw.
    pub product_revision: i32,
    pub supplier_id: i64,
    pub supplier_name: String,
    /// The buyer's id while it is a verified organisation; its name always.
    pub buyer_id: Option<i64>,
    pub buyer_name: String,
    /// First purchase (首购), commissioned R&D (订购), catalogue purchase or first set.
    pub route: PurchaseRoute,
    /// The scenario the purchase answered, if any.
    pub scenario_id: Option<i64>,
    pub contract_number: Option<String>,
    pub signed_on: NaiveDate,
    pub amount_fen: Option<i64>,
    pub quantity: Option<i32>,
    /// The day and address of the award notice.
    pub notice_on: Option<NaiveDate>,
    pub notice_url: Option<String>,
    /// `awarded`, `cancelled` or `nothing_suitable`.
    pub outcome: PurchaseOutcome,
    pub recorded_at: DateTime<Utc>,
    pub corrected_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    /// When what this answer shows last changed (a correction, a cancellation, a dispute,
    /// the product's or an organisation's name).
    pub updated_at: DateTime<Utc>,
}

api_record!(
    FirstPurchaseV1,
    "first-purchases",
    FirstPurchaseFilters,
    FirstPurchasesPage
);

/// Filters of `/api/v1/first-purchases`.
#[derive(Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FirstPurchaseFilters {
    /// Only records of this product (its id).
    product: Option<i64>,
    /// Only records naming this supplier (an organisation id).
    supplier: Option<i64>,
    /// Only records naming this buyer (an organisation id).
    buyer: Option<i64>,
    route: Option<PurchaseRoute>,
    outcome: Option<PurchaseOutcome>,
    /// Only contracts signed on or after this day.
    signed_from: Option<NaiveDate>,
    /// Only contracts signed on or before this day.
    signed_to: Option<NaiveDate>,
}

/// Reads first-purchases ([`super::Fetch`]).
async fn fetch(
    query: super::Fetch<'_, FirstPurchaseFilters>,
) -> Result<Vec<FirstPurchaseV1>, sqlx::Error> {
    let super::Fetch {
        pool,
        site,
        window,
        filters,
        item,
    } = query;
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", product_id AS "product_id!", product_name AS "product_name!",
                  product_revision AS "product_revision!", supplier_id AS "supplier_id!",
                  supplier_name AS "supplier_name!", buyer_id, buyer_name AS "buyer_name!",
                  route AS "route!: PurchaseRoute", scenario_id, contract_number,
                  signed_on AS "signed_on!", amount_fen, quantity, notice_on, notice_url,
                  outcome AS "outcome!: PurchaseOutcome", recorded_at AS "recorded_at!",
                  corrected_at, cancelled_at, cancel_reason, changed_at AS "changed_at!"
           FROM api_first_purchases
           -- `id > $2` stands on its own so the keyset walks the primary key from
           -- there (inside a CASE it could not: every page rescanned from the first id).
           -- An item's window starts after 0.
           WHERE id > $2 AND ($1::bigint IS NULL OR id = $1)
             AND ($1::bigint IS NOT NULL OR listed)
             AND ($3::timestamptz IS NULL OR changed_at >= $3)
             AND ($4::bigint IS NULL OR product_id = $4)
             AND ($5::bigint IS NULL OR supplier_id = $5)
             AND ($6::bigint IS NULL OR buyer_id = $6)
             AND ($7::text IS NULL OR route::text = $7)
             AND ($8::text IS NULL OR outcome::text = $8)
             AND ($9::date IS NULL OR signed_on >= $9)
             AND ($10::date IS NULL OR signed_on <= $10)
           ORDER BY id
           LIMIT $11"#,
        item,
        window.after,
        window.since,
        filters.product,
        filters.supplier,
        filters.buyer,
        filters.route.map(PurchaseRoute::code),
        filters.outcome.map(PurchaseOutcome::code),
        filters.signed_from,
        filters.signed_to,
        window.limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| FirstPurchaseV1 {
            id: row.id,
            url: page_url(site, &format!("/first-purchases/{}", row.id)),
            product_id: row.product_id,
            product_name: row.product_name,
            product_revision: row.product_revision,
            supplier_id: row.supplier_id,
            supplier_name: row.supplier_name,
            buyer_id: row.buyer_id,
            buyer_name: row.buyer_name,
            route: row.route,
            scenario_id: row.scenario_id,
            contract_number: row.contract_number,
            signed_on: row.signed_on,
            amount_fen: row.amount_fen,
            quantity: row.quantity,
            notice_on: row.notice_on,
            notice_url: row.notice_url,
            outcome: row.outcome,
            recorded_at: row.recorded_at,
            corrected_at: row.corrected_at,
            cancelled_at: row.cancelled_at,
            cancel_reason: row.cancel_reason,
            updated_at: row.changed_at,
        })
        .collect())
}

/// Public first-purchase records in id order, a keyset page at a time (cancelled ones
/// included, with their outcome).
#[utoipa::path(
    get,
    path = "/api/v1/first-purchases",
    operation_id = "list_first_purchases",
    params(super::Paging, FirstPurchaseFilters),
    responses(
        (status = 200, body = FirstPurchasesPage, description = "a keyset page of the collection, in id order, with `next_after` while more follow"),
        (status = 400, body = crate::routes::api::error::ErrorBody, description = "a parameter is unknown or invalid (`param` names it)"),
    )
)]
pub async fn collection(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    super::collection::<FirstPurchaseV1>(&state, query.as_deref()).await
}

/// One public first-purchase record.
#[utoipa::path(
    get,
    path = "/api/v1/first-purchases/{id}",
    operation_id = "get_first_purchase",
    params(("id" = i64, Path, description = "the record's id")),
    responses(
        (status = 200, body = FirstPurchaseV1, description = "the record, with its `status`", headers(("Last-Modified" = String, description = "its `updated_at` (RFC 9110 §8.8.2)"))),
        (status = 404, body = crate::routes::api::error::ErrorBody, description = "no such record, or not public"),
    )
)]
pub async fn item(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    super::item::<FirstPurchaseV1>(&state, &id).await
}
