//! Marking the query's words in titles and snippets, as data (never as HTML), so that
//! nothing from a record can inject markup into the page.

use super::Fragment;

/// `text` cut into fragments, with every occurrence of a word marked (ASCII letters
/// compared without case; the longest word wins where several start at one place).
pub fn highlight(text: &str, words: &[String]) -> Vec<Fragment> {
    let lower = text.to_ascii_lowercase();
    let mut words: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !w.is_empty())
        .collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let mut fragments = Vec::new();
    let mut plain_start = 0;
    let mut at = 0;
    while at < lower.len() {
        let found = words
            .iter()
            .find(|w| lower[at..].starts_with(**w) && on_word_edges(&lower, at, w));
        match found {
            Some(word) => {
                let adjacent = plain_start == at;
                if plain_start < at {
                    fragments.push(Fragment {
                        text: text[plain_start..at].to_owned(),
                        hit: false,
                    });
                }
                let matched = &text[at..at + word.len()];
                // Words found side by side (石墨 + 烯) read as one highlight.
                match fragments.last_mut() {
                    Some(last) if adjacent && last.hit => last.text.push_str(matched),
                    _ => fragments.push(Fragment {
                        text: matched.to_owned(),
                        hit: true,
                    }),
                }
                at += word.len();
                plain_start = at;
            }
            None => at += lower[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    if plain_start < text.len() {
        fragments.push(Fragment {
            text: text[plain_start..].to_owned(),
            hit: false,
        });
    }
    fragments
}

/// Whether a match of `word` at byte `at` of `text` may be marked. A Latin word starts at
/// a word's start (`ai` is not marked in `maintain`); a short one (three letters or fewer,
/// such as `ev` or `ic`) must also end where the word does (not in `every`), while a
/// longer one may be the start of a longer word, as prefix search finds (`photovolt`).
fn on_word_edges(text: &str, at: usize, word: &str) -> bool {
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !word.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return true;
    }
    if latin(text[..at].chars().next_back()) {
        return false;
    }
    word.chars().count() > 3 || !latin(text[at + word.len()..].chars().next())
}

/// About `width` characters of `text` around the first matched word, with ellipses.
pub fn snippet(text: &str, words: &[String], width: usize) -> String {
    let lower = text.to_ascii_lowercase();
    let first_byte = words
        .iter()
        .filter_map(|w| lower.find(w.as_str()))
        .min()
        .unwrap_or(0);
    let first_char = text[..first_byte].chars().count();
    let start = first_char.saturating_sub(width / 4);
    let total = text.chars().count();
    let piece: String = text.chars().skip(start).take(width).collect();
    format!(
        "{}{}{}",
        if start > 0 { "…" } else { "" },
        piece,
        if start + width < total { "…" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(fragments: &[Fragment]) -> String {
        fragments
            .iter()
            .map(|f| {
                if f.hit {
                    format!("[{}]", f.text)
                } else {
                    f.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn query_words_are_marked_in_chinese_and_english() {
        let words = vec!["机器人".to_owned(), "vision".to_owned()];
        assert_eq!(
            marked(&highlight("工业机器人Vision系统", &words)),
            "工业[机器人Vision]系统"
        );
        assert_eq!(marked(&highlight("无关内容", &words)), "无关内容");
        assert_eq!(highlight("", &words), vec![]);
        let split = vec!["石墨".to_owned(), "烯".to_owned()];
        assert_eq!(marked(&highlight("石墨烯导热膜", &split)), "[石墨烯]导热膜");
    }

    #[test]
    fn latin_words_are_marked_only_as_words() {
        let words = vec!["ai".to_owned(), "ev".to_owned(), "photovolt".to_owned()];
        assert_eq!(
            marked(&highlight("AI maintains every EV photovoltaic", &words)),
            "[AI] maintains every [EV] [photovolt]aic"
        );
        assert_eq!(marked(&highlight("AI视觉", &words)), "[AI]视觉");
    }

    #[test]
    fn markup_in_a_record_stays_text() {
        let words = vec!["script".to_owned()];
        let fragments = highlight("<script>alert(1)</script>", &words);
        assert!(fragments.iter().all(|f| !f.text.contains("<b>")));
        assert_eq!(marked(&fragments), "<[script]>alert(1)</[script]>");
    }

    #[test]
    fn the_snippet_starts_near_the_first_match() {
        let text = format!("{}机器人{}", "前".repeat(100), "后".repeat(100));
        let snippet = snippet(&text, &["机器人".to_owned()], 40);
        assert!(snippet.starts_with('…') && snippet.ends_with('…') && snippet.contains("机器人"));
    }
}
