//! Generated organisations (every kind, all verified) and the calls their records go in.
//! Credit codes are built from a number that grows across runs, so they stay unique.

use super::Calls;
use crate::commands::seed::support::{office_phone, pick, DemoCalendar, SeedRng};
use anyhow::{Context, Result};
use app::domain::credit_code::{CreditCode, ALPHABET};
use sqlx::PgConnection;
use std::collections::BTreeMap;

pub struct Organisation {
    pub id: i64,
    pub kind: &'static str,
    pub location: &'static str,
    pub industry: Option<&'static str>,
    pub phone: String,
    pub email: String,
}

const LOCATIONS: [&str; 10] = [
    "320400",
    "320402",
    "320404",
    "320411",
    "320412",
    "320413",
    "320481",
    "cz-edz",
    "cz-hitech",
    "outside",
];
const PLACES: [&str; 9] = [
    "常州市",
    "天宁区",
    "钟楼区",
    "新北区",
    "武进区",
    "金坛区",
    "溧阳市",
    "常州经开区",
    "常州高新区",
];
const WORDS: [&str; 20] = [
    "星", "恒", "瑞", "华", "泰", "科", "创", "源", "博", "达", "天", "宇", "凯", "盛", "新", "拓",
    "智", "鑫", "锐", "航",
];
const DEPARTMENTS: [&str; 8] = [
    "工业和信息化局",
    "科学技术局",
    "财政局",
    "住房和城乡建设局",
    "交通运输局",
    "生态环境局",
    "教育局",
    "农业农村局",
];
const INSTITUTIONS: [&str; 5] = [
    "人民医院",
    "中医医院",
    "疾病预防控制中心",
    "城市运行管理中心",
    "教育装备中心",
];
const INDUSTRIES: [(&str, &str); 9] = [
    ("intelligent_manufacturing", "智能装备"),
    ("new_materials", "新材料"),
    ("integrated_circuits", "微电子"),
    ("artificial_intelligence", "智能科技"),
    ("digital_economy", "信息技术"),
    ("biomedicine", "生物医药"),
    ("aerospace_information", "空天科技"),
    ("biological_breeding", "种业科技"),
    ("new_energy", "新能源科技"),
];

/// The kind of the n-th organisation: 60 % enterprises, 10 % each agencies, public
/// institutions and research institutes, 5 % each incubators and investors.
fn kind_of(index: usize) -> &'static str {
    match index % 20 {
        0 | 1 => "government_agency",
        2 | 3 => "public_institution",
        4 | 5 => "research_institute",
        6 => "incubator",
        7 => "investment_institution",
        _ => "enterprise",
    }
}

/// Six code characters for a number, so that bodies never repeat.
fn base31(mut number: u64) -> String {
    let mut characters = [b'0'; 6];
    for slot in characters.iter_mut().rev() {
        *slot = ALPHABET[(number % 31) as usize];
        number /= 31;
    }
    String::from_utf8(characters.to_vec()).expect("ASCII")
}

