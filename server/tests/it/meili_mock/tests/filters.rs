//! The filter language: parsing (quotes, escapes, keywords inside quoted values,
//! precedence, every operator), the real server's syntax error messages, evaluation, and
//! the filterable-attribute checks.

use serde_json::{json, Map, Value};

use crate::meili_mock::filter::{self, Expr, FilterRules, Op, Rejection, Token};

fn parsed(src: &str) -> Expr {
    filter::parse(src)
        .unwrap_or_else(|e| panic!("{src}: {e}"))
        .expect("a filter")
}

fn error(src: &str) -> String {
    filter::parse(src).expect_err(src)
}

/// A compact form to compare trees with: `a=1`, `AND[a=1, b=2]`, `NOT(a EXISTS)`.
fn show(expr: &Expr) -> String {
    let list = |items: &[Expr]| items.iter().map(show).collect::<Vec<_>>().join(", ");
    let tokens = |items: &[Token]| {
        items
            .iter()
            .map(|t| t.value.as_str())
            .collect::<Vec<_>>()
            .join("|")
    };
    match expr {
        Expr::Or(items) => format!("OR[{}]", list(items)),
        Expr::And(items) => format!("AND[{}]", list(items)),
        Expr::Not(inner) => format!("NOT({})", show(inner)),
        Expr::Cond { attr, op } => {
            let a = &attr.value;
            match op {
                Op::Eq(v) => format!("{a}={}", v.value),
                Op::Ne(v) => format!("{a}!={}", v.value),
                Op::Gt(v) => format!("{a}>{}", v.value),
                Op::Ge(v) => format!("{a}>={}", v.value),
                Op::Lt(v) => format!("{a}<{}", v.value),
                Op::Le(v) => format!("{a}<={}", v.value),
                Op::Between(from, to) => format!("{a} {}..{}", from.value, to.value),
                Op::In(items) => format!("{a} IN[{}]", tokens(items)),
                Op::Exists => format!("{a} EXISTS"),
                Op::IsNull => format!("{a} NULL"),
                Op::IsEmpty => format!("{a} EMPTY"),
                Op::Contains(v) => format!("{a} CONTAINS {}", v.value),
                Op::StartsWith(v) => format!("{a} STARTS {}", v.value),
            }
        }
    }
}

