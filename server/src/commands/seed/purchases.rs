//! First-purchase records. 40 products are first-purchased (an awarded record, sometimes
//! after a cancelled attempt and followed by later buyers); 8 more have only cancelled or
//! nothing-suitable records, so they are not. Every record is signed on a date when the
//! product was eligible. The trigger keeps `products.first_purchased_on` by itself.

use super::organisations::Organisation;
use super::product_texts::Kind;
use super::products::Product;
use super::scenario_texts::affinity;
use super::scenarios::Scenario;
use super::support::{date_between, pick, DemoCalendar, SeedRng};
use anyhow::{Context, Result};
use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;
use sqlx::PgConnection;
use std::collections::BTreeMap;

const FIRST_PURCHASED: usize = 40;
const NOT_PURCHASED: usize = 8;

struct Record<'a> {
    product: &'a Product,
    buyer: &'a Organisation,
    route: &'static str,
    scenario_id: Option<i64>,
    signed_on: NaiveDate,
    outcome: &'static str,
}

pub async fn insert<'a>(
    conn: &mut PgConnection,
    cal: DemoCalendar,
    rng: &mut SeedRng,
    organisations: &'a [Organisation],
    products: &'a [Product],
    scenarios: &[Scenario],
) -> Result<usize> {
    let buyers: Vec<&'a Organisation> = organisations
        .iter()
        .filter(|o| o.verified && matches!(o.kind, "government_agency" | "public_institution"))
        .collect();
    // Products that were eligible for a while before the demo's last working day.
    let mut candidates: Vec<(&'a Product, NaiveDate, NaiveDate)> = products
        .iter()
        .filter(|p| matches!(p.status, "published" | "expired"))
        // Materials and components go into other products; agencies buy those.
        .filter(|p| p.kind != Kind::Material)
        .filter_map(|p| {
            let from = p.batch_valid.0.max(p.published_on?);
            let mut until = p.batch_valid.1.min(cal.date(2026, 11, 20));
            if let Some(valid_until) = p.valid_until {
                until = until.min(valid_until);
            }
            (until - from >= Duration::days(30)).then_some((p, from, until))
        })
        .collect();
    candidates.shuffle(rng);
    let mut records = Vec::new();
    for (index, &(product, from, until)) in candidates
        .iter()
        .take(FIRST_PURCHASED + NOT_PURCHASED)
        .enumerate()
    {
        let pool: Vec<&'a Organisation> = buyers
            .iter()
            .copied()
            .filter(|buyer| buys(buyer, product))
            .collect();
        let pool = &pool;
        let route = if product.first_set && rng.random_bool(0.5) {
            "first_set"
        } else {
            *pick(
                rng,
                &[
                    "catalogue",
                    "catalogue",
                    "first_purchase",
                    "first_purchase",
                    "commissioned_rd",
                ],
            )
        };
        let record = |buyer: &&'a Organisation, signed_on, outcome| Record {
            product,
            buyer,
            route,
            scenario_id: None,
            signed_on,
            outcome,
        };
        if index >= FIRST_PURCHASED {
            // Tried, never awarded: a cancelled tender, or nothing suitable was found.
            let outcome = if index % 2 == 0 {
                "cancelled"
            } else {
                "nothing_suitable"
            };
            records.push(record(
                pick(rng, pool),
                date_between(rng, from, until),
                outcome,
            ));
            if rng.random_bool(0.4) {
                records.push(record(
                    pick(rng, pool),
                    date_between(rng, from, until),
                    "cancelled",
                ));
            }
            continue;
        }
        let awarded_on = date_between(rng, from + Duration::days(10), until);
        // Some purchases answer a buyer's published scenario about the same thing.
        let answered: Vec<&Scenario> = scenarios
            .iter()
            .filter(|s| s.published_on.is_some_and(|day| day < awarded_on))
            .filter(|s| pool.iter().any(|buyer| buyer.id == s.organisation_id))
            .filter(|s| affinity(&product.text, &s.text) > 0)
            .collect();
        let scenario =
            (!answered.is_empty() && rng.random_bool(0.6)).then(|| *pick(rng, &answered));
        let first_buyer = match scenario {
            Some(s) => pool
                .iter()
                .find(|buyer| buyer.id == s.organisation_id)
                .expect("a buyer"),
            None => pick(rng, pool),
        };
        if rng.random_bool(0.25) {
            let attempt = date_between(rng, from, awarded_on - Duration::days(7));
            records.push(record(first_buyer, attempt, "cancelled"));
        }
        let mut first = record(first_buyer, awarded_on, "awarded");
        first.scenario_id = scenario.map(|s| s.id);
        records.push(first);
        if until - awarded_on > Duration::days(40) && rng.random_bool(0.35) {
            let later = date_between(rng, awarded_on + Duration::days(30), until);
            records.push(record(pick(rng, pool), later, "awarded"));
        }
    }
    records.sort_by_key(|record| (record.signed_on, record.product.id));
    let mut contract_serials: BTreeMap<i32, u32> = BTreeMap::new();
    for record in &records {
        insert_record(conn, cal, rng, record, &mut contract_serials).await?;
    }
    Ok(records.len())
}

