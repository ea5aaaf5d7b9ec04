//! Generated products: each chunk of up to 10,000 is one `UNNEST` insert whose rows also
//! feed revision 1, the search outbox and the audit log.

use super::organisations::Organisation;
use super::{follow_up, Calls, CHUNK};
use crate::commands::seed::product_texts::{Base, Kind, BASES};
use crate::commands::seed::product_words::{
    certifications, description, patents, registration_certificate, specifications,
};
use crate::commands::seed::support::{date_between, fen_range, pick, DemoCalendar, SeedRng};
use crate::commands::seed::SNAPSHOT_SQL;
use anyhow::Result;
use rand::Rng;
use sqlx::PgConnection;
use std::collections::BTreeMap;

pub async fn insert(
    conn: &mut PgConnection,
    cal: DemoCalendar,
    rng: &mut SeedRng,
    organisations: &[Organisation],
    calls: &Calls,
    count: usize,
) -> Result<()> {
    let suppliers: Vec<&Organisation> = organisations
        .iter()
        .filter(|o| o.industry.is_some())
        .collect();
    // A supplier lists product lines of its own industry.
    let mut lines: BTreeMap<&str, Vec<&Base>> = BTreeMap::new();
    for base in BASES {
        lines.entry(base.industry).or_default().push(base);
    }
    let statement = format!(
        "WITH r AS (
             INSERT INTO products (organisation_id, call_id, status, name, procurement_code,
                 procurement_name, industry, description, specifications, price_min_fen,
                 price_max_fen, price_unit, certifications, patents, is_medical,
                 registration_certificate, insurance_status, notice_until, published_at, is_demo)
             SELECT o, c, 'published', n, pc, pn, i, d, s, lo, hi, u,
                 string_to_array(ce, ',')::certification[], string_to_array(pa, '|'),
                 rc IS NOT NULL, rc, ins::insurance_status, pub::date - 1, pub, true
             FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[],
                 $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::text[],
                 $12::text[], $13::text[], $14::text[], $15::text[], $16::timestamptz[])
                 AS t(o, c, n, pc, pn, i, d, s, lo, hi, u, ce, pa, rc, ins, pub)
             RETURNING *),
         v AS (INSERT INTO product_revisions (product_id, revision, snapshot)
               SELECT p.id, 1, {SNAPSHOT_SQL} FROM r AS p),
         l AS (INSERT INTO product_listings (product_id, call_id, listed_at)
               SELECT p.id, p.call_id, p.published_at FROM r AS p),
         {}",
        follow_up("product")
    );
    for start in (0..count).step_by(CHUNK) {
        let size = CHUNK.min(count - start);
        let mut columns = ProductColumns::default();
        for index in start..start + size {
            let supplier = suppliers[rng.random_range(0..suppliers.len())];
            let base = *pick(
                rng,
                &lines[supplier.industry.expect("a supplier's industry")],
            );
            let lapsed = rng.random_bool(0.5);
            columns.organisation.push(supplier.id);
            columns.call.push(if lapsed {
                calls.lapsed_batch
            } else {
                calls.valid_batch
            });
            columns
                .name
                .push(format!("{}（GN-{}{}）", base.name, base.model, index + 1));
            columns.procurement_code.push(base.procurement.0);
            columns.procurement_name.push(base.procurement.1);
            columns.industry.push(base.industry);
            columns.description.push(description(rng, base));
            columns.specifications.push(specifications(rng, base));
            let (low, high) = fen_range(rng, base.price_wan.0, base.price_wan.1);
            columns.price_min.push(low);
            columns.price_max.push(high);
            columns.unit.push(base.unit);
            columns
                .certifications
                .push(certifications(rng, base.kind, base.industry).join(","));
            columns.patents.push(patents(rng, base).join("|"));
            let medical = match base.kind {
                Kind::Medical { class, category } => {
                    Some(registration_certificate(rng, class, category))
                }
                _ => None,
            };
            columns.insurance.push(
                medical
                    .as_ref()
                    .map(|_| *pick(rng, &["listed", "pending", "not_listed"])),
            );
            columns.certificate.push(medical);
            let published = if lapsed {
                (cal.date(2024, 12, 1), cal.date(2024, 12, 20))
            } else {
                (cal.date(2025, 12, 1), cal.date(2026, 11, 20))
            };
            let day = date_between(rng, published.0, published.1);
            columns.published.push(cal.office_hours(day, rng));
        }
        let c = columns;
        sqlx::query(&statement)
            .bind(c.organisation)
            .bind(c.call)
            .bind(c.name)
            .bind(c.procurement_code)
            .bind(c.procurement_name)
            .bind(c.industry)
            .bind(c.description)
            .bind(c.specifications)
            .bind(c.price_min)
            .bind(c.price_max)
            .bind(c.unit)
            .bind(c.certifications)
            .bind(c.patents)
            .bind(c.certificate)
            .bind(c.insurance)
            .bind(c.published)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[derive(Default)]
struct ProductColumns {
    organisation: Vec<i64>,
    call: Vec<i64>,
    name: Vec<String>,
    procurement_code: Vec<&'static str>,
    procurement_name: Vec<&'static str>,
    industry: Vec<&'static str>,
    description: Vec<String>,
    specifications: Vec<String>,
    price_min: Vec<i64>,
    price_max: Vec<i64>,
    unit: Vec<&'static str>,
    certifications: Vec<String>,
    patents: Vec<String>,
    certificate: Vec<Option<String>>,
    insurance: Vec<Option<&'static str>>,
    published: Vec<chrono::DateTime<chrono::Utc>>,
}