#[test]
fn quoted_values_escapes_and_keywords_inside_quotes() {
    let cases = [
        (r#"sector = "智能 \"制造\"""#, r#"sector=智能 "制造""#),
        (r"name = 'I\'m here'", "name=I'm here"),
        (r#"name = "back\\slash""#, r"name=back\slash"),
        (
            r#""dog race" = 'Bernese Mountain'"#,
            "dog race=Bernese Mountain",
        ),
        (r#"supplier = "Quote OR Co.""#, "supplier=Quote OR Co."),
        (r#"note = "NOT (a = 1) AND""#, "note=NOT (a = 1) AND"),
        ("sector = 智能制造", "sector=智能制造"),
        ("batch = 2026-1", "batch=2026-1"),
        ("  sector = x  ", "sector=x"),
    ];
    for (src, expected) in cases {
        assert_eq!(show(&parsed(src)), expected, "{src}");
    }
}

#[test]
fn precedence_and_parentheses() {
    let cases = [
        ("a = 1 OR b = 2 AND c = 3", "OR[a=1, AND[b=2, c=3]]"),
        ("(a = 1 OR b = 2) AND c = 3", "AND[OR[a=1, b=2], c=3]"),
        (
            "NOT a = 1 AND NOT (b = 2 OR c = 3)",
            "AND[NOT(a=1), NOT(OR[b=2, c=3])]",
        ),
        ("NOT NOT a = 1", "a=1"),
        ("((a = 1))", "a=1"),
        ("a = 1 AND(b = 2)", "AND[a=1, b=2]"),
        ("ORDER = 1 OR ANDROID = 2", "OR[ORDER=1, ANDROID=2]"),
    ];
    for (src, expected) in cases {
        assert_eq!(show(&parsed(src)), expected, "{src}");
    }
}

#[test]
fn every_operator() {
    let cases = [
        ("a != 1", "a!=1"),
        ("a > 1.5", "a>1.5"),
        ("a >= 1", "a>=1"),
        ("a < 1", "a<1"),
        ("a <= 1", "a<=1"),
        ("price 10 TO 20", "price 10..20"),
        (r#"a IN [x, "y z", 3,]"#, "a IN[x|y z|3]"),
        ("a IN[]", "a IN[]"),
        ("a NOT IN [x]", "NOT(a IN[x])"),
        ("a EXISTS", "a EXISTS"),
        ("a NOT EXISTS", "NOT(a EXISTS)"),
        ("a IS NULL", "a NULL"),
        ("a IS NOT NULL", "NOT(a NULL)"),
        ("a IS EMPTY", "a EMPTY"),
        ("a  IS   NOT   EMPTY", "NOT(a EMPTY)"),
        ("a CONTAINS x", "a CONTAINS x"),
        ("a NOT STARTS WITH x", "NOT(a STARTS x)"),
    ];
    for (src, expected) in cases {
        assert_eq!(show(&parsed(src)), expected, "{src}");
    }
}

const OPERATION: &str = "Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `CONTAINS`, `NOT CONTAINS`, `STARTS WITH`, `NOT STARTS WITH`, `_geoRadius`, or `_geoBoundingBox`";

#[test]
fn invalid_syntax_is_rejected_as_by_the_real_server() {
    // Fixture 14, and cases from Meilisearch's own parser tests.
    let recorded = super::fixture("14-search-invalid-filter.json");
    assert_eq!(
        error(recorded["request"]["body"]["filter"].as_str().unwrap()),
        recorded["response"]["body"]["message"].as_str().unwrap()
    );
    let cases = [
        ("channel = Ponce = 12", "Found unexpected characters at the end of the filter: `= 12`. You probably forgot an `OR` or an `AND` rule.\n17:21 channel = Ponce = 12".to_string()),
        ("title = Glass XOR title = Glass", "Found unexpected characters at the end of the filter: `XOR title = Glass`. You probably forgot an `OR` or an `AND` rule.\n15:32 title = Glass XOR title = Glass".to_string()),
        ("channel =    ", "Was expecting a value but instead got nothing.\n14:14 channel =    ".to_string()),
        ("channel = 🐻", "Was expecting a value but instead got `🐻`.\n11:12 channel = 🐻".to_string()),
        ("OR", "Was expecting a value but instead got `OR`, which is a reserved keyword. To use `OR` as a field name or a value, surround it by quotes.\n1:3 OR".to_string()),
        ("'OR'", format!("{OPERATION} at `\\'OR\\'`.\n1:5 'OR'")),
        ("title & Glass", format!("{OPERATION} at `title & Glass`.\n1:14 title & Glass")),
        ("channel = Ponce OR", format!("{OPERATION} but instead got nothing.\n19:19 channel = Ponce OR")),
        (r#"a = "abc"#, "Expression `\\\"abc` is missing the following closing delimiter: `\"`.\n5:9 a = \"abc".to_string()),
        ("(a = 1", "Expression `(a = 1` is missing the following closing delimiter: `)`.\n1:7 (a = 1".to_string()),
        ("a IN x", "Expected `[` after `IN` keyword.\n6:7 a IN x".to_string()),
        ("a IN [x", "Expected matching `]` after the list of field names given to `IN[`\n8:8 a IN [x".to_string()),
        ("a = 1 AND", format!("{OPERATION} but instead got nothing.\n10:10 a = 1 AND")),
    ];
    for (src, message) in cases {
        assert_eq!(error(src), message, "{src}");
    }
}

#[test]
fn blank_filters_and_filter_arrays() {
    assert_eq!(filter::parse("   "), Ok(None));
    let show_json = |value: Value| filter::from_json(Some(&value)).map(|e| e.as_ref().map(show));
    assert_eq!(
        show_json(json!(["a = 1", ["b = 2", "c = 3"]])),
        Ok(Some("AND[a=1, OR[b=2, c=3]]".to_string()))
    );
    assert_eq!(
        show_json(json!(["", ["a = 1"]])),
        Ok(Some("a=1".to_string()))
    );
    assert_eq!(show_json(json!([])), Ok(None));
    assert_eq!(
        show_json(json!(1)),
        Err(
            "Invalid type for filter subexpression: expected: String, Array, found: 1.".to_string()
        )
    );
    assert_eq!(
        show_json(json!([["a = 1", ["b = 2"]]])),
        Err(
            r#"Invalid type for filter subexpression: expected: String, found: ["b = 2"]."#
                .to_string()
        )
    );
}

#[test]
fn evaluation_on_documents() {
    let Value::Object(doc) = json!({
        "id": 1, "price": 30, "tags": ["红", "Blue"], "name": "Say \"hi\"", "empty": "",
        "none": null, "list": [], "nested": {"a": 2}, "flag": true
    }) else {
        unreachable!()
    };
    let cases = [
        ("price = 30", true),
        ("price = \"30\"", true),
        ("price != 31", true),
        ("price > 29.5", true),
        ("price 30 TO 40", true),
        ("price 31 TO 40", false),
        ("tags = blue", true),
        ("tags IN [green, 红]", true),
        ("tags NOT IN [green]", true),
        ("missing != 1", true),
        ("missing EXISTS", false),
        ("none EXISTS", true),
        ("none IS NULL", true),
        ("price IS NULL", false),
        ("empty IS EMPTY", true),
        ("list IS EMPTY", true),
        ("price IS NOT EMPTY", true),
        ("nested.a = 2", true),
        ("flag = true", true),
        ("flag = false", false),
        (r#"name = "say \"HI\"""#, true),
        ("NOT (price < 10 OR flag = false)", true),
        ("price < 10 OR flag = false", false),
    ];
    for (src, expected) in cases {
        assert_eq!(filter::matches(&parsed(src), &doc), expected, "{src}");
    }
}

fn rules(filterable: Value) -> FilterRules {
    let mut settings = Map::new();
    settings.insert("filterableAttributes".into(), filterable);
    FilterRules::from_settings(&settings)
}

fn rejection(src: &str, rules: &FilterRules) -> Option<String> {
    match filter::check(&parsed(src), rules) {
        Ok(()) => None,
        Err(Rejection::NotFilterable(message)) => Some(message),
        Err(Rejection::Feature(error)) => Some(format!("{}: {}", error.code, error.message)),
    }
}

#[test]
fn only_filterable_attributes_and_allowed_operators_pass() {
    let configured = rules(json!([
        "sector",
        "price_*",
        {"attributePatterns": ["rank"], "features": {"filter": {"equality": true, "comparison": false}}}
    ]));
    assert_eq!(
        rejection("sector = x AND price_min > 3 AND rank = 2", &configured),
        None
    );
    assert_eq!(
        rejection("sector = x OR title = x", &configured).as_deref(),
        Some("Attribute `title` is not filterable. Available filterable attribute patterns are: `price_*`, `rank`, `sector`.\n2:7 \"title\" = \"x\"")
    );
    assert!(rejection("rank > 3", &configured)
        .unwrap()
        .starts_with("Filter operator `>` is not allowed for the attribute `rank`."));
    assert!(rejection("sector CONTAINS x", &configured)
        .unwrap()
        .starts_with("feature_not_enabled: Using `CONTAINS` in a filter requires enabling"));
    assert_eq!(
        rejection("title IN [a, \"b\"]", &rules(json!([]))).as_deref(),
        Some("Attribute `title` is not filterable. This index does not have configured filterable attributes.\n2:7 \"title\" IN [\"a\", \"b\"]")
    );
}
