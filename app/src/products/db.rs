//! Queries behind the product pages. Only listed records (`record_is_listed`: published by
//! a verified organisation) are listed; a detail is returned only while its page is public
//! (`record_page_is_public`). "Today" (first-purchase eligibility) is the deployment's
//! day from the server's clock.

use super::types::*;
use super::ProductFilter;
use crate::domain::*;
use crate::listing::Page;
use crate::search::list::{in_order, ListQuery, ListedIds};
use crate::search::{DocumentKind, SearchBackend};
use sqlx::PgPool;

/// Columns of a product list row, in the order of the SELECTs below.
struct SummaryRow {
    id: ProductId,
    name: String,
    supplier_id: OrganisationId,
    supplier_name: String,
    industry: Industry,
    price_min_fen: Option<i64>,
    price_max_fen: Option<i64>,
    price_unit: String,
    certifications: Vec<Certification>,
    batch_code: Option<String>,
    eligible: bool,
    first_purchased_on: Option<chrono::NaiveDate>,
}

impl From<SummaryRow> for ProductSummary {
    fn from(row: SummaryRow) -> Self {
        ProductSummary {
            id: row.id,
            name: row.name,
            supplier: OrganisationRef {
                id: row.supplier_id,
                name: row.supplier_name,
            },
            industry: row.industry,
            price_min: row.price_min_fen.map(Money::from_fen),
            price_max: row.price_max_fen.map(Money::from_fen),
            price_unit: row.price_unit,
            certifications: row.certifications,
            batch_code: row.batch_code,
            eligible: row.eligible,
            first_purchased_on: row.first_purchased_on,
            government_traction: Default::default(),
        }
    }
}

/// Listed products matching `filter` (and of one supplier, if given), newest first,
/// `per_page` (at most [`PER_PAGE`](crate::listing::PER_PAGE)) at a time, with the number
/// that matched; eligibility as on `today`. The search index finds the page
/// (`search::list`); Postgres reads its rows, or the whole page when the index cannot
/// answer.
pub async fn list_published(
    pool: &PgPool,
    search: &SearchBackend,
    filter: &ProductFilter,
    per_page: u32,
    today: chrono::NaiveDate,
) -> Result<Page<ProductSummary>, sqlx::Error> {
    let query = ListQuery {
        category: filter.industry.map(|i| i.code().to_owned()),
        location: filter.location,
        organisation: filter.organisation.map(|id| id.0),
        procurement: filter.procurement.clone(),
        eligible: filter.eligible,
        first_purchased: filter.first_purchased,
        page: filter.page,
        ..ListQuery::all(DocumentKind::Product)
    };
    let listed = search
        .list_or_else(&query, listed_in_postgres(pool, &query, today))
        .await?;
    let ids: Vec<i64> = listed.ids.into_iter().take(per_page as usize).collect();
    let items = summaries(pool, &ids, today).await?;
    Ok(Page {
        items,
        total: listed.total,
        page: filter.page,
    })
}

/// The page of `query` as Postgres finds it, when the search index cannot. A procurement
/// category (canonical, so its stored forms with trailing `00` pairs start with it)
/// matches every code that starts with it: the category and all below it.
async fn listed_in_postgres(
    pool: &PgPool,
    query: &ListQuery,
    today: chrono::NaiveDate,
) -> Result<ListedIds, sqlx::Error> {
    let location = query.location.map(Location::code);
    sqlx::query_as!(
        ListedIds,
        r#"WITH matching AS (
               SELECT p.id, p.published_at
               FROM products p
               JOIN organisations o ON o.id = p.organisation_id
               LEFT JOIN calls c ON c.id = p.call_id
               CROSS JOIN first_purchase_policy pol
               WHERE record_is_listed(p.status, o.verified_at)
                 AND ($1::text IS NULL OR p.industry = $1)
                 AND ($2::text IS NULL OR o.location = $2)
                 AND (NOT $3 OR first_purchase_eligible(p.status, p.published_at, p.valid_until,
                                                        c.valid_from, c.valid_until, $6,
                                                        pol.batch_grace_days, pol.require_product_valid))
                 AND (NOT $4 OR p.first_purchased_on IS NOT NULL)
                 AND ($5::bigint IS NULL OR p.organisation_id = $5)
                 AND ($7::text IS NULL OR p.procurement_code LIKE $7 || '%'))
           SELECT (SELECT count(*) FROM matching) AS "total!",
                  ARRAY(SELECT id FROM matching ORDER BY published_at DESC, id DESC
                        LIMIT $8 OFFSET $9) AS "ids!""#,
        query.category,
        location,
        query.eligible,
        query.first_purchased,
        query.organisation,
        today,
        query.procurement,
        query.limit(),
        query.offset_rows(),
    )
    .fetch_one(pool)
    .await
}

