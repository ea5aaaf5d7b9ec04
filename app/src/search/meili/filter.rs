//! Meilisearch filter expressions built from a search. User input only ever appears as a
//! double-quoted string with `\` and `"` escaped, so no value can end the string and add
//! `OR`, `=`, parentheses or another condition.

use crate::search::document::{days_since_epoch, fen_of_wan};
use crate::search::{DocumentKind, SearchQuery, SortOrder};

/// `value` as a Meilisearch string literal.
pub fn quoted(value: &str) -> String {
    let mut literal = String::with_capacity(value.len() + 2);
    literal.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            literal.push('\\');
        }
        literal.push(c);
    }
    literal.push('"');
    literal
}

/// The filter conditions of a search, to be AND-ed. `today` is the deployment's date:
/// "closing soon" lists only scenarios still open.
pub fn conditions(query: &SearchQuery, today: chrono::NaiveDate) -> Vec<String> {
    let mut conditions = Vec::new();
    let mut equals = |attribute: &str, value: Option<&str>| {
        if let Some(value) = value {
            conditions.push(format!("{attribute} = {}", quoted(value)));
        }
    };
    equals("kind", query.kind.map(DocumentKind::code));
    equals("category", query.category.as_deref());
    equals("location", query.location.map(|l| l.code()));
    equals("stage", query.stage.map(|s| s.code()));
    equals("agency", query.agency.as_deref());
    equals("batch", query.batch.as_deref());
    equals("certifications", query.certification.map(|c| c.code()));
    equals("procurement", query.procurement.as_deref());
    if query.eligible {
        conditions.push("eligible = true".to_owned());
    }
    if query.first_purchased {
        conditions.push("first_purchased = true".to_owned());
    }
    // Numbers come from parsed integers and dates, never from the raw input.
    if let Some(min) = query.amount_min {
        conditions.push(format!("amount_max >= {}", fen_of_wan(min)));
    }
    if let Some(max) = query.amount_max {
        conditions.push(format!("amount_min <= {}", fen_of_wan(max)));
    }
    let mut from = query.closes_from;
    if query.sort == SortOrder::ClosingSoon {
        from = Some(from.map_or(today, |date| date.max(today)));
    }
    if let Some(from) = from {
        conditions.push(format!("open_until >= {}", days_since_epoch(from)));
    }
    if let Some(to) = query.closes_to {
        conditions.push(format!("open_until <= {}", days_since_epoch(to)));
    }
    conditions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(quoted("智能 \"制造\""), r#""智能 \"制造\"""#);
        assert_eq!(quoted(r"a\"), r#""a\\""#);
        assert_eq!(
            quoted(r#"x" OR agency EXISTS OR y = "z"#),
            r#""x\" OR agency EXISTS OR y = \"z""#
        );
    }

    #[test]
    fn every_condition_is_built_from_checked_values() {
        let query = SearchQuery {
            kind: Some(DocumentKind::Product),
            agency: Some("常州 \"A\" (OR) = 1".into()),
            eligible: true,
            amount_min: Some(10),
            amount_max: Some(50),
            ..SearchQuery::default()
        };
        let today = "2026-11-26".parse().unwrap();
        assert_eq!(
            conditions(&query, today),
            vec![
                r#"kind = "product""#.to_owned(),
                r#"agency = "常州 \"A\" (OR) = 1""#.to_owned(),
                "eligible = true".to_owned(),
                "amount_max >= 10000000".to_owned(),
                "amount_min <= 50000000".to_owned(),
            ]
        );
    }

    #[test]
    fn closing_soon_keeps_only_open_scenarios() {
        let query = SearchQuery {
            sort: SortOrder::ClosingSoon,
            ..SearchQuery::default()
        };
        let today: chrono::NaiveDate = "2026-11-26".parse().unwrap();
        assert_eq!(
            conditions(&query, today),
            vec![format!("open_until >= {}", days_since_epoch(today))]
        );
    }
}
