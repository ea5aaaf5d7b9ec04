//! The filter parser, following the grammar of Meilisearch's `filter-parser` crate closely
//! enough to give its error messages, positions included (fixture 14).
//!
//! Grammar: `or = and ("OR" and)*`, `and = not ("AND" not)*`, `not = "NOT" not | primary`,
//! `primary = "(" or ")" | value ("IN" | "NOT IN") "[" value, ... "]" | value op value |
//! value value "TO" value | value EXISTS | value NOT EXISTS | value IS [NOT] NULL | value
//! IS [NOT] EMPTY`. A value is a word of letters, digits, `_`, `-` and `.`, or a string in
//! double or single quotes where a backslash escapes the quote (or `\\`, `\n`, ...).
//! Keywords are case-sensitive and may not be bare values. As in the real parser, a failure
//! after `AND`, `OR`, `NOT`, `(`, an operator or `IN` is final ("hard"); a failure before
//! that lets the other forms be tried ("soft") and ends as "Was expecting an operation".

use super::{Expr, Op, Token};

const MAX_DEPTH: usize = 200;

const KEYWORDS: [&str; 14] = [
    "AND",
    "OR",
    "IN",
    "NOT",
    "TO",
    "EXISTS",
    "IS",
    "NULL",
    "EMPTY",
    "CONTAINS",
    "STARTS",
    "WITH",
    "_geoRadius",
    "_geoBoundingBox",
];

/// Parses one filter string (`Ok(None)` when blank). The error is the real server's message.
pub fn parse(src: &str) -> Result<Option<Expr>, String> {
    if src.trim().is_empty() {
        return Ok(None);
    }
    let mut parser = Parser {
        src,
        chars: src.chars().collect(),
        pos: 0,
    };
    let expr = match parser.or(0) {
        Ok(expr) => expr,
        Err(Fail::Soft(e) | Fail::Hard(e)) => return Err(parser.message(e)),
    };
    if parser.pos < parser.chars.len() {
        let rest = parser.rest(parser.pos, Kind::ExpectedEof);
        return Err(parser.message(rest));
    }
    Ok(Some(expr))
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    ExpectedValue { reserved: bool },
    MalformedValue,
    InvalidEscapedNumber,
    MissingClosingDelimiter(char),
    InvalidPrimary,
    ExpectedEof,
    InOpeningBracket,
    InClosingBracket,
    InExpectedValue { reserved: bool },
    DepthLimitReached,
    Unsupported,
}

/// A parse error: the source characters `start..end` it is about, and what went wrong.
#[derive(Debug, Clone)]
struct ParseError {
    start: usize,
    end: usize,
    kind: Kind,
}

enum Fail {
    /// Another form may still match.
    Soft(ParseError),
    /// Final.
    Hard(ParseError),
}

impl Fail {
    fn hard(self) -> Fail {
        match self {
            Fail::Soft(e) | Fail::Hard(e) => Fail::Hard(e),
        }
    }
}

type Parsed<T> = Result<T, Fail>;

fn is_value_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

fn is_syntax_char(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '=' | '<' | '>' | '!')
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn cond(attr: Token, op: Op) -> Expr {
    Expr::Cond { attr, op }
}

fn not(expr: Expr) -> Expr {
    Expr::Not(Box::new(expr))
}

struct Parser<'a> {
    src: &'a str,
    chars: Vec<char>,
    pos: usize,
}