/// The products `ids` that are still listed, in that order, with their government
/// traction; eligibility as on `today`.
async fn summaries(
    pool: &PgPool,
    ids: &[i64],
    today: chrono::NaiveDate,
) -> Result<Vec<ProductSummary>, sqlx::Error> {
    let rows = sqlx::query_as!(
        SummaryRow,
        r#"SELECT p.id AS "id: ProductId", p.name, o.id AS "supplier_id: OrganisationId",
                  o.name AS supplier_name, p.industry AS "industry!: Industry",
                  p.price_min_fen, p.price_max_fen, p.price_unit,
                  p.certifications::text[] AS "certifications!: Vec<Certification>",
                  c.code AS "batch_code?",
                  first_purchase_eligible(p.status, p.published_at, p.valid_until,
                                          c.valid_from, c.valid_until, $2,
                                          pol.batch_grace_days, pol.require_product_valid) AS "eligible!",
                  p.first_purchased_on
           FROM products p
           JOIN organisations o ON o.id = p.organisation_id
           LEFT JOIN calls c ON c.id = p.call_id
           CROSS JOIN first_purchase_policy pol
           WHERE p.id = ANY($1) AND record_is_listed(p.status, o.verified_at)"#,
        ids,
        today,
    )
    .fetch_all(pool)
    .await?;
    let items = in_order(ids, rows, |row| row.id.0);
    let traction = crate::traction::for_products(pool, ids).await?;
    Ok(items
        .into_iter()
        .map(|row| {
            let mut summary = ProductSummary::from(row);
            summary.government_traction = traction.get(&summary.id.0).copied().unwrap_or_default();
            summary
        })
        .collect())
}

