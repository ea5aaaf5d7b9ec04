//! 100 innovation and entrepreneurship projects from firms, research institutes and
//! incubators: 95 published, 3 draft, 2 withdrawn; about half share a contact.

use super::organisations::Organisation;
use super::project_texts::{sectors_for, technologies, CLAIMS, MILESTONES, SUFFIXES, TEAM_SOURCES};
use super::support::{date_between, pick, DemoCalendar, SeedRng};
use anyhow::{Context, Result};
use rand::seq::SliceRandom;
use rand::Rng;
use sqlx::PgConnection;
use std::collections::BTreeSet;

const STAGES: [(&str, usize, (i64, i64)); 5] = [
    // (stage, projects, financing sought in 万元)
    ("seed", 15, (200, 800)),
    ("angel", 25, (500, 2000)),
    ("series_a", 30, (2000, 5000)),
    ("series_b", 20, (3000, 10000)),
    ("later", 10, (5000, 10000)),
];
const STATUSES: [(&str, usize); 3] = [("published", 95), ("draft", 3), ("withdrawn", 2)];

pub struct ProjectText {
    pub highlights: String,
    pub team: String,
    pub intellectual_property: String,
    pub traction: String,
}

/// The four free-text parts of a project. Shared with `generate`.
pub fn project_text(rng: &mut SeedRng, technology: &str, stage: &str) -> ProjectText {
    let highlights = format!(
        "{technology}技术国内领先，{}。项目已完成{}，目标市场规模超{}亿元。",
        pick(rng, &CLAIMS),
        pick(rng, &MILESTONES),
        rng.random_range(20..=500)
    );
    let team = format!(
        "创始团队{}人，核心成员来自{}，研发人员占比{}%。项目负责人拥有{}年行业经验。",
        rng.random_range(8..=120),
        pick(rng, &TEAM_SOURCES),
        rng.random_range(35..=80),
        rng.random_range(8..=25)
    );
    let intellectual_property = format!(
        "已获授权发明专利{}项、实用新型专利{}项、软件著作权{}项，另有{}项发明专利在审。",
        rng.random_range(1..=30),
        rng.random_range(2..=40),
        rng.random_range(0..=20),
        rng.random_range(1..=15)
    );
    let traction = match stage {
        "seed" => format!(
            "已完成原型验证，与{}家潜在客户签订合作意向。",
            rng.random_range(2..=8)
        ),
        "angel" => format!(
            "已实现销售收入{}万元，产品在{}家单位试用。",
            rng.random_range(50..=800),
            rng.random_range(2..=15)
        ),
        _ => format!(
            "2025年营业收入{}万元，同比增长{}%；中标应用场景{}项，产品入选常州市创新产品推荐目录。",
            rng.random_range(1000..=30000),
            rng.random_range(15..=120),
            rng.random_range(1..=6)
        ),
    };
    ProjectText {
        highlights,
        team,
        intellectual_property,
        traction,
    }
}

pub async fn insert(
    conn: &mut PgConnection,
    cal: DemoCalendar,
    rng: &mut SeedRng,
    organisations: &[Organisation],
) -> Result<usize> {
    let owners: Vec<&Organisation> = organisations
        .iter()
        .filter(|o| {
            o.verified && matches!(o.kind, "enterprise" | "research_institute" | "incubator")
        })
        .collect();
    let mut stages: Vec<(&str, (i64, i64))> = STAGES
        .iter()
        .flat_map(|&(stage, n, range)| std::iter::repeat_n((stage, range), n))
        .collect();
    stages.shuffle(rng);
    let mut statuses: Vec<&str> = STATUSES
        .iter()
        .flat_map(|&(s, n)| std::iter::repeat_n(s, n))
        .collect();
    statuses.shuffle(rng);
    let mut days: Vec<_> = (0..stages.len())
        .map(|_| date_between(rng, cal.date(2025, 3, 3), cal.date(2026, 11, 20)))
        .collect();
    days.sort();
    let mut names = BTreeSet::new();
    for (((stage, (min_wan, max_wan)), status), day) in stages.into_iter().zip(statuses).zip(days) {
        let owner = *pick(rng, &owners);
        // A name not used yet; an owner whose sectors are used up takes any sector.
        let (sector, technology, name) = (0..)
            .find_map(|attempt| {
                let industry = if attempt < 40 { owner.industry } else { None };
                let sector = *pick(rng, sectors_for(industry));
                let technology = *pick(rng, technologies(sector));
                let name = format!("{technology}{}", pick(rng, &SUFFIXES));
                names
                    .insert(name.clone())
                    .then_some((sector, technology, name))
            })
            .expect("enough names");
        let text = project_text(rng, technology, stage);
        let financing = rng.random_range(min_wan / 50..=max_wan / 50) * 50 * 1_000_000;
        let form = *pick(
            rng,
            &[
                "equity",
                "equity",
                "equity",
                "equity",
                "equity",
                "equity",
                "convertible",
                "debt",
                "grant",
                "other",
            ],
        );
        let consent = rng.random_bool(0.5);
        let published_at = (status != "draft").then(|| cal.office_hours(day, rng));
        let reason = (status == "withdrawn").then_some("项目方撤回：本轮融资已完成");
        sqlx::query(
            "INSERT INTO projects (organisation_id, status, name, sector, stage,
                 financing_sought_fen, financing_form, highlights, team, intellectual_property,
                 traction, contact_consent, contact_phone, contact_email, published_at,
                 status_reason, is_demo)
             VALUES ($1, $2::record_status, $3, $4, $5::project_stage, $6, $7::financing_form,
                 $8, $9, $10, $11, $12, $13, $14, $15, $16, true)",
        )
        .bind(owner.id)
        .bind(status)
        .bind(&name)
        .bind(sector)
        .bind(stage)
        .bind(financing)
        .bind(form)
        .bind(&text.highlights)
        .bind(&text.team)
        .bind(&text.intellectual_property)
        .bind(&text.traction)
        .bind(consent)
        .bind(consent.then_some(&owner.phone))
        .bind(consent.then(|| format!("bp@{}.example.com", owner.slug)))
        .bind(published_at)
        .bind(reason)
        .execute(&mut *conn)
        .await
        .with_context(|| format!("inserting project {name}"))?;
    }
    Ok(STATUSES.iter().map(|&(_, n)| n).sum())
}
