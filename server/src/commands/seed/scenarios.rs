//! 175 application scenarios: 160 published (the policy asks for more than 150), a few in
//! public notice, expired, withdrawn, in review and draft. Agencies and public
//! institutions publish most; a few firms publish needs of their own plants.

use super::calls::Call;
use super::organisations::Organisation;
use super::scenario_texts::{ScenarioBase, CALL_TO_ACTION, SCENARIOS};
use super::support::{date_between, fen_range, pick, DemoCalendar, SeedRng};
use anyhow::{Context, Result};
use chrono::{Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;
use sqlx::PgConnection;
use std::collections::{BTreeMap, BTreeSet};

pub struct Scenario {
    pub id: i64,
    pub organisation_id: i64,
    pub status: &'static str,
    pub sector: &'static str,
    pub title: String,
    pub open_until: NaiveDate,
    pub published_on: Option<NaiveDate>,
    /// Title, need and outcome, for matching with products.
    pub text: String,
}

const SECTOR_COUNTS: [(&str, usize); 10] = [
    ("smart_manufacturing", 24),
    ("digital", 20),
    ("urban_governance", 22),
    ("health", 20),
    ("transport", 16),
    ("energy", 16),
    ("environment", 16),
    ("education", 14),
    ("culture_tourism", 12),
    ("agriculture", 15),
];
const STATUS_COUNTS: [(&str, usize); 6] = [
    ("published", 160),
    ("in_notice", 4),
    ("expired", 4),
    ("withdrawn", 3),
    ("in_review", 2),
    ("draft", 2),
];
const WITHDRAWAL_REASONS: [&str; 3] = [
    "发布单位撤回：项目预算调整，需求暂缓实施",
    "发布单位撤回：需求已通过其他渠道解决",
    "发布单位撤回：实施地点调整，拟重新发布",
];

/// Firms whose own plants have manufacturing or energy needs.
const PLANT_INDUSTRIES: [&str; 4] = [
    "intelligent_manufacturing",
    "new_materials",
    "integrated_circuits",
    "new_energy",
];

fn district(location: &str) -> &'static str {
    match location {
        "320402" => "天宁区",
        "320404" => "钟楼区",
        "320411" => "新北区",
        "320412" => "武进区",
        "320413" => "金坛区",
        "320481" => "溧阳市",
        "cz-edz" => "经开区",
        "cz-hitech" => "高新区",
        _ => "常州市",
    }
}

/// Who publishes a sector's needs: hospitals and the CDC for health, the schools' centre
/// and agencies for education, agencies and the city operations centre otherwise; local
/// firms now and then for their own plants and energy.
fn publishers<'a>(
    rng: &mut SeedRng,
    organisations: &'a [Organisation],
    sector: &str,
) -> Vec<&'a Organisation> {
    let firms_too = matches!(sector, "smart_manufacturing" | "energy") && rng.random_bool(0.3);
    organisations
        .iter()
        .filter(|o| o.verified)
        .filter(|o| match (o.kind, sector) {
            ("public_institution", "health") => o.name.ends_with("医院") || o.name.contains("疾病"),
            (_, "health") => false,
            ("public_institution", "education") => o.name.contains("教育"),
            ("public_institution", _) => o.name.contains("城市运行"),
            ("government_agency", _) => !firms_too,
            ("enterprise", _) => {
                firms_too
                    && o.location != "outside"
                    && o.industry.is_some_and(|i| PLANT_INDUSTRIES.contains(&i))
            }
            _ => false,
        })
        .collect()
}

/// A title not used yet: the plain need first, then with the district, then as a
/// second or third phase.
fn unique_title(taken: &mut BTreeSet<String>, title: &str, location: &str) -> String {
    let place = district(location);
    let candidates = [
        title.to_owned(),
        format!("{place}{title}"),
        format!("{title}（二期）"),
        format!("{place}{title}（二期）"),
        format!("{title}（三期）"),
        format!("{place}{title}（三期）"),
    ];
    let mut phase = 4;
    let mut chosen = candidates
        .into_iter()
        .find(|candidate| !taken.contains(candidate));
    while chosen.is_none() {
        let candidate = format!("{place}{title}（第{phase}期）");
        phase += 1;
        chosen = (!taken.contains(&candidate)).then_some(candidate);
    }
    let chosen = chosen.expect("a free title");
    taken.insert(chosen.clone());
    chosen
}

