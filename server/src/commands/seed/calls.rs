//! The calls: four catalogue batches (two lapsed, two valid on the day of loading) and
//! three scenario calls. Lapsed batches keep their products published but not eligible.
//! Codes and titles carry the year the call opened (after the demo calendar's move), so a
//! catalogue loaded in 2029 has its own 2029 batches.

use super::organisations::Organisation;
use super::support::DemoCalendar;
use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use sqlx::PgConnection;
use std::collections::BTreeMap;

pub struct Call {
    pub id: i64,
    /// The call's name in the demo's tables (`CZCX-2026-01`), whatever its code became.
    pub key: &'static str,
    /// Product batches only.
    pub valid: Option<(NaiveDate, NaiveDate)>,
}

/// (year, month, day) in the demo's tables, so the table of calls stays readable.
type Ymd = (i32, u32, u32);

struct Spec {
    kind: &'static str,
    key: &'static str,
    /// `{year}` and `{batch}` (（第二批）) are filled in when loading.
    title: &'static str,
    agency: &'static str,
    opens: Ymd,
    closes: Ymd,
    valid: Option<(Ymd, Ymd)>,
    status: &'static str,
}

const PRODUCT_DESCRIPTION: &str = "征集具有自主知识产权、技术水平国内领先或填补空白、已形成小批量生产能力的创新产品，经遴选和公示后列入推荐目录。";
const PRODUCT_ELIGIBILITY: &str =
    "在中华人民共和国境内依法注册的企业和科研机构均可申报，不限注册地；近三年无重大违法记录。";
const SCENARIO_DESCRIPTION: &str =
    "征集需求明确、具备真实应用条件的应用场景，有明确的预期目标、实施周期和经费来源。";
const SCENARIO_ELIGIBILITY: &str =
    "常州市各级机关、事业单位及国有企业可发布场景需求；企业和科研机构可申报解决方案。";
/// (criterion, weight): the weights of a call add up to 100.
const PRODUCT_CRITERIA: [(&str, i16); 4] = [
    ("技术先进性与自主知识产权", 40),
    ("产品成熟度与质量可靠性", 25),
    ("市场前景与应用效果", 20),
    ("售后服务能力", 15),
];
const SCENARIO_CRITERIA: [(&str, i16); 3] = [
    ("需求明确性", 40),
    ("应用条件与示范价值", 35),
    ("经费与实施保障", 25),
];

#[rustfmt::skip]
const SPECS: [Spec; 7] = [
    Spec { kind: "product_batch", key: "CZCX-2024-01", title: "{year}年度常州市创新产品推荐目录{batch}", agency: "常州市工业和信息化局",
        opens: (2024, 3, 1), closes: (2024, 4, 30), valid: Some(((2024, 7, 1), (2025, 6, 30))), status: "finished" },
    Spec { kind: "product_batch", key: "CZCX-2025-01", title: "{year}年度常州市创新产品推荐目录{batch}", agency: "常州市科学技术局",
        opens: (2025, 3, 1), closes: (2025, 4, 30), valid: Some(((2025, 7, 1), (2026, 6, 30))), status: "finished" },
    Spec { kind: "product_batch", key: "CZCX-2025-02", title: "{year}年度常州市创新产品推荐目录{batch}", agency: "常州市财政局",
        opens: (2025, 9, 1), closes: (2025, 10, 31), valid: Some(((2026, 1, 1), (2027, 12, 31))), status: "finished" },
    // Collects all year and publishes after each monthly review, so it is still open.
    Spec { kind: "product_batch", key: "CZCX-2026-01", title: "{year}年度常州市创新产品推荐目录{batch}", agency: "常州市工业和信息化局",
        opens: (2026, 3, 1), closes: (2026, 12, 31), valid: Some(((2026, 7, 1), (2028, 6, 30))), status: "open" },
    Spec { kind: "scenario_call", key: "CJZJ-2025-01", title: "{year}年度常州市应用场景需求征集{batch}", agency: "常州市科学技术局",
        opens: (2025, 4, 1), closes: (2025, 6, 30), valid: None, status: "finished" },
    Spec { kind: "scenario_call", key: "CJZJ-2026-01", title: "{year}年度常州市“城市机会清单”应用场景征集{batch}", agency: "常州市工业和信息化局",
        opens: (2026, 3, 1), closes: (2026, 6, 30), valid: None, status: "finished" },
    Spec { kind: "scenario_call", key: "CJZJ-2026-02", title: "{year}年度常州市应用场景需求征集{batch}", agency: "常州市科学技术局",
        opens: (2026, 9, 1), closes: (2026, 12, 31), valid: None, status: "open" },
];

