//! 300 products across the four batches: 270 published (half of them in the two batches
//! valid on 2026-11-25, so eligible for first purchase), and a few in public notice,
//! expired, withdrawn, in review and draft. Each gets revision 1 with its snapshot.

use super::calls::Call;
use super::organisations::Organisation;
use super::product_texts::{of_industry, Kind};
use super::product_words::{
    certifications, description, patents, registration_certificate, specifications,
};
use super::support::{date_between, fen_range, pick, DemoCalendar, SeedRng};
use anyhow::{Context, Result};
use chrono::{Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;
use sqlx::PgConnection;
use std::collections::BTreeMap;

/// What a listing said at a revision: the fields a buyer saw. Shared with `generate`.
pub const SNAPSHOT_SQL: &str = "jsonb_build_object(
    'name', p.name, 'organisation_id', p.organisation_id, 'call_id', p.call_id,
    'procurement_code', p.procurement_code, 'procurement_name', p.procurement_name,
    'industry', p.industry, 'description', p.description, 'specifications', p.specifications,
    'price_min_fen', p.price_min_fen, 'price_max_fen', p.price_max_fen,
    'price_unit', p.price_unit, 'certifications', p.certifications, 'patents', p.patents,
    'is_medical', p.is_medical, 'registration_certificate', p.registration_certificate,
    'insurance_status', p.insurance_status, 'valid_until', p.valid_until)";

/// Products per industry; they add up to 300.
const QUOTAS: [(&str, usize); 9] = [
    ("intelligent_manufacturing", 60),
    ("new_materials", 35),
    ("integrated_circuits", 28),
    ("artificial_intelligence", 38),
    ("digital_economy", 40),
    ("biomedicine", 28),
    ("aerospace_information", 25),
    ("biological_breeding", 14),
    ("new_energy", 32),
];

/// Per batch (by index into the calls): published, expired, withdrawn, in notice, in
/// review, draft.
const PLAN: [[usize; 6]; 4] = [
    [60, 5, 2, 0, 0, 0],
    [75, 3, 2, 0, 0, 0],
    [70, 0, 2, 0, 0, 0],
    [65, 0, 0, 6, 5, 5],
];
const STATUSES: [&str; 6] = [
    "published",
    "expired",
    "withdrawn",
    "in_notice",
    "in_review",
    "draft",
];

const WITHDRAWAL_REASONS: [&str; 4] = [
    "企业申请撤回：产品已停产，由新一代型号替代",
    "企业申请撤回：生产线搬迁，暂停供货",
    "经核查，申报材料中的检测报告已超过有效期，予以撤销",
    "企业主动撤回，拟以升级型号在下一批次重新申报",
];

pub struct Product {
    pub id: i64,
    pub organisation_id: i64,
    pub industry: &'static str,
    pub name: String,
    pub status: &'static str,
    pub published_on: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    /// The batch's validity period.
    pub batch_valid: (NaiveDate, NaiveDate),
    pub price_fen: (i64, i64),
    pub is_medical: bool,
    pub first_set: bool,
    pub kind: Kind,
    /// What the product is and does, for matching it with scenarios.
    pub text: String,
}

/// When a batch's products were published: just before a batch becomes valid; the
/// rolling 2026 batch publishes after each monthly review.
fn published_window(cal: DemoCalendar, call: &Call) -> (NaiveDate, NaiveDate) {
    let (valid_from, _) = call.valid.expect("a product batch");
    if call.key == "CZCX-2026-01" {
        (cal.date(2026, 6, 20), cal.date(2026, 11, 20))
    } else {
        (
            valid_from - Duration::days(21),
            valid_from - Duration::days(6),
        )
    }
}

