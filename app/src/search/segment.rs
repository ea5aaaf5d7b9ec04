//! Splitting text into words: Chinese has no spaces, so a query like 「工业机器人视觉检测」
//! only finds 机器人 or 视觉检测 once both the documents and the query are segmented the
//! same way. jieba's search mode also emits the shorter words inside long ones.

use jieba_rs::Jieba;
use std::sync::OnceLock;

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// The words of `text`, lower-cased, without punctuation or spaces.
pub fn words(text: &str) -> Vec<String> {
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

/// `text` as space-separated words, ready for `to_tsvector('simple', …)`.
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
        assert!(words.iter().any(|w| w.contains("czcx")), "{words:?}");
    }

    #[test]
    fn punctuation_and_spaces_are_dropped() {
        assert_eq!(segmented("，。 ！"), "");
        assert!(!segmented("智能制造、数字赋能").contains('、'));
    }
}
