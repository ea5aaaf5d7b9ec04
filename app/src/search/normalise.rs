//! Every written form of a word, the same for search: what input methods, regions and
//! documents produce differs in form, not meaning. Documents and queries pass through
//! [`normalise`] before segmentation on the embedded index, and queries before they go
//! to Meilisearch; displayed text always keeps its original form.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// `text` with (in this order):
/// - Unicode compatibility forms folded (NFKC, Unicode Standard Annex #15): full-width
///   letters and digits (`ＡＩ`, `５Ｇ`) become `AI`, `5G`, the ideographic space a space;
/// - curly and corner-less quotation marks (“ ” „ ‟ 〝 〞 ‘ ’) made straight;
/// - traditional characters made simplified (`處理` → `处理`, `機器人` → `机器人`), by the
///   OpenCC and MediaWiki conversion tables (`zhconv`, variant `zh-Hans`).
///
/// ASCII text (nothing to change) is returned as it was, without copying.
pub fn normalise(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let folded: String = text
        .nfkc()
        .map(|c| match c {
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{301D}' | '\u{301E}' => '"',
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' => '\'',
            c => c,
        })
        .collect();
    Cow::Owned(zhconv::zhconv(&folded, zhconv::Variant::ZhHans))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_form_comes_out_alike() {
        assert_eq!(normalise("５Ｇ"), "5G");
        assert_eq!(normalise("ＡＩ　视觉"), "AI 视觉");
        assert_eq!(normalise("處理"), "处理");
        assert_eq!(normalise("機器人"), "机器人");
        assert_eq!(normalise("“智能制造”"), "\"智能制造\"");
        assert_eq!(normalise("‘光伏’"), "'光伏'");
        assert_eq!(normalise("工业机器人视觉检测"), "工业机器人视觉检测");
        assert!(matches!(normalise("robot 5G"), Cow::Borrowed(_)));
    }
}