pub async fn insert(
    conn: &mut PgConnection,
    cal: DemoCalendar,
    rng: &mut SeedRng,
    count: usize,
) -> Result<Vec<Organisation>> {
    // Above every existing id, so codes from earlier runs are never repeated; seeded bodies
    // start MA/MJ/0/4 and generated ones MD, so they never meet either.
    let offset: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM organisations")
        .fetch_one(&mut *conn)
        .await?;
    let (mut kinds, mut names, mut codes, mut locations, mut phones, mut emails) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut pending = BTreeMap::new();
    for index in 0..count {
        let kind = kind_of(index);
        let serial = offset as u64 + index as u64 + 1;
        let public_body = matches!(kind, "government_agency" | "public_institution");
        let location = if public_body {
            LOCATIONS[index % 9]
        } else {
            LOCATIONS[index % 10]
        };
        let industry =
            matches!(kind, "enterprise" | "research_institute").then(|| INDUSTRIES[index % 9]);
        let (w1, w2) = (pick(rng, &WORDS), pick(rng, &WORDS));
        let name = match kind {
            "government_agency" => format!("{}{}", pick(rng, &PLACES), pick(rng, &DEPARTMENTS)),
            "public_institution" => format!("{}{}", pick(rng, &PLACES), pick(rng, &INSTITUTIONS)),
            "research_institute" => format!("常州{w1}{w2}{}产业技术研究院", industry.unwrap().1),
            "incubator" => format!("常州{w1}{w2}创业孵化器有限公司"),
            "investment_institution" => format!("常州{w1}{w2}创业投资有限公司"),
            _ => format!(
                "{}{w1}{w2}{}有限公司",
                pick(rng, &["常州", "常州", "常州", "溧阳", "苏州", "南京"]),
                industry.unwrap().1
            ),
        };
        let prefix = match kind {
            "government_agency" => "11",
            "public_institution" | "research_institute" => "12",
            _ => "91",
        };
        let division = if location.starts_with("32") {
            location
        } else {
            "320400"
        };
        let code = CreditCode::compose(prefix, division, &format!("MD{}", base31(serial)))
            .context("code")?
            .to_string();
        let area_code = if location == "outside" {
            "0512"
        } else {
            "0519"
        };
        phones.push(office_phone(rng, area_code));
        emails.push(format!("office@org{serial}.example.com"));
        pending.insert(
            code.clone(),
            (kind, location, industry.map(|(code, _)| code), index),
        );
        kinds.push(kind);
        names.push(name);
        codes.push(code);
        locations.push(location);
    }
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "INSERT INTO organisations (kind, name, credit_code, location, verified_at,
             public_phone, public_email, description, is_demo)
         SELECT k::organisation_kind, n, c, l, $7, p, e,
             '基准测试生成的机构。', true
         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
             AS t(k, n, c, l, p, e)
         RETURNING id, credit_code",
    )
    .bind(&kinds)
    .bind(&names)
    .bind(&codes)
    .bind(&locations)
    .bind(&phones)
    .bind(&emails)
    .bind(cal.office_hours(cal.date(2026, 1, 5), rng))
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO search_outbox (subject_kind, subject_id, operation)
         SELECT 'organisation', id, 'upsert' FROM UNNEST($1::bigint[]) AS t(id) ORDER BY id",
    )
    .bind(rows.iter().map(|(id, _)| *id).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await?;
    let mut organisations: Vec<Organisation> = rows
        .into_iter()
        .map(|(id, code)| {
            let (kind, location, industry, index) = pending[&code];
            Organisation {
                id,
                kind,
                location,
                industry,
                phone: phones[index].clone(),
                email: emails[index].clone(),
            }
        })
        .collect();
    organisations.sort_by_key(|organisation| organisation.id);
    Ok(organisations)
}

pub async fn insert_calls(
    conn: &mut PgConnection,
    cal: DemoCalendar,
    organisations: &[Organisation],
) -> Result<Calls> {
    let agency = organisations
        .iter()
        .find(|o| o.kind == "government_agency")
        .context("an agency")?;
    let mut ids = Vec::new();
    for (suffix, kind, title, valid) in [
        (
            "A",
            "product_batch",
            "基准测试批次（已失效）",
            Some((cal.date(2025, 1, 1), cal.date(2025, 12, 31))),
        ),
        (
            "B",
            "product_batch",
            "基准测试批次（有效）",
            Some((cal.date(2026, 1, 1), cal.date(2027, 12, 31))),
        ),
        ("C", "scenario_call", "基准测试场景征集", None),
    ] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO calls (kind, organisation_id, code, title, opens_on, closes_on,
                 valid_from, valid_until, status, is_demo)
             VALUES ($1::call_kind, $2, 'GEN-' || $2 || '-' || $3, $4, $7, $8,
                 $5::date, $6::date, 'finished', true)
             RETURNING id",
        )
        .bind(kind)
        .bind(agency.id)
        .bind(suffix)
        .bind(title)
        .bind(valid.map(|(from, _)| from))
        .bind(valid.map(|(_, until)| until))
        .bind(cal.date(2024, 10, 1))
        .bind(cal.date(2024, 11, 30))
        .fetch_one(&mut *conn)
        .await
        .with_context(|| format!("inserting the call {title}"))?;
        ids.push(id);
    }
    Ok(Calls {
        lapsed_batch: ids[0],
        valid_batch: ids[1],
        scenario_call: ids[2],
    })
}
