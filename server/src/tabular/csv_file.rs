//! A [`Table`] as CSV, quoted by the `csv` crate (RFC 4180).

use super::{defuse, Table};
use app::error::AppError;

/// The UTF-8 byte-order mark: without it spreadsheet programs read Chinese as mojibake.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

pub(super) fn write(table: &Table) -> Result<Vec<u8>, AppError> {
    let mut out = csv::WriterBuilder::new()
        // The lines around the table have two cells; the table's rows have more.
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(BYTE_ORDER_MARK.to_vec());
    let failed = |error: csv::Error| {
        tracing::error!(%error, table = table.name, "writing a CSV export failed");
        AppError::Internal
    };
    // A label with `#` in front marks a line programs skip (e.g. the `csv` crate's
    // `comment(Some(b'#'))`, pandas' `comment="#"`).
    let line = |label: &str, value: &str| [format!("# {label}"), defuse(value)];
    for (label, value) in &table.about {
        out.write_record(line(label, value)).map_err(failed)?;
    }
    out.write_record(table.columns.iter().map(|(code, _)| code))
        .map_err(failed)?;
    for row in &table.rows {
        out.write_record(row.iter().map(|cell| cell.plain()))
            .map_err(failed)?;
    }
    if let Some((label, value)) = &table.footnote {
        out.write_record(line(label, value)).map_err(failed)?;
    }
    out.into_inner().map_err(|error| {
        tracing::error!(error = %error.error(), table = table.name, "finishing a CSV export failed");
        AppError::Internal
    })
}
