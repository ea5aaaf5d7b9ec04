//! Splitting text into words: Chinese has no spaces, so a query like 「工业机器人视觉检测」
//! only finds 机器人 or 视觉检测 once both the documents and the query are segmented the
//! same way. jieba's search mode also emits the shorter words inside long ones.

use jieba_rs::Jieba;
use std::sync::OnceLock;

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// The words of a record's text, normalised ([`super::normalise::normalise`]: full-width,
/// traditional and quote forms), lower-cased, without punctuation or spaces. Codes
/// (`CZCX-2025-01`, `ZL202310123456.7`) are kept whole, and their parts are words too.
pub fn words(text: &str) -> Vec<String> {
    let text = &*super::normalise::normalise(text);
    let mut words = jieba_words(text);
    for code in codes(text) {
        words.extend(
            code.split(['-', '.', '/'])
                .filter(|part| !part.is_empty())
                .map(str::to_owned),
        );
        words.push(code);
    }
    words
}

/// A query prepared for matching: normalised, procurement codes in canonical form
/// (`A02100000` is `a0210`, as documents hold them: `SearchDocument::body_terms`) and
/// lower-cased; then its codes, and the rest with the codes taken out.
struct PreparedQuery {
    text: String,
    codes: Vec<String>,
    rest: String,
}

fn prepare(text: &str) -> PreparedQuery {
    let text = crate::domain::procurement::canonical_codes_in(
        &super::normalise::normalise(text),
        |code| format!(" {code} "),
    )
    .to_lowercase();
    let codes = codes(&text);
    let mut rest = text.clone();
    for code in &codes {
        rest = rest.replace(code.as_str(), " ");
    }
    PreparedQuery { text, codes, rest }
}

/// The words of a query. A code in the query stands for itself only: `CZCX-2025-01`
/// must not find every record that merely mentions 2025.
pub fn query_words(text: &str) -> Vec<String> {
    let PreparedQuery {
        codes: mut words,
        rest,
        ..
    } = prepare(text);
    for word in query_jieba_words(&rest) {
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

/// A query's words as a person wrote them, in the order written: codes whole and
/// jieba's words (not the shorter words inside them), normalised and lower-cased.
pub fn query_terms(text: &str) -> Vec<String> {
    let PreparedQuery {
        text,
        codes: mut terms,
        rest,
    } = prepare(text);
    for token in jieba().cut(&rest, true) {
        let term: String = token
            .word
            .trim()
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '.')
            .collect();
        if term.chars().any(char::is_alphanumeric) && !terms.contains(&term) {
            terms.push(term);
        }
    }
    // Codes come out first: put every term back in the place it was written.
    terms.sort_by_key(|term| text.find(term.as_str()).unwrap_or(usize::MAX));
    terms
}

/// A query's words: jieba's words, and for a word of four characters or more (工业机器人,
/// 视觉检测) also the shorter words inside it, so that a record holding only part of it
/// is found too (ranked below one holding all). A word of up to three characters stays
/// whole: 机器人 must not find a record that only holds 机器 (机器视觉), and records
/// holding it inside a longer word are indexed with it (`words` is in search mode).
fn query_jieba_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for token in jieba().cut(text, true) {
        let token = token.word;
        if token.chars().count() >= 4 {
            words.extend(jieba_words(token));
        } else {
            let whole = token.trim().chars().count();
            words.extend(
                jieba_words(token)
                    .into_iter()
                    .filter(|w| w.chars().count() >= whole),
            );
        }
    }
    words
}

fn jieba_words(text: &str) -> Vec<String> {
    jieba()
        .cut_for_search(text, true)
        .into_iter()
        .map(|token| token.word.trim().to_lowercase())
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .map(|word| {
            word.chars()
                .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '.')
                .collect()
        })
        .collect()
}

/// Runs of ASCII letters and digits joined by `-`, `.` or `/` (at least two parts, one
/// with a digit): batch numbers, patent numbers, model numbers. Lower-cased.
fn codes(text: &str) -> Vec<String> {
    let mut codes = Vec::new();
    for run in text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/'))) {
        let run = run.trim_matches(|c: char| matches!(c, '-' | '.' | '/'));
        let parts = run.split(['-', '.', '/']).filter(|p| !p.is_empty()).count();
        if parts >= 2 && run.chars().any(|c| c.is_ascii_digit()) {
            codes.push(run.to_ascii_lowercase());
        }
    }
    codes
}

/// `text` as space-separated words: the form stored for the index to load.
pub fn segmented(text: &str) -> String {
    words(text).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chinese_phrase_is_split_into_its_words() {
        let words = words("工业机器人视觉检测");
        for expected in ["工业", "机器人", "视觉", "检测"] {
            assert!(
                words.iter().any(|w| w == expected),
                "{expected} in {words:?}"
            );
        }
    }

    #[test]
    fn english_is_lower_cased_and_codes_stay_whole() {
        let words = words("AI Vision System CZCX-2025-01 ZL202310123456.7");
        assert!(words.contains(&"ai".to_owned()), "{words:?}");
        assert!(words.contains(&"vision".to_owned()));
        assert!(words.contains(&"czcx-2025-01".to_owned()), "{words:?}");
        assert!(words.contains(&"zl202310123456.7".to_owned()), "{words:?}");
        assert!(
            words.contains(&"2025".to_owned()),
            "parts are words too: {words:?}"
        );
    }

    #[test]
    fn a_code_in_a_query_stands_for_itself() {
        let words = query_words("批次 CZCX-2025-01");
        assert!(words.contains(&"czcx-2025-01".to_owned()), "{words:?}");
        assert!(words.contains(&"批次".to_owned()), "{words:?}");
        assert!(!words.contains(&"2025".to_owned()), "{words:?}");
        assert_eq!(query_words("3.5"), vec!["3.5".to_owned()]);
    }

    #[test]
    fn query_terms_keep_the_written_order_and_codes_come_canonical() {
        assert_eq!(query_terms("光伏 CZCX-2026-01"), ["光伏", "czcx-2026-01"]);
        assert_eq!(query_terms("A02100000 机器人"), ["a0210", "机器人"]);
        assert!(query_words("a0205机械").contains(&"a0205".to_owned()));
    }

    #[test]
    fn a_short_query_word_stays_whole_and_a_long_one_finds_its_parts() {
        let short = query_words("机器人");
        assert_eq!(short, vec!["机器人".to_owned()]);
        let long = query_words("工业机器人视觉检测");
        for expected in ["机器人", "视觉", "检测"] {
            assert!(long.iter().any(|w| w == expected), "{expected} in {long:?}");
        }
    }

    #[test]
    fn punctuation_and_spaces_are_dropped() {
        assert_eq!(segmented("，。 ！"), "");
        assert!(!segmented("智能制造、数字赋能").contains('、'));
    }
}
