//! About 120 answers (proposals) from firms and research institutes to published
//! scenarios: products that fit the need are offered by their suppliers, and firms of a
//! fitting industry send proposals of their own.

use super::organisations::Organisation;
use super::product_texts::industry_label;
use super::products::Product;
use super::scenario_texts::{affinity, industries_for};
use super::scenarios::Scenario;
use super::support::{pick, DemoCalendar, SeedRng};
use anyhow::{Context, Result};
use rand::seq::SliceRandom;
use rand::Rng;
use sqlx::PgConnection;

const TARGET: usize = 120;

struct Answer<'a> {
    scenario: &'a Scenario,
    firm: &'a Organisation,
    product: Option<&'a Product>,
}

fn plan<'a>(
    rng: &mut SeedRng,
    organisations: &'a [Organisation],
    products: &'a [Product],
    scenarios: &'a [Scenario],
) -> Vec<Answer<'a>> {
    let mut answered: Vec<&Scenario> = scenarios
        .iter()
        .filter(|s| matches!(s.status, "published" | "expired"))
        .collect();
    answered.shuffle(rng);
    let mut answers = Vec::new();
    for scenario in answered {
        let mut fitting: Vec<(usize, &Product)> = products
            .iter()
            .filter(|p| p.status == "published")
            .map(|p| (affinity(&p.text, &scenario.text), p))
            .filter(|&(score, _)| score > 0)
            .collect();
        fitting.shuffle(rng);
        fitting.sort_by_key(|&(score, _)| std::cmp::Reverse(score));
        let mut firms: Vec<i64> = Vec::new();
        for (_, product) in fitting.into_iter().take(rng.random_range(1..=2)) {
            if !firms.contains(&product.organisation_id) {
                firms.push(product.organisation_id);
                let firm = organisations
                    .iter()
                    .find(|o| o.id == product.organisation_id)
                    .expect("supplier");
                answers.push(Answer {
                    scenario,
                    firm,
                    product: Some(product),
                });
            }
        }
        let industries = industries_for(scenario.sector);
        let mut proposers: Vec<&Organisation> = organisations
            .iter()
            .filter(|o| {
                o.verified
                    && o.industry.is_some_and(|i| industries.contains(&i))
                    && !firms.contains(&o.id)
            })
            .collect();
        proposers.shuffle(rng);
        let proposals = rng.random_range(usize::from(firms.is_empty())..=2);
        for firm in proposers.into_iter().take(proposals) {
            answers.push(Answer {
                scenario,
                firm,
                product: None,
            });
        }
        if answers.len() >= TARGET {
            answers.truncate(TARGET);
            break;
        }
    }
    // Inserted scenario by scenario, as they would arrive.
    answers.sort_by_key(|answer| (answer.scenario.id, answer.firm.id));
    answers
}

pub async fn insert(
    conn: &mut PgConnection,
    cal: DemoCalendar,
    rng: &mut SeedRng,
    organisations: &[Organisation],
    products: &[Product],
    scenarios: &[Scenario],
) -> Result<usize> {
    let answers = plan(rng, organisations, products, scenarios);
    for Answer {
        scenario,
        firm,
        product,
    } in &answers
    {
        let months = rng.random_range(2..=6);
        let summary = match product {
            Some(product) => format!(
                "我司{}可直接应用于“{}”场景，已在{}家单位部署运行。计划{months}个月内完成试点部署，并提供{}年免费运维服务。",
                product.name,
                scenario.title,
                rng.random_range(3..=40),
                rng.random_range(1..=3)
            ),
            None => format!(
                "依托{}在{}领域的技术积累，针对“{}”提出整体解决方案，拟分两期实施，首期{months}个月内完成试点验证。",
                firm.name,
                industry_label(firm.industry.unwrap_or_default()),
                scenario.title
            ),
        };
        let closed = scenario.status == "expired" || scenario.open_until < cal.today();
        let status = if closed {
            *pick(rng, &["shortlisted", "declined", "declined", "sent"])
        } else {
            *pick(
                rng,
                &["sent", "sent", "sent", "shortlisted", "draft", "withdrawn"],
            )
        };
        sqlx::query(
            "INSERT INTO scenario_answers (scenario_id, organisation_id, product_id, summary,
                 status, is_demo)
             VALUES ($1, $2, $3, $4, $5::answer_status, true)",
        )
        .bind(scenario.id)
        .bind(firm.id)
        .bind(product.map(|product| product.id))
        .bind(&summary)
        .bind(status)
        .execute(&mut *conn)
        .await
        .with_context(|| format!("inserting an answer to scenario {}", scenario.id))?;
    }
    Ok(answers.len())
}