/// A product whose page is public, with its eligibility on `today` and its "published
/// on" day in `zone` (the deployment's time zone).
pub async fn public_detail(
    pool: &PgPool,
    id: ProductId,
    today: chrono::NaiveDate,
    zone: chrono_tz::Tz,
) -> Result<Option<ProductDetail>, sqlx::Error> {
    let Some(row) = sqlx::query!(
        r#"SELECT p.id AS "id: ProductId", p.name, o.id AS "supplier_id: OrganisationId",
                  o.name AS supplier_name, o.location AS "supplier_location!: Location",
                  p.industry AS "industry!: Industry",
                  p.price_min_fen, p.price_max_fen, p.price_unit,
                  p.certifications::text[] AS "certifications!: Vec<Certification>",
                  first_purchase_eligible(p.status, p.published_at, p.valid_until,
                                          c.valid_from, c.valid_until, $2,
                                          pol.batch_grace_days, pol.require_product_valid) AS "eligible!",
                  p.first_purchased_on, p.status AS "status: RecordStatus", p.status_reason,
                  p.notice_until, p.procurement_code, p.procurement_name, p.description,
                  p.specifications, p.patents, p.is_medical, p.registration_certificate,
                  p.insurance_status AS "insurance_status: InsuranceStatus",
                  p.valid_until, p.published_at,
                  c.code AS "batch_code?", c.title AS "batch_title?",
                  c.valid_from AS "batch_valid_from?", c.valid_until AS "batch_valid_until?"
           FROM products p
           JOIN organisations o ON o.id = p.organisation_id
           LEFT JOIN calls c ON c.id = p.call_id
           CROSS JOIN first_purchase_policy pol
           WHERE p.id = $1 AND record_page_is_public(p.status, o.verified_at)"#,
        id.0,
        today,
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };

    let traction = crate::traction::load(pool, row.supplier_id, Some(id)).await?;
    let first_purchases = sqlx::query!(
        r#"SELECT f.id, b.id AS "buyer_id: OrganisationId", b.name AS buyer_name,
                  organisation_is_public(b.verified_at) AS "buyer_public!",
                  f.route AS "route: PurchaseRoute", f.outcome AS "outcome: PurchaseOutcome",
                  f.signed_on, f.contract_number, f.amount_fen, f.quantity, f.notice_on, f.notice_url,
                  EXISTS (SELECT 1 FROM first_purchase_disputes d
                          WHERE d.first_purchase_id = f.id
                            AND d.state IN ('open', 'stood_by')) AS "disputed!"
           FROM first_purchases f
           JOIN organisations b ON b.id = f.buyer_organisation_id
           WHERE f.product_id = $1
           ORDER BY f.signed_on, f.id"#,
        id.0,
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|f| FirstPurchaseEntry {
        id: f.id,
        disputed: f.disputed,
        buyer: OrganisationRef {
            id: f.buyer_id,
            name: f.buyer_name,
        },
        buyer_public: f.buyer_public,
        route: f.route,
        outcome: f.outcome,
        signed_on: f.signed_on,
        contract_number: f.contract_number,
        amount: f.amount_fen.map(Money::from_fen),
        quantity: f.quantity,
        notice_on: f.notice_on,
        notice_url: f.notice_url.filter(|url| crate::url::is_http_url(url)),
    })
    .collect();

    let listings = sqlx::query!(
        "SELECT c.code, c.title, c.valid_from, c.valid_until FROM product_listings l
         JOIN calls c ON c.id = l.call_id
         WHERE l.product_id = $1 ORDER BY l.listed_at, c.id",
        id.0,
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| BatchRef {
        code: row.code,
        title: row.title,
        valid_from: row.valid_from,
        valid_until: row.valid_until,
    })
    .collect();
    let notice_submission = sqlx::query_scalar!(
        "SELECT id FROM submissions
         WHERE record_kind = 'product' AND record_id = $1 AND state = 'in_notice'",
        id.0,
    )
    .fetch_optional(pool)
    .await?;
    let batch = row.batch_code.map(|code| BatchRef {
        code,
        title: row.batch_title.unwrap_or_default(),
        valid_from: row.batch_valid_from,
        valid_until: row.batch_valid_until,
    });
    Ok(Some(ProductDetail {
        summary: ProductSummary::from(SummaryRow {
            id: row.id,
            name: row.name,
            supplier_id: row.supplier_id,
            supplier_name: row.supplier_name,
            industry: row.industry,
            price_min_fen: row.price_min_fen,
            price_max_fen: row.price_max_fen,
            price_unit: row.price_unit,
            certifications: row.certifications,
            batch_code: batch.as_ref().map(|b| b.code.clone()),
            eligible: row.eligible,
            first_purchased_on: row.first_purchased_on,
        }),
        status: row.status,
        status_reason: row.status_reason,
        notice_until: row.notice_until,
        supplier_location: row.supplier_location,
        procurement_code: row.procurement_code,
        procurement_name: row.procurement_name,
        description: row.description,
        specifications: row.specifications,
        patents: row.patents,
        is_medical: row.is_medical,
        registration_certificate: row.registration_certificate,
        insurance_status: row.insurance_status,
        batch,
        listings,
        notice_submission,
        valid_until: row.valid_until,
        published_on: row
            .published_at
            .map(|at| at.with_timezone(&zone).date_naive()),
        first_purchases,
        attachments: crate::submissions::server::attachments::list(pool, "product", id.0).await?,
    })
    .map(|mut detail| {
        detail.summary.government_traction = traction;
        detail
    }))
}
