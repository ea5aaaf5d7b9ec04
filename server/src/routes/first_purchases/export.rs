//! `GET /first-purchases/export.csv?…`: the public list of first purchases under the same
//! filter as `/first-purchases`, as CSV (RFC 4180, UTF-8 with a byte-order mark for
//! spreadsheet programs). The file opens with the site, the time of export (Beijing time)
//! and the filter, then a header row and one row per record, newest first unless
//! `sort=oldest` (`disputed` says a dispute is under way); at most [`MAX_EXPORT_ROWS`] rows, with a last line saying when the
//! filter matched more. Amounts in yuan with two decimals. Cells a spreadsheet would run
//! as a formula are defused with a leading apostrophe.

use crate::routes::api::export::defuse;
use app::clock::Clock;
use app::error::AppError;
use app::first_purchases::list::{export_rows, PurchaseFilter, MAX_EXPORT_ROWS};
use app::state::Site;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use sqlx::PgPool;

const HEADER: [&str; 17] = [
    "id",
    "signed_on",
    "product_id",
    "product",
    "supplier",
    "supplier_credit_code",
    "buyer",
    "route",
    "outcome",
    "disputed",
    "amount_yuan",
    "quantity",
    "contract_number",
    "notice_on",
    "notice_url",
    "record_url",
    "product_url",
];

pub async fn export(
    State(pool): State<PgPool>,
    State(clock): State<Clock>,
    State(site): State<Site>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    match write(&pool, &clock, &site, &params).await {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"first-purchases.csv\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            body,
        )
            .into_response(),
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

async fn write(
    pool: &PgPool,
    clock: &Clock,
    site: &Site,
    params: &[(String, String)],
) -> Result<Vec<u8>, AppError> {
    let filter = PurchaseFilter::from_query(params)?;
    let rows = export_rows(pool, &filter).await?;
    let cut = rows.len() as i64 > MAX_EXPORT_ROWS;
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let described: Vec<String> = filter
        .query_pairs()
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    let exported_at = clock
        .now()
        .with_timezone(&clock.zone())
        .format("%Y-%m-%d %H:%M:%S %:z")
        .to_string();
    let csv_error = |error: csv::Error| {
        tracing::error!(%error, "writing the first-purchase export failed");
        AppError::Internal
    };
    out.write_record(["# 网站 / site", &site.url("/first-purchases")])
        .map_err(csv_error)?;
    out.write_record(["# 导出时间 / exported at", &exported_at])
        .map_err(csv_error)?;
    out.write_record([
        "# 筛选 / filter",
        &defuse(&if described.is_empty() {
            "无 / none".to_owned()
        } else {
            described.join("&")
        }),
    ])
    .map_err(csv_error)?;
    out.write_record(HEADER).map_err(csv_error)?;
    let yuan = |fen: i64| format!("{}.{:02}", fen / 100, fen % 100);
    for row in rows.iter().take(MAX_EXPORT_ROWS as usize) {
        let line = &row.line;
        let text = |value: Option<String>| defuse(&value.unwrap_or_default());
        out.write_record([
            line.id.to_string(),
            line.signed_on.to_string(),
            line.product.to_string(),
            defuse(&line.product_name),
            defuse(&line.supplier.name),
            text(row.supplier_credit_code.clone()),
            defuse(&line.buyer.name),
            line.route.code().to_owned(),
            line.outcome.code().to_owned(),
            line.disputed.to_string(),
            line.amount.map(|money| yuan(money.fen)).unwrap_or_default(),
            line.quantity.map(|q| q.to_string()).unwrap_or_default(),
            text(row.contract_number.clone()),
            row.notice_on.map(|d| d.to_string()).unwrap_or_default(),
            text(row.notice_url.clone()),
            site.url(&format!("/first-purchases/{}", line.id)),
            site.url(&format!("/products/{}", line.product)),
        ])
        .map_err(csv_error)?;
    }
    if cut {
        out.write_record([
            "# 已截断 / truncated",
            &format!("{MAX_EXPORT_ROWS} 行以后未导出 / rows after {MAX_EXPORT_ROWS} left out"),
        ])
        .map_err(csv_error)?;
    }
    out.into_inner().map_err(|error| {
        tracing::error!(%error, "finishing the first-purchase export failed");
        AppError::Internal
    })
}
