//! Tables people download: a search's results, the public list of first purchases and the
//! audit log, each as CSV or XLSX from one description ([`Table`]), so the two files of a
//! list always hold the same cells. What a buyer attaches to a procurement file must say
//! where it comes from, when and under which filter: every file opens with the site, the
//! time of export (in the deployment's zone, Beijing time) and the filter, then the header
//! row, the rows and, when the list was cut, a last line saying so.
//!
//! Text that a spreadsheet would run as a formula never runs: in CSV it gets a leading
//! apostrophe ([`defuse`]); in XLSX it is a text cell with Excel's "quote prefix", so the
//! value is unchanged and stays text even when the cell is edited.

mod csv_file;
mod xlsx_file;

use app::clock::Clock;
use app::error::AppError;
use app::state::Site;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

/// The two kinds of file a table is downloaded as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    /// RFC 4180 CSV in UTF-8 with a byte-order mark (spreadsheet programs need it to read
    /// Chinese), CRLF line ends; lines above the header start with `#`.
    Csv,
    /// An Excel 2007+ workbook (ECMA-376) of one sheet, written by `rust_xlsxwriter`.
    Xlsx,
}

impl FileFormat {
    /// The file name's extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
        }
    }

    /// The `Content-Type` of the file.
    pub fn content_type(self) -> &'static str {
        match self {
            FileFormat::Csv => "text/csv; charset=utf-8",
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// One cell. Each kind is written as its own type in XLSX (numbers, dates, links and
/// yes/no are real spreadsheet values) and as its plain text in CSV.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Free text (names, titles, reasons): defused when it looks like a formula.
    Text(String),
    /// A code from a closed list (`kind`, `route`, a category): never a formula, written
    /// as it is.
    Code(String),
    /// A whole number (ids, quantities).
    Integer(i64),
    /// An amount in fen, shown in yuan with two decimals (`1234.50`).
    Yuan(i64),
    /// A calendar day (`YYYY-MM-DD`; in XLSX a date formatted the same way).
    Date(NaiveDate),
    /// An absolute URL (in XLSX a hyperlink showing the URL; defused like text in CSV, as
    /// a link given by a user may be anything).
    Link(String),
    /// Yes or no (`true`/`false` in CSV, a boolean in XLSX).
    Flag(bool),
    /// Nothing known.
    Empty,
}

impl Cell {
    /// Text, or [`Cell::Empty`] when there is none.
    pub fn text(value: Option<impl Into<String>>) -> Cell {
        value.map_or(Cell::Empty, |value| Cell::Text(value.into()))
    }

    /// A code, or [`Cell::Empty`] when there is none.
    pub fn code(value: Option<impl Into<String>>) -> Cell {
        value.map_or(Cell::Empty, |value| Cell::Code(value.into()))
    }

    /// An amount in fen, or [`Cell::Empty`].
    pub fn yuan(fen: Option<i64>) -> Cell {
        fen.map_or(Cell::Empty, Cell::Yuan)
    }

    /// A day, or [`Cell::Empty`].
    pub fn date(day: Option<NaiveDate>) -> Cell {
        day.map_or(Cell::Empty, Cell::Date)
    }

    /// The cell as CSV text.
    fn plain(&self) -> String {
        match self {
            Cell::Text(text) => defuse(text),
            Cell::Code(code) => code.clone(),
            Cell::Integer(n) => n.to_string(),
            Cell::Yuan(fen) => yuan(*fen),
            Cell::Date(day) => day.to_string(),
            Cell::Link(url) => defuse(url),
            Cell::Flag(flag) => flag.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// A column: its code (the CSV header, stable for programs) and its Chinese name (the
/// XLSX header shows both, `名称 / code`).
pub type Column = (&'static str, &'static str);

/// A table to download: see the module's documentation for its layout.
#[derive(Clone, Debug)]
pub struct Table {
    /// The file's name before the date and extension (ASCII): `search` gives
    /// `search-2026-12-02.xlsx`.
    pub name: &'static str,
    /// The XLSX sheet's name (at most 31 characters, none of `[]:*?/\`).
    pub sheet: &'static str,
    /// The lines above the header: label and value.
    pub about: Vec<(&'static str, String)>,
    /// The header row.
    pub columns: &'static [Column],
    /// The rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
    /// A last line after the rows (label and value), e.g. that the list was cut.
    pub footnote: Option<(&'static str, String)>,
    /// The day of the export in the deployment's zone (the file's name carries it).
    pub day: NaiveDate,
}

impl Table {
    /// An empty table whose first lines say the site (`site_path` on `PUBLIC_URL`), the
    /// time of export on `clock` (`YYYY-MM-DD HH:MM:SS +08:00` in the deployment's zone)
    /// and the filter's non-empty query pairs (`name=value&…`, or "无 / none").
    pub fn new(
        name: &'static str,
        sheet: &'static str,
        columns: &'static [Column],
        site: &Site,
        site_path: &str,
        clock: &Clock,
        filter: &[(impl AsRef<str>, impl AsRef<str>)],
    ) -> Table {
        let now = clock.now().with_timezone(&clock.zone());
        let described: Vec<String> = filter
            .iter()
            .filter(|(_, value)| !value.as_ref().is_empty())
            .map(|(name, value)| format!("{}={}", name.as_ref(), value.as_ref()))
            .collect();
        Table {
            name,
            sheet,
            about: vec![
                ("网站 / site", site.url(site_path)),
                (
                    "导出时间 / exported at",
                    now.format("%Y-%m-%d %H:%M:%S %:z").to_string(),
                ),
                (
                    "筛选 / filter",
                    if described.is_empty() {
                        "无 / none".to_owned()
                    } else {
                        described.join("&")
                    },
                ),
            ],
            columns,
            rows: Vec::new(),
            footnote: None,
            day: now.date_naive(),
        }
    }

    /// The file's bytes.
    ///
    /// # Errors
    /// [`AppError::Internal`] (logged) when the writer fails, which only a bug can cause.
    pub fn write(&self, format: FileFormat) -> Result<Vec<u8>, AppError> {
        match format {
            FileFormat::Csv => csv_file::write(self),
            FileFormat::Xlsx => xlsx_file::write(self),
        }
    }

    /// The file as a download: its type, `Content-Disposition: attachment` with the name
    /// (`{name}-{day}.{extension}`) and `Cache-Control: no-store`.
    ///
    /// # Errors
    /// As [`Table::write`].
    pub fn download(&self, format: FileFormat) -> Result<Response, AppError> {
        let body = self.write(format)?;
        let disposition = format!(
            "attachment; filename=\"{}-{}.{}\"",
            self.name,
            self.day,
            format.extension()
        );
        Ok((
            [
                (header::CONTENT_TYPE, format.content_type().to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            body,
        )
            .into_response())
    }
}

/// Whether a spreadsheet would run `value` as a formula: it starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return (OWASP, "CSV Injection").
pub fn formula_like(value: &str) -> bool {
    value.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `value` with a leading apostrophe when it is [`formula_like`], so an exported CSV cell
/// can never execute.
pub fn defuse(value: &str) -> String {
    if formula_like(value) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// Fen as yuan with two decimals (`123450` → `1234.50`; `-5` → `-0.05`).
fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    format!("{sign}{}.{:02}", fen / 100, fen % 100)
}

#[cfg(test)]
mod tests;
