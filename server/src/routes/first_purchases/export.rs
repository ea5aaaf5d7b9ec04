//! `GET /first-purchases/export.csv?…` and `GET /first-purchases/export.xlsx?…`: the
//! public list of first purchases under the same filter as `/first-purchases`, as a file
//! to download ([`crate::tabular`]: the site, the time of export and the filter above the
//! header row). One row per record, newest first unless `sort=oldest` (`disputed` says a
//! dispute is under way); at most [`MAX_EXPORT_ROWS`] rows, with a last line saying when
//! the filter matched more. Amounts in yuan with two decimals. Never a person's contact
//! data.

use crate::tabular::{Cell, Column, FileFormat, Table};
use app::clock::Clock;
use app::error::AppError;
use app::first_purchases::list::{export_rows, PurchaseFilter, MAX_EXPORT_ROWS};
use app::state::Site;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use sqlx::PgPool;

const COLUMNS: &[Column] = &[
    ("id", "编号"),
    ("signed_on", "签订日期"),
    ("product_id", "产品编号"),
    ("product", "产品"),
    ("supplier", "供应单位"),
    ("supplier_credit_code", "供应单位统一社会信用代码"),
    ("buyer", "采购单位"),
    ("route", "采购方式"),
    ("outcome", "结果"),
    ("disputed", "有异议"),
    ("amount_yuan", "金额（元）"),
    ("quantity", "数量"),
    ("contract_number", "合同编号"),
    ("notice_on", "公告日期"),
    ("notice_url", "公告链接"),
    ("record_url", "记录链接"),
    ("product_url", "产品链接"),
];

/// The list as CSV.
pub async fn export_csv(
    pool: State<PgPool>,
    clock: State<Clock>,
    site: State<Site>,
    params: Query<Vec<(String, String)>>,
) -> Response {
    export(FileFormat::Csv, pool, clock, site, params).await
}

/// The list as XLSX.
pub async fn export_xlsx(
    pool: State<PgPool>,
    clock: State<Clock>,
    site: State<Site>,
    params: Query<Vec<(String, String)>>,
) -> Response {
    export(FileFormat::Xlsx, pool, clock, site, params).await
}

async fn export(
    format: FileFormat,
    State(pool): State<PgPool>,
    State(clock): State<Clock>,
    State(site): State<Site>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    match table(&pool, &clock, &site, &params)
        .await
        .and_then(|table| table.download(format))
    {
        Ok(response) => response,
        Err(error) => {
            let status = http::StatusCode::from_u16(error.status_code())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
            let message = match &error {
                AppError::InvalidParameter { param } => {
                    format!("参数 {param} 无效。\nThe parameter {param} is invalid.\n")
                }
                _ => "暂时无法导出。\nThe export is unavailable.\n".to_owned(),
            };
            (status, message).into_response()
        }
    }
}

async fn table(
    pool: &PgPool,
    clock: &Clock,
    site: &Site,
    params: &[(String, String)],
) -> Result<Table, AppError> {
    let filter = PurchaseFilter::from_query(params)?;
    let rows = export_rows(pool, &filter).await?;
    let mut table = Table::new(
        "first-purchases",
        "首购记录",
        COLUMNS,
        site,
        "/first-purchases",
        clock,
        &filter.query_pairs(),
    );
    for row in rows.iter().take(MAX_EXPORT_ROWS as usize) {
        let line = &row.line;
        table.rows.push(vec![
            Cell::Integer(line.id),
            Cell::Date(line.signed_on),
            Cell::Integer(line.product.0),
            Cell::Text(line.product_name.clone()),
            Cell::Text(line.supplier.name.clone()),
            Cell::text(row.supplier_credit_code.clone()),
            Cell::Text(line.buyer.name.clone()),
            Cell::Code(line.route.code().to_owned()),
            Cell::Code(line.outcome.code().to_owned()),
            Cell::Flag(line.disputed),
            Cell::yuan(line.amount.map(|money| money.fen)),
            line.quantity
                .map_or(Cell::Empty, |q| Cell::Integer(q.into())),
            Cell::text(row.contract_number.clone()),
            Cell::date(row.notice_on),
            row.notice_url.clone().map_or(Cell::Empty, Cell::Link),
            Cell::Link(site.url(&format!("/first-purchases/{}", line.id))),
            Cell::Link(site.url(&format!("/products/{}", line.product))),
        ]);
    }
    if rows.len() as i64 > MAX_EXPORT_ROWS {
        table.footnote = Some((
            "已截断 / truncated",
            format!("{MAX_EXPORT_ROWS} 行以后未导出 / rows after {MAX_EXPORT_ROWS} left out"),
        ));
    }
    Ok(table)
}