/// Who plausibly buys a product of an industry first: hospitals buy medical devices,
/// hospitals and the CDC other biomedical equipment; IT by agencies and the other
/// institutions; energy by agencies, the city operations centre and hospitals; everything
/// else by agencies.
fn buys(buyer: &Organisation, product: &Product) -> bool {
    let health = buyer.name.ends_with("医院") || buyer.name.contains("疾病");
    match product.industry {
        _ if product.is_medical => buyer.name.ends_with("医院"),
        "biomedicine" => health,
        "artificial_intelligence" | "digital_economy" => !health,
        "new_energy" => !buyer.name.contains("疾病") && !buyer.name.contains("教育"),
        "aerospace_information" => {
            buyer.kind == "government_agency" || buyer.name.contains("城市运行")
        }
        _ => buyer.kind == "government_agency",
    }
}

async fn insert_record(
    conn: &mut PgConnection,
    cal: DemoCalendar,
    rng: &mut SeedRng,
    record: &Record<'_>,
    contract_serials: &mut BTreeMap<i32, u32>,
) -> Result<()> {
    let year = record.signed_on.year();
    let awarded = record.outcome == "awarded";
    let contract_number = awarded.then(|| {
        let serial = contract_serials
            .entry(year)
            .or_insert(rng.random_range(40..120));
        *serial += rng.random_range(1..9);
        format!("CZCG-{year}-{serial:04}")
    });
    let (min, max) = record.product.price_fen;
    let quantity = if awarded && !matches!(record.product.kind, Kind::Software | Kind::Service) {
        rng.random_range(1..=4)
    } else {
        1
    };
    let unit_price = rng.random_range(min..=max) / 100_000 * 100_000;
    let amount = awarded.then_some(unit_price * i64::from(quantity));
    // The award notice comes a few days before the contract; a failed tender is
    // announced on the day.
    let notice_on = if awarded {
        record.signed_on - Duration::days(rng.random_range(2..=10))
    } else {
        record.signed_on
    };
    let kind = if awarded { "cjgg" } else { "fbgg" };
    let notice_url = format!(
        "https://www.ccgp-jiangsu.gov.cn/ggxx/{kind}/changzhou/{}/t{}_{}.html",
        notice_on.year(),
        notice_on.format("%Y%m%d"),
        rng.random_range(1_000_000..9_999_999)
    );
    sqlx::query(
        "INSERT INTO first_purchases (product_id, product_revision, buyer_organisation_id,
             supplier_organisation_id, route, scenario_id, contract_number, signed_on,
             amount_fen, quantity, notice_on, notice_url, outcome, is_demo, created_at)
         VALUES ($1, 1, $2, $3, $4::purchase_route, $5, $6, $7, $8, $9, $10, $11,
             $12::purchase_outcome, true, $13)",
    )
    .bind(record.product.id)
    .bind(record.buyer.id)
    .bind(record.product.organisation_id)
    .bind(record.route)
    .bind(record.scenario_id)
    .bind(&contract_number)
    .bind(record.signed_on)
    .bind(amount)
    .bind(awarded.then_some(quantity))
    .bind(notice_on)
    .bind(&notice_url)
    .bind(record.outcome)
    // Recorded two days after signing (never after the day of loading), so the demo's
    // correction windows follow the demo's calendar, not the machine's clock.
    .bind(cal.morning((record.signed_on + Duration::days(2)).min(cal.today())))
    .execute(&mut *conn)
    .await
    .with_context(|| {
        format!(
            "inserting a first purchase of product {}",
            record.product.id
        )
    })?;
    Ok(())
}
