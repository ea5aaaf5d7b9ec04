//! A [`Table`] as an XLSX workbook of one sheet: the lines about the export, a blank row,
//! the header (bold, frozen, with Excel's filter buttons), the rows, the footnote.

use super::{formula_like, Cell, Table};
use app::error::AppError;
use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, Url, Workbook, Worksheet, XlsxError};

/// Excel's limit on the text of one cell, in UTF-16 units ("Excel specifications and
/// limits": 32,767 characters).
const MAX_CELL_TEXT: usize = 32_767;

/// The formats of the sheet's cells.
struct Formats {
    bold: Format,
    /// Text that looks like a formula: shown and kept as text ("quote prefix").
    quoted: Format,
    yuan: Format,
    date: Format,
}

pub(super) fn write(table: &Table) -> Result<Vec<u8>, AppError> {
    build(table).map_err(|error| {
        tracing::error!(%error, table = table.name, "writing an XLSX export failed");
        AppError::Internal
    })
}

fn build(table: &Table) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats {
        bold: Format::new().set_bold(),
        quoted: Format::new().set_quote_prefix(),
        yuan: Format::new().set_num_format("#,##0.00"),
        date: Format::new().set_num_format("yyyy-mm-dd"),
    };
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(table.sheet)?;
    let mut row: u32 = 0;
    for (label, value) in &table.about {
        sheet.write_string_with_format(row, 0, *label, &formats.bold)?;
        text(sheet, row, 1, value, &formats)?;
        row += 1;
    }
    row += 1;
    let header = row;
    for (column, (code, name)) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(
            header,
            column as u16,
            format!("{name} / {code}"),
            &formats.bold,
        )?;
    }
    for cells in &table.rows {
        row += 1;
        for (column, cell) in cells.iter().enumerate() {
            write_cell(sheet, row, column as u16, cell, &formats)?;
        }
    }
    let last_row = row;
    if let Some((label, value)) = &table.footnote {
        row += 2;
        sheet.write_string_with_format(row, 0, *label, &formats.bold)?;
        text(sheet, row, 1, value, &formats)?;
    }
    let last_column = table.columns.len().saturating_sub(1) as u16;
    sheet.autofilter(header, 0, last_row, last_column)?;
    sheet.set_freeze_panes(header + 1, 0)?;
    sheet.autofit();
    workbook.save_to_buffer()
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    cell: &Cell,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(value) => text(sheet, row, column, value, formats)?,
        Cell::Code(code) => {
            sheet.write_string(row, column, code)?;
        }
        Cell::Integer(n) => {
            sheet.write_number(row, column, *n as f64)?;
        }
        Cell::Yuan(fen) => {
            sheet.write_number_with_format(row, column, *fen as f64 / 100.0, &formats.yuan)?;
        }
        Cell::Date(day) => {
            let date =
                ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)?;
            sheet.write_datetime_with_format(row, column, &date, &formats.date)?;
        }
        // A link Excel cannot take (too long, an unknown scheme) is still shown, as text.
        Cell::Link(url) => {
            if sheet
                .write_url(row, column, Url::new(url.as_str()))
                .is_err()
            {
                text(sheet, row, column, url, formats)?;
            }
        }
        Cell::Flag(flag) => {
            sheet.write_boolean(row, column, *flag)?;
        }
        Cell::Empty => {}
    }
    Ok(())
}

/// Text as a text cell, never a formula, cut at Excel's limit (with "…" at the end).
fn text(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    value: &str,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let value = fit(value);
    if formula_like(&value) {
        sheet.write_string_with_format(row, column, value, &formats.quoted)?;
    } else {
        sheet.write_string(row, column, value)?;
    }
    Ok(())
}

/// `value`, or as much of it as fits in a cell followed by "…".
fn fit(value: &str) -> String {
    if value.encode_utf16().count() <= MAX_CELL_TEXT {
        return value.to_owned();
    }
    let mut units = 0;
    let mut kept = String::new();
    for c in value.chars() {
        units += c.len_utf16();
        if units > MAX_CELL_TEXT - 1 {
            break;
        }
        kept.push(c);
    }
    kept.push('…');
    kept
}