impl Parser<'_> {
    /// An error about everything from `start` to the end, the usual context in the real parser.
    fn rest(&self, start: usize, kind: Kind) -> ParseError {
        ParseError {
            start,
            end: self.chars.len(),
            kind,
        }
    }

    fn spaces0(&self, from: usize) -> usize {
        let mut at = from;
        while self.chars.get(at).copied().is_some_and(is_space) {
            at += 1;
        }
        at
    }

    /// At least one space, as `multispace1`.
    fn spaces1(&self, from: usize) -> Option<usize> {
        let at = self.spaces0(from);
        (at > from).then_some(at)
    }

    fn word_end(&self, from: usize) -> usize {
        let mut at = from;
        while self.chars.get(at).copied().is_some_and(is_value_char) {
            at += 1;
        }
        at
    }

    /// The word at `from` is exactly `keyword` (`ORDER` is not `OR`); returns its end.
    fn keyword(&self, from: usize, keyword: &str) -> Option<usize> {
        let end = self.word_end(from);
        (end > from && self.chars[from..end].iter().copied().eq(keyword.chars())).then_some(end)
    }

    /// The text at `from` starts with `tag`; returns where it ends.
    fn tag(&self, from: usize, tag: &str) -> Option<usize> {
        let tag: Vec<char> = tag.chars().collect();
        let end = from + tag.len();
        (end <= self.chars.len() && self.chars[from..end] == tag[..]).then_some(end)
    }

    fn or(&mut self, depth: usize) -> Parsed<Expr> {
        self.list(depth, "OR", Self::and, Expr::Or)
    }

    fn and(&mut self, depth: usize) -> Parsed<Expr> {
        self.list(depth, "AND", Self::not, Expr::And)
    }

    /// `item (keyword item)*`; once the keyword is read, the next item must parse.
    fn list(
        &mut self,
        depth: usize,
        keyword: &str,
        item: fn(&mut Self, usize) -> Parsed<Expr>,
        combine: fn(Vec<Expr>) -> Expr,
    ) -> Parsed<Expr> {
        if depth > MAX_DEPTH {
            return Err(Fail::Hard(self.rest(self.pos, Kind::DepthLimitReached)));
        }
        let mut items = vec![item(self, depth + 1)?];
        while let Some(end) = self.keyword(self.spaces0(self.pos), keyword) {
            self.pos = self.spaces0(end);
            items.push(item(self, depth + 1).map_err(Fail::hard)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            combine(items)
        })
    }

    fn not(&mut self, depth: usize) -> Parsed<Expr> {
        if depth > MAX_DEPTH {
            return Err(Fail::Hard(self.rest(self.pos, Kind::DepthLimitReached)));
        }
        if let Some(end) = self.keyword(self.spaces0(self.pos), "NOT") {
            self.pos = self.spaces0(end);
            return Ok(match self.not(depth + 1).map_err(Fail::hard)? {
                Expr::Not(inner) => *inner,
                other => not(other),
            });
        }
        self.primary(depth + 1)
    }

    fn primary(&mut self, depth: usize) -> Parsed<Expr> {
        if depth > MAX_DEPTH {
            return Err(Fail::Hard(self.rest(self.pos, Kind::DepthLimitReached)));
        }
        let start = self.pos;
        let at = self.spaces0(start);
        if self.chars.get(at) == Some(&'(') {
            self.pos = self.spaces0(at + 1);
            let inner = self.or(depth + 1).map_err(Fail::hard)?;
            let close = self.spaces0(self.pos);
            if self.chars.get(close) != Some(&')') {
                return Err(Fail::Hard(
                    self.rest(start, Kind::MissingClosingDelimiter(')')),
                ));
            }
            self.pos = self.spaces0(close + 1);
            return Ok(inner);
        }
        let word: String = self.chars[at..self.word_end(at)].iter().collect();
        let geo = [
            "_geoRadius",
            "_geoBoundingBox",
            "_geoPoint",
            "_geoDistance",
            "_geo",
        ];
        if geo.contains(&word.as_str()) {
            return Err(Fail::Hard(self.rest(at, Kind::Unsupported)));
        }
        match self.condition() {
            Ok(expr) => Ok(expr),
            Err(Fail::Soft(_)) => {
                self.pos = start;
                Err(Fail::Soft(self.rest(start, Kind::InvalidPrimary)))
            }
            Err(hard) => Err(hard),
        }
    }

    /// Everything that starts with an attribute name.
    fn condition(&mut self) -> Parsed<Expr> {
        let attr = match self.value() {
            Ok(attr) => attr,
            // A keyword where an attribute name should be: reported as such, not as a
            // missing operation.
            Err(Fail::Soft(e)) if matches!(e.kind, Kind::ExpectedValue { reserved: true }) => {
                return Err(Fail::Hard(e))
            }
            Err(fail) => return Err(fail),
        };
        let at = self.pos;
        if let Some(end) = self.keyword(at, "IN") {
            self.pos = self.spaces0(end);
            return Ok(cond(attr, Op::In(self.in_list()?)));
        }
        if let Some(end) = self.keyword(at, "NOT") {
            if let Some(end) = self.keyword(self.spaces0(end), "IN") {
                self.pos = self.spaces0(end);
                return Ok(not(cond(attr, Op::In(self.in_list()?))));
            }
        }
        for operator in ["<=", ">=", "!=", "<", ">", "="] {
            if let Some(end) = self.tag(at, operator) {
                self.pos = end;
                let value = self.value().map_err(Fail::hard)?;
                let op = match operator {
                    "<=" => Op::Le(value),
                    ">=" => Op::Ge(value),
                    "!=" => Op::Ne(value),
                    "<" => Op::Lt(value),
                    ">" => Op::Gt(value),
                    _ => Op::Eq(value),
                };
                return Ok(cond(attr, op));
            }
        }
        if let Some(after_is) = self.tag(at, "IS").and_then(|end| self.spaces1(end)) {
            for (word, op) in [("NULL", Op::IsNull), ("EMPTY", Op::IsEmpty)] {
                if let Some(end) = self.tag(after_is, word) {
                    self.pos = end;
                    return Ok(cond(attr, op));
                }
            }
            if let Some(after_not) = self.tag(after_is, "NOT").and_then(|end| self.spaces1(end)) {
                for (word, op) in [("NULL", Op::IsNull), ("EMPTY", Op::IsEmpty)] {
                    if let Some(end) = self.tag(after_not, word) {
                        self.pos = end;
                        return Ok(not(cond(attr, op)));
                    }
                }
            }
        }
        if let Some(end) = self.tag(at, "EXISTS") {
            self.pos = end;
            return Ok(cond(attr, Op::Exists));
        }
        let after_not = self.tag(at, "NOT").and_then(|end| self.spaces1(end));
        if let Some(end) = after_not.and_then(|s| self.tag(s, "EXISTS")) {
            self.pos = end;
            return Ok(not(cond(attr, Op::Exists)));
        }
        // `attr from TO to`
        match self.value() {
            Ok(from) => {
                let after_to = self.tag(self.pos, "TO").and_then(|end| self.spaces1(end));
                if let Some(after_to) = after_to {
                    self.pos = after_to;
                    let to = self.value().map_err(Fail::hard)?;
                    return Ok(cond(attr, Op::Between(from, to)));
                }
            }
            Err(Fail::Hard(e)) => return Err(Fail::Hard(e)),
            Err(Fail::Soft(_)) => {}
        }
        self.pos = at;
        for (negated, word) in [
            (false, "CONTAINS"),
            (false, "STARTS WITH"),
            (true, "CONTAINS"),
            (true, "STARTS WITH"),
        ] {
            let from = if negated { after_not } else { Some(at) };
            if let Some(end) = from.and_then(|from| self.tag(from, word)) {
                self.pos = end;
                let value = self.value().map_err(Fail::hard)?;
                let op = if word == "CONTAINS" {
                    Op::Contains(value)
                } else {
                    Op::StartsWith(value)
                };
                let expr = cond(attr, op);
                return Ok(if negated { not(expr) } else { expr });
            }
        }
        Err(Fail::Soft(self.rest(at, Kind::InvalidPrimary)))
    }

    /// After `IN`: `[value, value, ...]`, a trailing comma allowed.
    fn in_list(&mut self) -> Parsed<Vec<Token>> {
        let open = self.pos;
        if self.chars.get(open) != Some(&'[') {
            return Err(Fail::Hard(self.rest(open, Kind::InOpeningBracket)));
        }
        self.pos = open + 1;
        let mut items = Vec::new();
        let first_at = self.pos;
        match self.value() {
            Ok(first) => {
                items.push(first);
                loop {
                    let before = self.pos;
                    let comma = self.spaces0(before);
                    if self.chars.get(comma) != Some(&',') {
                        break;
                    }
                    self.pos = self.spaces0(comma + 1);
                    match self.value() {
                        Ok(item) => items.push(item),
                        Err(Fail::Soft(_)) => {
                            self.pos = before;
                            break;
                        }
                        Err(hard) => return Err(hard),
                    }
                }
                let comma = self.spaces0(self.pos);
                if self.chars.get(comma) == Some(&',') {
                    self.pos = self.spaces0(comma + 1);
                }
            }
            Err(Fail::Soft(_)) => self.pos = first_at,
            Err(hard) => return Err(hard),
        }
        let before_close = self.pos;
        let close = self.spaces0(before_close);
        if self.chars.get(close) == Some(&']') {
            self.pos = self.spaces0(close + 1);
            return Ok(items);
        }
        if before_close >= self.chars.len() {
            return Err(Fail::Hard(self.rest(before_close, Kind::InClosingBracket)));
        }
        let reserved = matches!(
            self.value(),
            Err(Fail::Soft(ParseError {
                kind: Kind::ExpectedValue { reserved: true },
                ..
            }))
        );
        Err(Fail::Hard(
            self.rest(before_close, Kind::InExpectedValue { reserved }),
        ))
    }

    /// A word or a quoted string, and the spaces after it.
    fn value(&mut self) -> Parsed<Token> {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
        let start = self.pos;
        let len = self.chars.len();
        if let Some(&quote @ ('"' | '\'')) = self.chars.get(start) {
            let mut at = start + 1;
            let close = loop {
                match self.chars.get(at) {
                    None => {
                        return Err(Fail::Hard(
                            self.rest(start, Kind::MissingClosingDelimiter(quote)),
                        ))
                    }
                    Some(&c) if c == quote => break at,
                    Some('\\') if at + 1 >= len => {
                        return Err(Fail::Hard(self.rest(start + 1, Kind::MalformedValue)))
                    }
                    Some('\\') => at += 2,
                    Some(_) => at += 1,
                }
            };
            let raw: String = self.chars[start + 1..close].iter().collect();
            let value = unescape(&raw, quote).map_err(|kind| {
                Fail::Soft(ParseError {
                    start: start + 1,
                    end: close,
                    kind,
                })
            })?;
            self.pos = self.spaces0(close + 1);
            return Ok(Token {
                value,
                start: start + 1,
                len: close - start - 1,
            });
        }
        let end = self.word_end(start);
        let word: String = self.chars[start..end].iter().collect();
        if end == start || KEYWORDS.contains(&word.as_str()) {
            // The error is about the text up to the next syntax character.
            let mut error_end = start;
            while self
                .chars
                .get(error_end)
                .is_some_and(|&c| !is_syntax_char(c))
            {
                error_end += 1;
            }
            return Err(Fail::Soft(ParseError {
                start,
                end: error_end,
                kind: Kind::ExpectedValue {
                    reserved: end > start,
                },
            }));
        }
        self.pos = self.spaces0(end);
        Ok(Token {
            value: word,
            start,
            len: end - start,
        })
    }

    /// The real server's wording, then `column:end-column filter`.
    fn message(&self, e: ParseError) -> String {
        let fragment: String = self.chars[e.start..e.end].iter().collect();
        let escaped = fragment.escape_debug().to_string();
        let blank = fragment.trim().is_empty();
        let text = match e.kind {
            Kind::ExpectedValue { .. } if blank => "Was expecting a value but instead got nothing.".to_string(),
            Kind::ExpectedValue { reserved: true } => format!("Was expecting a value but instead got `{escaped}`, which is a reserved keyword. To use `{escaped}` as a field name or a value, surround it by quotes."),
            Kind::ExpectedValue { reserved: false } => format!("Was expecting a value but instead got `{escaped}`."),
            Kind::MalformedValue => format!("Malformed value: `{escaped}`."),
            Kind::InvalidEscapedNumber => format!("Found an invalid escaped sequence number: `{escaped}`."),
            Kind::MissingClosingDelimiter(c) => format!("Expression `{escaped}` is missing the following closing delimiter: `{c}`."),
            Kind::InvalidPrimary => {
                let tail = if blank { "but instead got nothing.".to_string() } else { format!("at `{escaped}`.") };
                format!("Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `CONTAINS`, `NOT CONTAINS`, `STARTS WITH`, `NOT STARTS WITH`, `_geoRadius`, or `_geoBoundingBox` {tail}")
            }
            Kind::ExpectedEof => format!("Found unexpected characters at the end of the filter: `{escaped}`. You probably forgot an `OR` or an `AND` rule."),
            Kind::InOpeningBracket => "Expected `[` after `IN` keyword.".to_string(),
            Kind::InClosingBracket => "Expected matching `]` after the list of field names given to `IN[`".to_string(),
            Kind::InExpectedValue { reserved: true } => format!("Expected only comma-separated field names inside `IN[..]` but instead found `{escaped}`, which is a keyword. To use `{escaped}` as a field name or a value, surround it by quotes."),
            Kind::InExpectedValue { reserved: false } => format!("Expected only comma-separated field names inside `IN[..]` but instead found `{escaped}`."),
            Kind::DepthLimitReached => "The filter exceeded the maximum depth limit. Try rewriting the filter so that it contains fewer nested conditions.".to_string(),
            Kind::Unsupported => "The Meilisearch mock does not support geo filters.".to_string(),
        };
        let line_start = self.chars[..e.start]
            .iter()
            .rposition(|&c| c == '\n')
            .map_or(0, |i| i + 1);
        let column = e.start - line_start + 1;
        format!(
            "{text}\n{column}:{} {}",
            column + (e.end - e.start),
            self.src
        )
    }
}

/// Backslash escapes in a quoted value: the quote, `\\`, `\n`, `\t`, `\xHH`, `\u{...}`, ...
fn unescape(raw: &str, quote: char) -> Result<String, Kind> {
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escaped = match chars.next() {
            Some(c) if c == quote || matches!(c, '"' | '\'' | '\\' | '/') => c,
            Some('n') => '\n',
            Some('t') => '\t',
            Some('r') => '\r',
            Some('0') => '\0',
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 2)
                    .and_then(char::from_u32)
                    .ok_or(Kind::InvalidEscapedNumber)?
            }
            Some('u') => {
                let rest = chars.as_str();
                let (hex, skip) = match rest.strip_prefix('{') {
                    Some(braced) => {
                        let close = braced.find('}').ok_or(Kind::InvalidEscapedNumber)?;
                        (&braced[..close], close + 2)
                    }
                    None => (rest.get(..4).ok_or(Kind::InvalidEscapedNumber)?, 4),
                };
                let c = u32::from_str_radix(hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or(Kind::InvalidEscapedNumber)?;
                chars = rest[skip..].chars();
                c
            }
            _ => return Err(Kind::MalformedValue),
        };
        out.push(escaped);
    }
    Ok(out)
}
