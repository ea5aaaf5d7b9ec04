//! What the search index holds of a record, read from Postgres (the source of truth).
//! Only published records (and verified organisations) become documents: asked for
//! anything else, `load` returns nothing, and the indexer removes it from the index.

pub use super::kind::DocumentKind;
use serde::Serialize;
use sqlx::{FromRow, PgPool};

/// A record in the index.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow, utoipa::ToSchema)]
pub struct SearchDocument {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    /// The agency that published it: the batch's agency for a product, the call's (or the
    /// buyer's own) for a scenario.
    pub agency_name: Option<String>,
    pub category: Option<String>,
    pub location: Option<String>,
    pub stage: Option<String>,
    pub eligible: bool,
    pub first_purchased: bool,
    pub batch_code: Option<String>,
    pub certifications: Vec<String>,
    pub amount_min_fen: Option<i64>,
    pub amount_max_fen: Option<i64>,
    pub open_until: Option<chrono::NaiveDate>,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl SearchDocument {
    /// The amount as a range for filtering: a record with one bound uses it for both, so
    /// that "between 10 and 50 万元" finds a product priced from 30 万元.
    pub fn amount_range(&self) -> (Option<i64>, Option<i64>) {
        (
            self.amount_min_fen.or(self.amount_max_fen),
            self.amount_max_fen.or(self.amount_min_fen),
        )
    }
}

/// 万元 (the unit of amount filters) in fen.
pub fn fen_of_wan(wan: u32) -> i64 {
    i64::from(wan) * 1_000_000
}

/// Dates are indexed as whole days since 1970-01-01, so both backends compare numbers.
pub fn days_since_epoch(date: chrono::NaiveDate) -> i64 {
    (date - chrono::NaiveDate::default()).num_days()
}

/// The inverse of `days_since_epoch`.
pub fn date_of_days(days: i64) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::default().checked_add_signed(chrono::TimeDelta::try_days(days)?)
}

/// A page of the public records of `kind` in id order, after `after`: the API's full
/// listings and the rebuilds of an index, with keyset pagination (stable while records
/// are added).
pub async fn public_page(
    pool: &PgPool,
    kind: DocumentKind,
    after: i64,
    limit: i64,
) -> Result<Vec<SearchDocument>, sqlx::Error> {
    let sql = match kind {
        DocumentKind::Product => {
            "SELECT id FROM products WHERE status = 'published' AND id > $1 ORDER BY id LIMIT $2"
        }
        DocumentKind::Scenario => {
            "SELECT id FROM scenarios WHERE status = 'published' AND id > $1 ORDER BY id LIMIT $2"
        }
        DocumentKind::Project => {
            "SELECT id FROM projects WHERE status = 'published' AND id > $1 ORDER BY id LIMIT $2"
        }
        DocumentKind::Organisation => {
            "SELECT id FROM organisations WHERE verified_at IS NOT NULL AND id > $1
             ORDER BY id LIMIT $2"
        }
    };
    let ids: Vec<i64> = sqlx::query_scalar(sql)
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    let mut documents = load(pool, kind, &ids).await?;
    documents.sort_by_key(|doc| doc.id);
    Ok(documents)
}

/// The documents of the given records that are public now, in no particular order.
pub async fn load(
    pool: &PgPool,
    kind: DocumentKind,
    ids: &[i64],
) -> Result<Vec<SearchDocument>, sqlx::Error> {
    let sql = match kind {
        DocumentKind::Product => {
            "SELECT p.id, p.name AS title,
                    concat_ws(' ', p.description, p.specifications, p.procurement_code,
                              p.procurement_name, array_to_string(p.patents, ' '),
                              p.registration_certificate, c.code) AS body,
                    o.id AS organisation_id, o.name AS organisation_name,
                    agency.name AS agency_name, p.industry::text AS category, o.location::text AS location, NULL::text AS stage,
                    first_purchase_eligible(p.status, p.published_at, p.valid_until, c.valid_from,
                                            c.valid_until, current_date) AS eligible,
                    p.first_purchased_on IS NOT NULL AS first_purchased,
                    c.code AS batch_code, p.certifications::text[] AS certifications,
                    p.price_min_fen AS amount_min_fen, p.price_max_fen AS amount_max_fen,
                    NULL::date AS open_until, p.published_at
             FROM products p
             JOIN organisations o ON o.id = p.organisation_id
             LEFT JOIN calls c ON c.id = p.call_id
             LEFT JOIN organisations agency ON agency.id = c.organisation_id
             WHERE p.id = ANY($1) AND p.status = 'published'"
        }
        DocumentKind::Scenario => {
            "SELECT s.id, s.title, concat_ws(' ', s.need, s.expected_outcome) AS body,
                    o.id AS organisation_id, o.name AS organisation_name,
                    COALESCE(agency.name, o.name) AS agency_name, s.sector::text AS category, s.location::text AS location, NULL::text AS stage,
                    false AS eligible, false AS first_purchased, c.code AS batch_code,
                    '{}'::text[] AS certifications,
                    s.budget_min_fen AS amount_min_fen, s.budget_max_fen AS amount_max_fen,
                    s.open_until, s.published_at
             FROM scenarios s
             JOIN organisations o ON o.id = s.organisation_id
             LEFT JOIN calls c ON c.id = s.call_id
             LEFT JOIN organisations agency ON agency.id = c.organisation_id
             WHERE s.id = ANY($1) AND s.status = 'published'"
        }
        DocumentKind::Project => {
            "SELECT p.id, p.name AS title,
                    concat_ws(' ', p.highlights, p.team, p.intellectual_property, p.traction) AS body,
                    o.id AS organisation_id, o.name AS organisation_name,
                    NULL::text AS agency_name, p.sector::text AS category, o.location::text AS location,
                    p.stage::text AS stage, false AS eligible, false AS first_purchased,
                    NULL::text AS batch_code, '{}'::text[] AS certifications,
                    p.financing_sought_fen AS amount_min_fen, p.financing_sought_fen AS amount_max_fen,
                    NULL::date AS open_until, p.published_at
             FROM projects p
             JOIN organisations o ON o.id = p.organisation_id
             WHERE p.id = ANY($1) AND p.status = 'published'"
        }
        DocumentKind::Organisation => {
            // The credit code is in the body so that it matches exactly.
            "SELECT o.id, o.name AS title, concat_ws(' ', o.description, o.credit_code) AS body,
                    o.id AS organisation_id, o.name AS organisation_name,
                    NULL::text AS agency_name, o.kind::text AS category, o.location::text AS location, NULL::text AS stage,
                    false AS eligible, false AS first_purchased, NULL::text AS batch_code,
                    '{}'::text[] AS certifications, NULL::bigint AS amount_min_fen,
                    NULL::bigint AS amount_max_fen, NULL::date AS open_until,
                    o.verified_at AS published_at
             FROM organisations o
             WHERE o.id = ANY($1) AND o.verified_at IS NOT NULL"
        }
    };
    sqlx::query_as(sql).bind(ids).fetch_all(pool).await
}
