//! Both files of one table, read back: the CSV with the `csv` crate, the XLSX with
//! `calamine` (what a program reading the download would use).

use super::*;
use app::state::Site;
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use chrono::TimeZone;
use std::io::Cursor;

const COLUMNS: &[Column] = &[
    ("id", "编号"),
    ("title", "标题"),
    ("kind", "类型"),
    ("amount_yuan", "金额（元）"),
    ("signed_on", "签订日期"),
    ("url", "链接"),
    ("disputed", "有异议"),
];

fn table() -> Table {
    let clock = Clock::fixed(
        chrono_tz::Asia::Shanghai,
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 30, 16, 5, 0)
            .unwrap(),
    );
    let site = Site {
        public_url: "https://catalogue.example.cn".to_owned(),
        ..Site::local()
    };
    let mut table = Table::new(
        "search",
        "搜索结果",
        COLUMNS,
        &site,
        "/search",
        &clock,
        &[
            ("q", "机器人"),
            ("kind", ""),
            ("agency", "=cmd|' /C calc'!A0"),
        ],
    );
    table.rows.push(vec![
        Cell::Integer(42),
        Cell::Text("工业机器人, \"第二代\"\n新型".into()),
        Cell::Code("product".into()),
        Cell::Yuan(123_450),
        Cell::Date(NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()),
        Cell::Link("https://catalogue.example.cn/products/42".into()),
        Cell::Flag(true),
    ]);
    table.rows.push(vec![
        Cell::Integer(7),
        Cell::Text("=HYPERLINK(\"https://evil.example\")".into()),
        Cell::Code("product".into()),
        Cell::Empty,
        Cell::Empty,
        Cell::Link("not a url at all".into()),
        Cell::Flag(false),
    ]);
    table.footnote = Some(("已截断 / truncated", "1000 行以后未导出".into()));
    table
}

#[test]
fn the_csv_says_where_when_and_what_then_holds_every_cell_defused() {
    let bytes = table().write(FileFormat::Csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("\r\n"), "RFC 4180 line ends");
    let records: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(&records[0][0], "# 网站 / site");
    assert_eq!(&records[0][1], "https://catalogue.example.cn/search");
    assert_eq!(&records[1][1], "2026-12-01 00:05:00 +08:00", "Beijing time");
    assert_eq!(
        &records[2][1], "q=机器人&agency==cmd|' /C calc'!A0",
        "the filter without empty values (it starts with a name: never a formula)"
    );
    assert_eq!(
        records[3].iter().collect::<Vec<_>>(),
        [
            "id",
            "title",
            "kind",
            "amount_yuan",
            "signed_on",
            "url",
            "disputed"
        ]
    );
    assert_eq!(
        records[4].iter().collect::<Vec<_>>(),
        [
            "42",
            "工业机器人, \"第二代\"\n新型",
            "product",
            "1234.50",
            "2026-11-02",
            "https://catalogue.example.cn/products/42",
            "true"
        ]
    );
    assert_eq!(&records[5][1], "'=HYPERLINK(\"https://evil.example\")");
    assert_eq!(&records[5][3], "");
    assert_eq!(&records[6][0], "# 已截断 / truncated");
    assert_eq!(records.len(), 7);

    // Programs skip the lines about the export as comments.
    let data: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(data.len(), 2);
}

#[test]
fn the_xlsx_holds_the_same_cells_as_typed_values_and_never_a_formula() {
    let bytes = table().write(FileFormat::Xlsx).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["搜索结果"]);
    let cells = book.worksheet_range("搜索结果").unwrap();
    let at = |row: u32, column: u32| {
        cells
            .get_value((row, column))
            .cloned()
            .unwrap_or(Data::Empty)
    };
    let text = |value: &str| Data::String(value.to_owned());
    assert_eq!(at(0, 0), text("网站 / site"));
    assert_eq!(at(0, 1), text("https://catalogue.example.cn/search"));
    assert_eq!(at(1, 1), text("2026-12-01 00:05:00 +08:00"));
    assert_eq!(
        at(2, 1),
        text("q=机器人&agency==cmd|' /C calc'!A0"),
        "text stays as it is: a text cell never runs"
    );
    assert_eq!(at(4, 0), text("编号 / id"));
    assert_eq!(at(4, 3), text("金额（元） / amount_yuan"));
    assert_eq!(at(5, 0), Data::Float(42.0));
    assert_eq!(at(5, 1), text("工业机器人, \"第二代\"\n新型"));
    assert_eq!(at(5, 2), text("product"));
    assert_eq!(at(5, 3), Data::Float(1234.5));
    match at(5, 4) {
        Data::DateTime(day) => {
            let serial = (NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()
                - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap())
            .num_days();
            assert_eq!(day.as_f64(), serial as f64, "a real date");
        }
        other => panic!("a date, not {other:?}"),
    }
    assert_eq!(at(5, 5), text("https://catalogue.example.cn/products/42"));
    assert_eq!(at(5, 6), Data::Bool(true));
    assert_eq!(at(6, 1), text("=HYPERLINK(\"https://evil.example\")"));
    assert_eq!(at(6, 3), Data::Empty);
    assert_eq!(
        at(6, 5),
        text("not a url at all"),
        "a bad link stays as text"
    );
    assert_eq!(at(6, 6), Data::Bool(false));
    assert_eq!(at(8, 0), text("已截断 / truncated"));
    let formulas = book.worksheet_formula("搜索结果").unwrap();
    assert!(
        formulas
            .used_cells()
            .all(|(_, _, formula)| formula.is_empty()),
        "no formula anywhere"
    );
}

#[test]
fn an_overlong_text_is_cut_at_excels_limit() {
    let mut table = table();
    table.rows[0][1] = Cell::Text("长".repeat(40_000));
    let bytes = table.write(FileFormat::Xlsx).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let cells = book.worksheet_range("搜索结果").unwrap();
    let Some(Data::String(cut)) = cells.get_value((5, 1)) else {
        panic!("text")
    };
    assert_eq!(cut.chars().count(), 32_767);
    assert!(cut.ends_with('…'));
}

#[test]
fn amounts_are_yuan_with_two_decimals_and_formulas_are_recognised() {
    assert_eq!(yuan(0), "0.00");
    assert_eq!(yuan(5), "0.05");
    assert_eq!(yuan(123_456_789), "1234567.89");
    assert_eq!(yuan(-5), "-0.05");
    for formula in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
        assert!(formula_like(formula), "{formula:?}");
        assert_eq!(defuse(formula), format!("'{formula}"));
    }
    assert_eq!(defuse("机器人 = 好"), "机器人 = 好");
}

#[test]
fn downloads_are_named_by_the_day_of_export_and_never_cached() {
    let response = table().download(FileFormat::Xlsx).unwrap();
    assert_eq!(
        response.headers()[header::CONTENT_DISPOSITION],
        "attachment; filename=\"search-2026-12-01.xlsx\""
    );
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        FileFormat::Xlsx.content_type()
    );
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
}