pub async fn insert(
    conn: &mut PgConnection,
    cal: DemoCalendar,
    rng: &mut SeedRng,
    organisations: &[Organisation],
    calls: &[Call],
) -> Result<Vec<Product>> {
    let mut industries: Vec<&'static str> = QUOTAS
        .iter()
        .flat_map(|&(industry, count)| std::iter::repeat_n(industry, count))
        .collect();
    industries.shuffle(rng);
    // Each industry's product lines in a shuffled order, used in turn so lines repeat
    // only after all have appeared.
    let mut lines: BTreeMap<&str, (Vec<_>, usize)> = BTreeMap::new();
    for (industry, _) in QUOTAS {
        let mut bases = of_industry(industry);
        bases.shuffle(rng);
        lines.insert(industry, (bases, 0));
    }
    let batches: Vec<&Call> = calls.iter().filter(|call| call.valid.is_some()).collect();
    let mut products = Vec::with_capacity(industries.len());
    let mut industry_iter = industries.into_iter();
    for (batch, plan) in batches.iter().zip(PLAN) {
        for (status, count) in STATUSES.into_iter().zip(plan) {
            for _ in 0..count {
                let industry = industry_iter.next().context("quotas match the plan")?;
                let (bases, next) = lines.get_mut(industry).expect("every industry has lines");
                let base = bases[*next % bases.len()];
                *next += 1;
                let suppliers: Vec<&Organisation> = organisations
                    .iter()
                    .filter(|o| o.industry == Some(industry) && (o.verified || status == "draft"))
                    .collect();
                let supplier = *pick(rng, &suppliers);
                let model = format!(
                    "{}-{}{}",
                    supplier.slug[..2].to_ascii_uppercase(),
                    base.model,
                    rng.random_range(1..=99) * 100
                );
                let name = format!("{}（{}）", base.name, model);
                let (window_from, window_until) = published_window(cal, batch);
                let published_on = matches!(status, "published" | "expired" | "withdrawn")
                    .then(|| date_between(rng, window_from, window_until));
                let valid_until = match status {
                    "expired" => Some(date_between(
                        rng,
                        published_on.unwrap() + Duration::days(270),
                        cal.date(2026, 10, 31),
                    )),
                    _ if rng.random_bool(0.25) => Some(date_between(
                        rng,
                        cal.date(2027, 3, 31),
                        cal.date(2029, 12, 31),
                    )),
                    _ => None,
                };
                let status_reason = match status {
                    "expired" => Some("产品自身有效期届满，自动转为过期"),
                    "withdrawn" => Some(*pick(rng, &WITHDRAWAL_REASONS)),
                    _ => None,
                };
                let notice_until = match status {
                    "in_notice" => Some(date_between(
                        rng,
                        cal.date(2026, 11, 27),
                        cal.date(2026, 12, 4),
                    )),
                    _ => published_on.map(|day| day - Duration::days(1)),
                };
                let (medical_class, medical_category) = match base.kind {
                    Kind::Medical { class, category } => (Some(class), category),
                    _ => (None, 0),
                };
                let certificate = medical_class
                    .map(|class| registration_certificate(rng, class, medical_category));
                let insurance = medical_class
                    .map(|_| *pick(rng, &["listed", "listed", "pending", "not_listed"]));
                let price = fen_range(rng, base.price_wan.0, base.price_wan.1);
                let certs = certifications(rng, base.kind, industry);
                let published_at = published_on.map(|day| cal.office_hours(day, rng));
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO products (organisation_id, call_id, status, name, procurement_code,
                         procurement_name, industry, description, specifications, price_min_fen,
                         price_max_fen, price_unit, certifications, patents, is_medical,
                         registration_certificate, insurance_status, valid_until, notice_until,
                         published_at, status_reason, is_demo)
                     VALUES ($1, $2, $3::record_status, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                         $13::text[]::certification[], $14, $15, $16, $17::insurance_status,
                         $18, $19, $20, $21, true)
                     RETURNING id",
                )
                .bind(supplier.id)
                .bind(batch.id)
                .bind(status)
                .bind(&name)
                .bind(base.procurement.0)
                .bind(base.procurement.1)
                .bind(industry)
                .bind(description(rng, base))
                .bind(specifications(rng, base))
                .bind(price.0)
                .bind(price.1)
                .bind(base.unit)
                .bind(&certs)
                .bind(patents(rng, base))
                .bind(medical_class.is_some())
                .bind(&certificate)
                .bind(insurance)
                .bind(valid_until)
                .bind(notice_until)
                .bind(published_at)
                .bind(status_reason)
                .fetch_one(&mut *conn)
                .await
                .with_context(|| format!("inserting product {name}"))?;
                products.push(Product {
                    id,
                    organisation_id: supplier.id,
                    industry,
                    name,
                    status,
                    published_on,
                    valid_until,
                    batch_valid: batch.valid.expect("a product batch"),
                    price_fen: price,
                    is_medical: medical_class.is_some(),
                    first_set: certs.contains(&"first_set"),
                    kind: base.kind,
                    text: format!("{}{}", base.name, base.purpose),
                });
            }
        }
    }
    let ids: Vec<i64> = products.iter().map(|product| product.id).collect();
    sqlx::query(&format!(
        "INSERT INTO product_revisions (product_id, revision, snapshot)
         SELECT p.id, 1, {SNAPSHOT_SQL} FROM products AS p WHERE p.id = ANY($1) ORDER BY p.id"
    ))
    .bind(&ids)
    .execute(&mut *conn)
    .await
    .context("inserting product revisions")?;
    Ok(products)
}
