//! `/first-purchases`: every public record (its product's page is public), filtered by
//! buying agency, supplier, route, outcome, year of signing, industry and the supplier's
//! district, sorted by signing date, with the totals of the filter; the same filter
//! exports the list as CSV (`/first-purchases/export.csv`). Never a person's contact data.

use crate::domain::{
    Industry, Location, Money, OrganisationId, ProductId, PurchaseOutcome, PurchaseRoute,
};
use crate::error::AppError;
use crate::listing::{optional_code, page_number, QueryParams};
use crate::products::OrganisationRef;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The most rows one export holds; a wider filter is cut there (the file says so).
pub const MAX_EXPORT_ROWS: i64 = 10_000;

/// Signing date order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignedOrder {
    /// Newest first (the default).
    #[default]
    Newest,
    Oldest,
}

impl std::str::FromStr for SignedOrder {
    type Err = ();
    fn from_str(text: &str) -> Result<Self, ()> {
        match text {
            "newest" => Ok(SignedOrder::Newest),
            "oldest" => Ok(SignedOrder::Oldest),
            _ => Err(()),
        }
    }
}

/// A year of signing, 2000 to 2100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Year(pub i32);

impl std::str::FromStr for Year {
    type Err = ();
    fn from_str(text: &str) -> Result<Self, ()> {
        match text.parse::<i32>() {
            Ok(year) if (2000..=2100).contains(&year) => Ok(Year(year)),
            _ => Err(()),
        }
    }
}

/// The list's filter, as the plain GET form sends it. Errors name the parameter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseFilter {
    pub buyer: Option<OrganisationId>,
    pub supplier: Option<OrganisationId>,
    pub route: Option<PurchaseRoute>,
    pub outcome: Option<PurchaseOutcome>,
    pub year: Option<Year>,
    pub industry: Option<Industry>,
    /// The supplier's district.
    pub district: Option<Location>,
    pub order: SignedOrder,
    pub page: u32,
}

impl PurchaseFilter {
    pub fn from_query(params: &(impl QueryParams + ?Sized)) -> Result<Self, AppError> {
        Ok(PurchaseFilter {
            buyer: optional_code(params, "buyer")?,
            supplier: optional_code(params, "supplier")?,
            route: optional_code(params, "route")?,
            outcome: optional_code(params, "outcome")?,
            year: optional_code(params, "year")?,
            industry: optional_code(params, "industry")?,
            district: optional_code(params, "district")?,
            order: optional_code(params, "sort")?.unwrap_or_default(),
            page: page_number(params)?,
        })
    }

    /// The filter as query pairs, without the page (the pager and the export link).
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let text = |value: Option<String>| value.unwrap_or_default();
        vec![
            ("buyer", text(self.buyer.map(|id| id.to_string()))),
            ("supplier", text(self.supplier.map(|id| id.to_string()))),
            ("route", text(self.route.map(|r| r.code().to_owned()))),
            ("outcome", text(self.outcome.map(|o| o.code().to_owned()))),
            ("year", text(self.year.map(|y| y.0.to_string()))),
            ("industry", text(self.industry.map(|i| i.code().to_owned()))),
            ("district", text(self.district.map(|l| l.code().to_owned()))),
            (
                "sort",
                match self.order {
                    SignedOrder::Newest => String::new(),
                    SignedOrder::Oldest => "oldest".to_owned(),
                },
            ),
        ]
    }
}

/// One record in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseLine {
    pub id: i64,
    pub product: ProductId,
    pub product_name: String,
    pub supplier: OrganisationRef,
    pub buyer: OrganisationRef,
    pub route: PurchaseRoute,
    pub outcome: PurchaseOutcome,
    /// Beijing date.
    pub signed_on: NaiveDate,
    pub amount: Option<Money>,
    pub quantity: Option<i32>,
    /// A dispute is under way: the record is contested.
    pub disputed: bool,
}

/// What the filter matched: every record, and the awarded ones with their amount.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub records: i64,
    pub awarded: i64,
    /// The sum of the awarded records' amounts (records without one add nothing).
    pub awarded_amount: Money,
}

/// A page of the list with the filter's totals and the choices of its selects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurchaseList {
    pub page: crate::listing::Page<PurchaseLine>,
    pub totals: Totals,
    /// Buying agencies and suppliers with public records (id, name), by name.
    pub buyers: Vec<(i64, String)>,
    pub suppliers: Vec<(i64, String)>,
    /// Years with records, newest first.
    pub years: Vec<i32>,
}