/// （第二批）: which of the year's calls of its kind this is (the first of a scenario
/// call year needs no number).
fn batch_label(kind: &str, number: u32) -> String {
    const NUMERALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];
    let numeral = NUMERALS[(number as usize - 1).min(NUMERALS.len() - 1)];
    if kind == "scenario_call" && number == 1 {
        String::new()
    } else {
        format!("（第{numeral}批）")
    }
}

pub async fn insert(
    conn: &mut PgConnection,
    cal: DemoCalendar,
    organisations: &[Organisation],
) -> Result<Vec<Call>> {
    let ymd = |(year, month, day): Ymd| cal.date(year, month, day);
    let mut calls = Vec::with_capacity(SPECS.len());
    // Codes are numbered per prefix and year, in the order of the table.
    let mut numbers: BTreeMap<(&str, i32), u32> = BTreeMap::new();
    for spec in &SPECS {
        let opens = ymd(spec.opens);
        let prefix = &spec.key[..4];
        let number = numbers.entry((prefix, opens.year())).or_default();
        *number += 1;
        let code = format!("{prefix}-{}-{number:02}", opens.year());
        let title = spec
            .title
            .replace("{year}", &opens.year().to_string())
            .replace("{batch}", &batch_label(spec.kind, *number));
        let agency = organisations
            .iter()
            .find(|organisation| organisation.name == spec.agency)
            .context("the opening agency is seeded")?;
        let (description, eligibility, criteria, kinds): (_, _, &[(&str, i16)], _) = match spec.kind
        {
            "product_batch" => (
                PRODUCT_DESCRIPTION,
                PRODUCT_ELIGIBILITY,
                &PRODUCT_CRITERIA,
                "{enterprise,research_institute,incubator}",
            ),
            _ => (
                SCENARIO_DESCRIPTION,
                SCENARIO_ELIGIBILITY,
                &SCENARIO_CRITERIA,
                "{government_agency,public_institution,enterprise}",
            ),
        };
        let valid = spec.valid.map(|(from, until)| (ymd(from), ymd(until)));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO calls (kind, organisation_id, code, title, description, eligibility,
                 eligible_kinds, opens_on, closes_on, notice_days, notice_count, required_reviews,
                 valid_from, valid_until, status, announced_at, is_demo)
             VALUES ($1::call_kind, $2, $3, $4, $5, $6, $7::organisation_kind[], $8, $9, $10,
                 'working', 2, $11, $12, $13::call_status,
                 -- Announced two weeks before opening (a fixed time: the seed is deterministic).
                 ($8::date - 14)::timestamptz, true)
             RETURNING id",
        )
        .bind(spec.kind)
        .bind(agency.id)
        .bind(&code)
        .bind(&title)
        .bind(description)
        .bind(eligibility)
        .bind(kinds)
        .bind(ymd(spec.opens))
        .bind(ymd(spec.closes))
        .bind(if spec.kind == "product_batch" {
            7_i16
        } else {
            5
        })
        .bind(valid.map(|(from, _)| from))
        .bind(valid.map(|(_, until)| until))
        .bind(spec.status)
        .fetch_one(&mut *conn)
        .await
        .with_context(|| format!("inserting call {code}"))?;
        for (position, (criterion, weight)) in criteria.iter().enumerate() {
            sqlx::query(
                "INSERT INTO call_criteria (call_id, position, title, weight)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(position as i16 + 1)
            .bind(criterion)
            .bind(weight)
            .execute(&mut *conn)
            .await
            .with_context(|| format!("inserting the criteria of call {code}"))?;
        }
        calls.push(Call {
            id,
            key: spec.key,
            valid,
        });
    }
    Ok(calls)
}