pub async fn insert(
    conn: &mut PgConnection,
    cal: DemoCalendar,
    rng: &mut SeedRng,
    organisations: &[Organisation],
    calls: &[Call],
) -> Result<Vec<Scenario>> {
    let call = |code: &str| {
        calls
            .iter()
            .find(|call| call.key == code)
            .expect("seeded call")
    };
    let mut sectors: Vec<&str> = SECTOR_COUNTS
        .iter()
        .flat_map(|&(s, n)| std::iter::repeat_n(s, n))
        .collect();
    sectors.shuffle(rng);
    let mut bases: BTreeMap<&str, (Vec<&ScenarioBase>, usize)> = BTreeMap::new();
    for base in &SCENARIOS {
        bases.entry(base.0).or_default().0.push(base);
    }
    for (list, _) in bases.values_mut() {
        list.shuffle(rng);
    }
    // Publication dates first, so that ids follow the order of publication.
    let mut plan: Vec<(&str, NaiveDate)> = Vec::new();
    for (status, count) in STATUS_COUNTS {
        for _ in 0..count {
            let (from, until) = match status {
                "published" => (cal.date(2025, 5, 12), cal.date(2026, 11, 20)),
                "expired" => (cal.date(2025, 5, 12), cal.date(2025, 12, 31)),
                "withdrawn" => (cal.date(2025, 8, 1), cal.date(2026, 9, 30)),
                _ => (cal.date(2026, 11, 1), cal.date(2026, 11, 24)),
            };
            plan.push((status, date_between(rng, from, until)));
        }
    }
    plan.sort_by_key(|&(status, day)| (day, status));
    let mut taken = BTreeSet::new();
    let mut scenarios = Vec::with_capacity(plan.len());
    for ((status, day), sector) in plan.into_iter().zip(sectors) {
        let (list, next) = bases.get_mut(sector).expect("every sector has needs");
        let &(_, title, need, outcome) = list[*next % list.len()];
        *next += 1;
        let candidates = publishers(rng, organisations, sector);
        let publisher = *pick(rng, &candidates);
        let title = unique_title(&mut taken, title, publisher.location);
        let published = matches!(status, "published" | "expired" | "withdrawn");
        let call_id = match status {
            "in_notice" | "in_review" => Some(call("CJZJ-2026-02").id),
            _ if !published => None,
            _ if day >= cal.date(2025, 7, 1)
                && day <= cal.date(2025, 9, 30)
                && rng.random_bool(0.7) =>
            {
                Some(call("CJZJ-2025-01").id)
            }
            _ if day >= cal.date(2026, 7, 15)
                && day <= cal.date(2026, 9, 30)
                && rng.random_bool(0.7) =>
            {
                Some(call("CJZJ-2026-01").id)
            }
            _ if day >= cal.date(2026, 10, 8) && rng.random_bool(0.7) => {
                Some(call("CJZJ-2026-02").id)
            }
            _ => None,
        };
        let notice_until = match status {
            "in_notice" => Some(date_between(
                rng,
                cal.date(2026, 11, 27),
                cal.date(2026, 12, 3),
            )),
            _ if published && call_id.is_some() => Some(day - Duration::days(1)),
            _ => None,
        };
        let open_until = match status {
            "expired" => date_between(rng, day + Duration::days(60), cal.date(2026, 6, 30)),
            "published" if rng.random_bool(0.25) => {
                date_between(rng, day + Duration::days(30), cal.date(2026, 11, 20))
            }
            _ => date_between(rng, cal.date(2026, 12, 10), cal.date(2027, 9, 30)),
        };
        let budget = rng.random_bool(0.85).then(|| fen_range(rng, 20, 500));
        let status_reason = match status {
            "expired" => Some("征集期届满，需求已完成对接"),
            "withdrawn" => Some(*pick(rng, &WITHDRAWAL_REASONS)),
            _ => None,
        };
        let published_at = published.then(|| cal.office_hours(day, rng));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO scenarios (organisation_id, call_id, status, title, sector, need,
                 expected_outcome, budget_min_fen, budget_max_fen, location, open_until,
                 contact_phone, contact_email, notice_until, published_at, status_reason, is_demo)
             VALUES ($1, $2, $3::record_status, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
                 $14, $15, $16, true)
             RETURNING id",
        )
        .bind(publisher.id)
        .bind(call_id)
        .bind(status)
        .bind(&title)
        .bind(sector)
        .bind(format!("{need}。{CALL_TO_ACTION}"))
        .bind(format!("{outcome}，形成可复制、可推广的应用模式。"))
        .bind(budget.map(|(min, _)| min))
        .bind(budget.map(|(_, max)| max))
        .bind(publisher.location)
        .bind(open_until)
        .bind(&publisher.phone)
        .bind(&publisher.email)
        .bind(notice_until)
        .bind(published_at)
        .bind(status_reason)
        .fetch_one(&mut *conn)
        .await
        .with_context(|| format!("inserting scenario {title}"))?;
        scenarios.push(Scenario {
            id,
            organisation_id: publisher.id,
            status,
            sector,
            text: format!("{title}{need}{outcome}"),
            title,
            open_until,
            published_on: published.then_some(day),
        });
    }
    Ok(scenarios)
}
