//! Codes of the government-procurement item catalogue (政府采购品目分类目录, Ministry of
//! Finance, 财库〔2022〕31号), which buyers file every purchase under. A code is a letter
//! (A 货物 goods, B 工程 works, C 服务 services) and one to five pairs of digits, each pair a
//! level: `A02` 设备, `A0205` 机械设备, `A020523`, `A02052301` 工业机器人. Trailing `00`
//! pairs name the level above them as a whole (`A02051900` is `A020519`), so codes are
//! compared in their canonical form, without them.
//!
//! Search and the product list filter by a category with its hierarchy: a filter on a
//! parent code includes every code below it ([`path`]).

use crate::i18n::Locale;
use std::sync::OnceLock;

/// Most digit pairs in a code (ten digits).
const MAX_PAIRS: usize = 5;

/// `code` in canonical form: upper-case, without trailing `00` pairs below the first
/// level. `None` unless it is a letter A, B or C followed by zero to five pairs of digits
/// (a bare letter is a level too, for filters).
pub fn canonical(code: &str) -> Option<String> {
    let code = code.trim().to_ascii_uppercase();
    let mut chars = code.chars();
    let letter = chars.next()?;
    let digits = chars.as_str();
    if !matches!(letter, 'A' | 'B' | 'C')
        || !digits.len().is_multiple_of(2)
        || digits.len() > 2 * MAX_PAIRS
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut digits = digits;
    while digits.len() > 2 && digits.ends_with("00") {
        digits = &digits[..digits.len() - 2];
    }
    Some(format!("{letter}{digits}"))
}

/// A product's code as the submission form accepts it: a canonical code with at least one
/// pair of digits (a bare letter names a whole part of the catalogue, not an item).
pub fn is_item_code(code: &str) -> bool {
    canonical(code).is_some_and(|c| c.len() >= 3)
}

/// The levels a code belongs to, from the top: `A02052301` → `A`, `A02`, `A0205`,
/// `A020523`, `A02052301`. Empty for a code that is not one.
pub fn path(code: &str) -> Vec<String> {
    let Some(code) = canonical(code) else {
        return Vec::new();
    };
    (1..=code.len())
        .step_by(2)
        .map(|end| code[..end].to_owned())
        .collect()
}

/// The level above `code` (canonical), if any: `A0205` → `A02`, `A` → none, and none
/// for anything that is not a code (a partner's index may hold anything).
pub fn parent(code: &str) -> Option<&str> {
    if code.len() < 3 || !code.is_ascii() {
        return None;
    }
    code.get(..code.len() - 2)
}

/// `text` with every procurement code in it (a run of ASCII letters and digits that
/// [`is_item_code`]) in canonical form, written by `write` (e.g. quoted): what a person
/// types (`A02100000`, `a0205机械`) meets what documents hold.
pub fn canonical_codes_in(text: &str, write: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if is_item_code(run) {
            let code = canonical(run).unwrap_or_default();
            out.push_str(&write(&code));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The name of an upper level of the catalogue in `locale`, from
/// `procurement_categories.tsv`; deeper levels are named by the products that carry them.
pub fn level_name(code: &str, locale: Locale) -> Option<&'static str> {
    names()
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, zh, en)| match locale {
            Locale::ZhCn => *zh,
            Locale::En => *en,
        })
}

fn names() -> &'static [(&'static str, &'static str, &'static str)] {
    static NAMES: OnceLock<Vec<(&'static str, &'static str, &'static str)>> = OnceLock::new();
    NAMES.get_or_init(|| {
        include_str!("procurement_categories.tsv")
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .filter_map(|line| {
                let mut columns = line.split('\t');
                Some((columns.next()?, columns.next()?, columns.next()?))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_compared_without_trailing_zero_pairs() {
        assert_eq!(canonical("a02051900").as_deref(), Some("A020519"));
        assert_eq!(canonical("A02100000").as_deref(), Some("A0210"));
        assert_eq!(canonical(" C1601 ").as_deref(), Some("C1601"));
        assert_eq!(canonical("A00").as_deref(), Some("A00"));
        assert_eq!(canonical("A").as_deref(), Some("A"));
        for bad in ["", "D02", "A0", "A020", "A02x", "A021234567890", "０２"] {
            assert_eq!(canonical(bad), None, "{bad}");
        }
        assert!(is_item_code("A02052301"));
        assert!(!is_item_code("A"));
    }

    #[test]
    fn a_code_belongs_to_every_level_above_it() {
        assert_eq!(
            path("A02052301"),
            ["A", "A02", "A0205", "A020523", "A02052301"]
        );
        assert_eq!(path("A02051900"), ["A", "A02", "A0205", "A020519"]);
        assert!(path("nonsense").is_empty());
        assert_eq!(parent("A0205"), Some("A02"));
        assert_eq!(parent("A"), None);
        assert_eq!(parent("设备"), None);
        assert_eq!(parent("设备类"), None);
    }

    #[test]
    fn codes_in_a_text_are_written_in_canonical_form() {
        let quoted = |code: &str| format!(" \"{code}\" ");
        assert_eq!(canonical_codes_in("a02100000", quoted), " \"A0210\" ");
        assert_eq!(canonical_codes_in("A0205机械", quoted), " \"A0205\" 机械");
        assert_eq!(
            canonical_codes_in("5G CZCX-2026-01 A", quoted),
            "5G CZCX-2026-01 A"
        );
        assert_eq!(
            canonical_codes_in("ａ0205", quoted),
            "ａ0205",
            "normalised first"
        );
    }

    #[test]
    fn the_upper_levels_are_named_in_both_languages() {
        assert_eq!(level_name("A02", Locale::ZhCn), Some("设备"));
        assert_eq!(
            level_name("C16", Locale::En),
            Some("Information technology services")
        );
        assert_eq!(level_name("A02052301", Locale::ZhCn), None);
        for (code, _, _) in names() {
            assert_eq!(
                canonical(code).as_deref(),
                Some(*code),
                "{code} is canonical"
            );
        }
    }
}
