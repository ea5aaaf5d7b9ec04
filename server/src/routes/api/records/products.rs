//! `GET /api/v1/products` and `/api/v1/products/{id}`: innovative products (创新产品).

use super::{api_record, page_url};
use super::{Coded, Named};
use crate::routes::api::ApiError;
use app::domain::{Certification, Industry, InsuranceStatus, Location, RecordStatus};
use app::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// An innovative product as the API gives it (version 1). Money in fen (分, 1/100 yuan);
/// dates are days in Beijing time (UTC+8); times are UTC.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProductV1 {
    pub id: i64,
    /// Its page on the site.
    pub url: String,
    /// `published`; an item may also be `in_notice`, `expired` or `withdrawn`.
    pub status: RecordStatus,
    pub name: String,
    pub description: String,
    pub specifications: String,
    /// Government-procurement item code (政府采购品目分类目录), e.g. `A02052301`.
    pub procurement_code: String,
    pub procurement_name: String,
    pub industry: Industry,
    pub price_min_fen: Option<i64>,
    pub price_max_fen: Option<i64>,
    /// What a price is for (`套`, `台`, …).
    pub price_unit: String,
    pub certifications: Vec<Certification>,
    pub patents: Vec<String>,
    /// A medical device: it then carries its registration certificate number.
    pub is_medical: bool,
    pub registration_certificate: Option<String>,
    pub insurance_status: Option<InsuranceStatus>,
    /// The last day the listing is valid.
    pub valid_until: Option<NaiveDate>,
    /// The listing's revision; a first purchase names the revision the buyer saw.
    pub revision: i32,
    /// The last day of its public notice, while in notice.
    pub notice_until: Option<NaiveDate>,
    pub published_at: Option<DateTime<Utc>>,
    /// The signing day of its first awarded first purchase (首购), if any.
    pub first_purchased_on: Option<NaiveDate>,
    /// The supplier.
    pub organisation: Named,
    /// The supplier's location code.
    pub location: Location,
    /// The catalogue batch it was (last) listed in.
    pub batch: Option<Coded>,
    /// When what this answer shows last changed (its own fields, its supplier, its batch,
    /// its first purchases).
    pub updated_at: DateTime<Utc>,
}

api_record!(ProductV1, "products", ProductFilters, ProductsPage);

/// Filters of `/api/v1/products`, as the search facets name them.
#[derive(Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductFilters {
    /// Only this supplier's products (an organisation id).
    organisation: Option<i64>,
    /// Only products listed in this catalogue batch (its code, e.g. `CZ-2026-P01`).
    batch: Option<String>,
    industry: Option<Industry>,
    /// The supplier's location.
    location: Option<Location>,
    certification: Option<Certification>,
    /// A procurement item code or the start of one (`A0205`).
    procurement: Option<String>,
    /// Only products with (`true`) or without (`false`) an awarded first purchase.
    first_purchased: Option<bool>,
}

/// Reads products ([`super::Fetch`]).
async fn fetch(query: super::Fetch<'_, ProductFilters>) -> Result<Vec<ProductV1>, sqlx::Error> {
    let super::Fetch {
        pool,
        site,
        window,
        filters,
        item,
    } = query;
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", status AS "status!: RecordStatus", name AS "name!",
                  description AS "description!", specifications AS "specifications!",
                  procurement_code AS "procurement_code!",
                  procurement_name AS "procurement_name!", industry AS "industry!: Industry",
                  price_min_fen, price_max_fen, price_unit AS "price_unit!",
                  certifications AS "certifications!: Vec<Certification>",
                  patents AS "patents!", is_medical AS "is_medical!", registration_certificate,
                  insurance_status AS "insurance_status: InsuranceStatus", valid_until,
                  revision AS "revision!", notice_until, published_at, first_purchased_on,
                  organisation_id AS "organisation_id!",
                  organisation_name AS "organisation_name!", location AS "location!: Location",
                  batch_id, batch_code, changed_at AS "changed_at!"
           FROM api_products p
           -- `id > $2` stands on its own so the keyset walks the primary key from
           -- there (inside a CASE it could not: every page rescanned from the first id).
           -- An item's window starts after 0.
           WHERE id > $2 AND ($1::bigint IS NULL OR id = $1)
             AND ($1::bigint IS NOT NULL OR listed)
             AND ($3::timestamptz IS NULL OR changed_at >= $3)
             AND ($4::bigint IS NULL OR organisation_id = $4)
             AND ($5::text IS NULL OR EXISTS (
                    SELECT 1 FROM product_listings l JOIN calls c ON c.id = l.call_id
                    WHERE l.product_id = p.id AND c.code = $5))
             AND ($6::text IS NULL OR industry = $6)
             AND ($7::text IS NULL OR location = $7)
             AND ($8::text IS NULL OR $8 = ANY (certifications::text[]))
             AND ($9::text IS NULL OR starts_with(procurement_code, $9))
             AND ($10::bool IS NULL OR (first_purchased_on IS NOT NULL) = $10)
           ORDER BY id
           LIMIT $11"#,
        item,
        window.after,
        window.since,
        filters.organisation,
        filters.batch.as_deref(),
        filters.industry.map(Industry::code),
        filters.location.map(Location::code),
        filters.certification.map(Certification::code),
        filters.procurement.as_deref(),
        filters.first_purchased,
        window.limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ProductV1 {
            id: row.id,
            url: page_url(site, &format!("/products/{}", row.id)),
            status: row.status,
            name: row.name,
            description: row.description,
            specifications: row.specifications,
            procurement_code: row.procurement_code,
            procurement_name: row.procurement_name,
            industry: row.industry,
            price_min_fen: row.price_min_fen,
            price_max_fen: row.price_max_fen,
            price_unit: row.price_unit,
            certifications: row.certifications,
            patents: row.patents,
            is_medical: row.is_medical,
            registration_certificate: row.registration_certificate,
            insurance_status: row.insurance_status,
            valid_until: row.valid_until,
            revision: row.revision,
            notice_until: row.notice_until,
            published_at: row.published_at,
            first_purchased_on: row.first_purchased_on,
            organisation: Named {
                id: row.organisation_id,
                name: row.organisation_name,
            },
            location: row.location,
            batch: row
                .batch_id
                .zip(row.batch_code)
                .map(|(id, code)| Coded { id, code }),
            updated_at: row.changed_at,
        })
        .collect())
}

/// Listed products in id order, a keyset page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/products",
    operation_id = "list_products",
    params(super::Paging, ProductFilters),
    responses(
        (status = 200, body = ProductsPage, description = "a keyset page of the collection, in id order, with `next_after` while more follow"),
        (status = 400, body = crate::routes::api::error::ErrorBody, description = "a parameter is unknown or invalid (`param` names it)"),
    )
)]
pub async fn collection(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    super::collection::<ProductV1>(&state, query.as_deref()).await
}

/// One product whose page is public (in notice, published, expired or withdrawn).
#[utoipa::path(
    get,
    path = "/api/v1/products/{id}",
    operation_id = "get_product",
    params(("id" = i64, Path, description = "the product's id")),
    responses(
        (status = 200, body = ProductV1, description = "the record, with its `status`", headers(("Last-Modified" = String, description = "its `updated_at` (RFC 9110 §8.8.2)"))),
        (status = 404, body = crate::routes::api::error::ErrorBody, description = "no such product, or not public"),
    )
)]
pub async fn item(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    super::item::<ProductV1>(&state, &id).await
}
