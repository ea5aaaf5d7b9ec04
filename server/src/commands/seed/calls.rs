//! The calls: four catalogue batches (two lapsed, two valid on 2026-11-25) and three
//! scenario calls. Lapsed batches keep their products published but not eligible.

use super::organisations::Organisation;
use super::support::date;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use sqlx::PgConnection;

pub struct Call {
    pub id: i64,
    pub code: &'static str,
    /// Product batches only.
    pub valid: Option<(NaiveDate, NaiveDate)>,
}

/// (year, month, day), so the table of calls stays readable.
type Ymd = (i32, u32, u32);

struct Spec {
    kind: &'static str,
    code: &'static str,
    title: &'static str,
    agency: &'static str,
    opens: Ymd,
    closes: Ymd,
    valid: Option<(Ymd, Ymd)>,
    status: &'static str,
}

const PRODUCT_CRITERIA: &str = "产品具有自主知识产权，技术水平国内领先或填补空白，已形成小批量生产能力，质量可靠、售后服务完善。";
const PRODUCT_ELIGIBILITY: &str =
    "在中华人民共和国境内依法注册的企业和科研机构均可申报，不限注册地；近三年无重大违法记录。";
const SCENARIO_CRITERIA: &str =
    "场景需求明确、具备真实应用条件，有明确的预期目标、实施周期和经费来源。";
const SCENARIO_ELIGIBILITY: &str =
    "常州市各级机关、事业单位及国有企业可发布场景需求；企业和科研机构可申报解决方案。";

#[rustfmt::skip]
const SPECS: [Spec; 7] = [
    Spec { kind: "product_batch", code: "CZCX-2024-01", title: "2024年度常州市创新产品推荐目录（第一批）", agency: "常州市工业和信息化局",
        opens: (2024, 3, 1), closes: (2024, 4, 30), valid: Some(((2024, 7, 1), (2025, 6, 30))), status: "finished" },
    Spec { kind: "product_batch", code: "CZCX-2025-01", title: "2025年度常州市创新产品推荐目录（第一批）", agency: "常州市科学技术局",
        opens: (2025, 3, 1), closes: (2025, 4, 30), valid: Some(((2025, 7, 1), (2026, 6, 30))), status: "finished" },
    Spec { kind: "product_batch", code: "CZCX-2025-02", title: "2025年度常州市创新产品推荐目录（第二批）", agency: "常州市财政局",
        opens: (2025, 9, 1), closes: (2025, 10, 31), valid: Some(((2026, 1, 1), (2027, 12, 31))), status: "finished" },
    // Collects all year and publishes after each monthly review, so it is still open.
    Spec { kind: "product_batch", code: "CZCX-2026-01", title: "2026年度常州市创新产品推荐目录（第一批）", agency: "常州市工业和信息化局",
        opens: (2026, 3, 1), closes: (2026, 12, 31), valid: Some(((2026, 7, 1), (2028, 6, 30))), status: "open" },
    Spec { kind: "scenario_call", code: "CJZJ-2025-01", title: "2025年度常州市应用场景需求征集", agency: "常州市科学技术局",
        opens: (2025, 4, 1), closes: (2025, 6, 30), valid: None, status: "finished" },
    Spec { kind: "scenario_call", code: "CJZJ-2026-01", title: "2026年度常州市“城市机会清单”应用场景征集", agency: "常州市工业和信息化局",
        opens: (2026, 3, 1), closes: (2026, 6, 30), valid: None, status: "finished" },
    Spec { kind: "scenario_call", code: "CJZJ-2026-02", title: "2026年度常州市应用场景需求征集（第二批）", agency: "常州市科学技术局",
        opens: (2026, 9, 1), closes: (2026, 12, 31), valid: None, status: "open" },
];

fn ymd((year, month, day): Ymd) -> NaiveDate {
    date(year, month, day)
}

pub async fn insert(conn: &mut PgConnection, organisations: &[Organisation]) -> Result<Vec<Call>> {
    let mut calls = Vec::with_capacity(SPECS.len());
    for spec in &SPECS {
        let agency = organisations
            .iter()
            .find(|organisation| organisation.name == spec.agency)
            .context("the opening agency is seeded")?;
        let (criteria, eligibility) = match spec.kind {
            "product_batch" => (PRODUCT_CRITERIA, PRODUCT_ELIGIBILITY),
            _ => (SCENARIO_CRITERIA, SCENARIO_ELIGIBILITY),
        };
        let valid = spec.valid.map(|(from, until)| (ymd(from), ymd(until)));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO calls (kind, organisation_id, code, title, criteria, eligibility,
                 opens_on, closes_on, notice_days, valid_from, valid_until, status, is_demo)
             VALUES ($1::call_kind, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                 $12::call_status, true)
             RETURNING id",
        )
        .bind(spec.kind)
        .bind(agency.id)
        .bind(spec.code)
        .bind(spec.title)
        .bind(criteria)
        .bind(eligibility)
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
        .with_context(|| format!("inserting call {}", spec.code))?;
        calls.push(Call {
            id,
            code: spec.code,
            valid,
        });
    }
    Ok(calls)
}