/// One exported row: a line and the contract's public facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub line: PurchaseLine,
    pub supplier_credit_code: Option<String>,
    pub contract_number: Option<String>,
    pub notice_on: Option<NaiveDate>,
    pub notice_url: Option<String>,
}

#[cfg(feature = "ssr")]
pub use db::{export_rows, list};

#[cfg(feature = "ssr")]
mod db {
    use super::*;
    use sqlx::PgPool;

    /// The filter's binds, in the order every query here takes them ($1…$7).
    struct Binds {
        buyer: Option<i64>,
        supplier: Option<i64>,
        route: Option<PurchaseRoute>,
        outcome: Option<PurchaseOutcome>,
        year: Option<i32>,
        industry: Option<&'static str>,
        district: Option<&'static str>,
        oldest_first: bool,
    }

    fn binds(filter: &PurchaseFilter) -> Binds {
        Binds {
            buyer: filter.buyer.map(|id| id.0),
            supplier: filter.supplier.map(|id| id.0),
            route: filter.route,
            outcome: filter.outcome,
            year: filter.year.map(|y| y.0),
            industry: filter.industry.map(Industry::code),
            district: filter.district.map(Location::code),
            oldest_first: filter.order == SignedOrder::Oldest,
        }
    }

    /// A page of the list and the filter's totals.
    pub async fn list(pool: &PgPool, filter: &PurchaseFilter) -> Result<PurchaseList, sqlx::Error> {
        let b = binds(filter);
        let totals = sqlx::query!(
            r#"SELECT count(*) AS "records!",
                      count(*) FILTER (WHERE f.outcome = 'awarded') AS "awarded!",
                      COALESCE(sum(f.amount_fen) FILTER (WHERE f.outcome = 'awarded'), 0)::bigint AS "amount!"
               FROM first_purchases f
               JOIN products p ON p.id = f.product_id
               JOIN organisations s ON s.id = f.supplier_organisation_id
               WHERE record_page_is_public(p.status, s.verified_at)
                 AND ($1::bigint IS NULL OR f.buyer_organisation_id = $1)
                 AND ($2::bigint IS NULL OR f.supplier_organisation_id = $2)
                 AND ($3::purchase_route IS NULL OR f.route = $3)
                 AND ($4::purchase_outcome IS NULL OR f.outcome = $4)
                 AND ($5::int IS NULL OR extract(year FROM f.signed_on) = $5)
                 AND ($6::text IS NULL OR p.industry = $6)
                 AND ($7::text IS NULL OR s.location = $7)"#,
            b.buyer,
            b.supplier,
            b.route as Option<PurchaseRoute>,
            b.outcome as Option<PurchaseOutcome>,
            b.year,
            b.industry,
            b.district,
        )
        .fetch_one(pool)
        .await?;
        let items = rows(
            pool,
            &b,
            crate::listing::PER_PAGE.into(),
            crate::listing::Page::<()>::offset(filter.page),
        )
        .await?
        .into_iter()
        .map(|row| row.line)
        .collect();
        let buyers = sqlx::query!(
            r#"SELECT DISTINCT b.id, b.name FROM first_purchases f
               JOIN products p ON p.id = f.product_id
               JOIN organisations s ON s.id = f.supplier_organisation_id
               JOIN organisations b ON b.id = f.buyer_organisation_id
               WHERE record_page_is_public(p.status, s.verified_at) ORDER BY b.name"#
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
        let suppliers = sqlx::query!(
            r#"SELECT DISTINCT s.id, s.name FROM first_purchases f
               JOIN products p ON p.id = f.product_id
               JOIN organisations s ON s.id = f.supplier_organisation_id
               WHERE record_page_is_public(p.status, s.verified_at) ORDER BY s.name"#
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
        let years = sqlx::query_scalar!(
            r#"SELECT DISTINCT extract(year FROM f.signed_on)::int AS "year!" FROM first_purchases f
               JOIN products p ON p.id = f.product_id
               JOIN organisations s ON s.id = f.supplier_organisation_id
               WHERE record_page_is_public(p.status, s.verified_at)
               ORDER BY 1 DESC"#
        )
        .fetch_all(pool)
        .await?;
        Ok(PurchaseList {
            page: crate::listing::Page {
                items,
                total: totals.records,
                page: filter.page,
            },
            totals: Totals {
                records: totals.records,
                awarded: totals.awarded,
                awarded_amount: Money::from_fen(totals.amount),
            },
            buyers,
            suppliers,
            years,
        })
    }

    /// Every row of the filter, in its order, up to [`MAX_EXPORT_ROWS`] + 1 (so the caller
    /// knows the file was cut).
    pub async fn export_rows(
        pool: &PgPool,
        filter: &PurchaseFilter,
    ) -> Result<Vec<ExportRow>, sqlx::Error> {
        rows(pool, &binds(filter), MAX_EXPORT_ROWS + 1, 0).await
    }

    async fn rows(
        pool: &PgPool,
        b: &Binds,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ExportRow>, sqlx::Error> {
        Ok(sqlx::query!(
            r#"SELECT f.id, f.product_id AS "product: ProductId", p.name AS product_name,
                      s.id AS "supplier_id: OrganisationId", s.name AS supplier_name,
                      s.credit_code AS "credit_code?",
                      b.id AS "buyer_id: OrganisationId", b.name AS buyer_name,
                      f.route AS "route: PurchaseRoute", f.outcome AS "outcome: PurchaseOutcome",
                      f.signed_on, f.amount_fen, f.quantity, f.contract_number, f.notice_on,
                      f.notice_url,
                      EXISTS (SELECT 1 FROM first_purchase_disputes d
                              WHERE d.first_purchase_id = f.id
                                AND d.state IN ('open', 'stood_by')) AS "disputed!"
               FROM first_purchases f
               JOIN products p ON p.id = f.product_id
               JOIN organisations s ON s.id = f.supplier_organisation_id
               JOIN organisations b ON b.id = f.buyer_organisation_id
               WHERE record_page_is_public(p.status, s.verified_at)
                 AND ($1::bigint IS NULL OR f.buyer_organisation_id = $1)
                 AND ($2::bigint IS NULL OR f.supplier_organisation_id = $2)
                 AND ($3::purchase_route IS NULL OR f.route = $3)
                 AND ($4::purchase_outcome IS NULL OR f.outcome = $4)
                 AND ($5::int IS NULL OR extract(year FROM f.signed_on) = $5)
                 AND ($6::text IS NULL OR p.industry = $6)
                 AND ($7::text IS NULL OR s.location = $7)
               ORDER BY CASE WHEN $8 THEN f.signed_on END ASC,
                        CASE WHEN NOT $8 THEN f.signed_on END DESC,
                        CASE WHEN $8 THEN f.id END ASC,
                        CASE WHEN NOT $8 THEN f.id END DESC
               LIMIT $9 OFFSET $10"#,
            b.buyer,
            b.supplier,
            b.route as Option<PurchaseRoute>,
            b.outcome as Option<PurchaseOutcome>,
            b.year,
            b.industry,
            b.district,
            b.oldest_first,
            limit,
            offset,
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|row| ExportRow {
            line: PurchaseLine {
                id: row.id,
                product: row.product,
                product_name: row.product_name,
                supplier: OrganisationRef {
                    id: row.supplier_id,
                    name: row.supplier_name,
                },
                buyer: OrganisationRef {
                    id: row.buyer_id,
                    name: row.buyer_name,
                },
                route: row.route,
                outcome: row.outcome,
                signed_on: row.signed_on,
                amount: row.amount_fen.map(Money::from_fen),
                quantity: row.quantity,
                disputed: row.disputed,
            },
            supplier_credit_code: row.credit_code,
            contract_number: row.contract_number,
            notice_on: row.notice_on,
            notice_url: row.notice_url.filter(|url| crate::url::is_http_url(url)),
        })
        .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_survives_its_query_pairs_and_names_a_bad_parameter() {
        let params: &[(&str, &str)] = &[
            ("buyer", "7"),
            ("route", "commissioned_rd"),
            ("year", "2026"),
            ("district", "320411"),
            ("sort", "oldest"),
        ];
        let filter = PurchaseFilter::from_query(params).unwrap();
        assert_eq!(filter.route, Some(PurchaseRoute::CommissionedRd));
        assert_eq!(filter.order, SignedOrder::Oldest);
        let pairs = filter.query_pairs();
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(PurchaseFilter::from_query(&borrowed[..]).unwrap(), filter);
        for (name, value) in [
            ("year", "1999"),
            ("outcome", "won"),
            ("sort", "price"),
            ("buyer", "x"),
        ] {
            let params: &[(&str, &str)] = &[(name, value)];
            assert_eq!(
                PurchaseFilter::from_query(params),
                Err(AppError::InvalidParameter { param: name.into() }),
                "{name}={value}"
            );
        }
    }
}
