//! Amounts of money, kept in fen (分) so that sums are exact, shown in 元 or 万元.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// Text that is not an amount of money in 元.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an amount in yuan")]
pub struct InvalidAmount;

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money {
    pub fen: i64,
}

const FEN_PER_YUAN: i64 = 100;
const FEN_PER_WAN: i64 = 10_000 * FEN_PER_YUAN;

impl Money {
    pub fn from_fen(fen: i64) -> Money {
        Money { fen }
    }

    pub fn from_yuan(yuan: i64) -> Money {
        Money {
            fen: yuan.saturating_mul(FEN_PER_YUAN),
        }
    }

    /// An amount a person typed in 元: digits with at most two decimals, thousands
    /// separators (`,` `，`) and full-width digits allowed, or a number followed by `万`
    /// (`12.5万` = 125,000 元, at most six decimals then). Errors: anything else, a
    /// negative amount, or more than 10^13 元.
    pub fn parse_yuan(text: &str) -> Result<Money, InvalidAmount> {
        let normal: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ',' | '，' | ' ' | '元'))
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '．' => '.',
                other => other,
            })
            .collect();
        let (number, unit_fen, max_decimals) = match normal.strip_suffix('万') {
            Some(number) => (number, FEN_PER_WAN, 6),
            None => (normal.as_str(), FEN_PER_YUAN, 2),
        };
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(fraction)
            || fraction.len() > max_decimals
            || whole.len() > 13
        {
            return Err(InvalidAmount);
        }
        let whole: i64 = whole.parse().map_err(|_| InvalidAmount)?;
        let scale = 10_i64.pow(fraction.len() as u32);
        let fraction: i64 = if fraction.is_empty() {
            0
        } else {
            fraction.parse().map_err(|_| InvalidAmount)?
        };
        let fen = whole
            .checked_mul(unit_fen)
            .and_then(|fen| fen.checked_add(fraction * unit_fen / scale))
            .filter(|fen| *fen <= 10_i64.pow(15))
            .ok_or(InvalidAmount)?;
        Ok(Money { fen })
    }

    /// The amount as a form shows it again, in 元 (`1250.5`).
    pub fn yuan_text(self) -> String {
        decimal(self.fen, FEN_PER_YUAN)
    }

    /// Chinese readers see 万元 for large amounts ("12.5万元"); English readers see yuan
    /// with thousands separators ("¥125,000").
    pub fn display(self, locale: Locale) -> String {
        match locale {
            Locale::ZhCn if self.fen >= FEN_PER_WAN => {
                format!("{}万元", decimal(self.fen, FEN_PER_WAN))
            }
            Locale::ZhCn => format!("{}元", decimal(self.fen, FEN_PER_YUAN)),
            Locale::En => format!("¥{}", grouped(self.fen / FEN_PER_YUAN)),
        }
    }

    /// A range such as a price or budget; either end may be unknown.
    pub fn display_range(min: Option<Money>, max: Option<Money>, locale: Locale) -> Option<String> {
        match (min, max) {
            (Some(min), Some(max)) if min == max => Some(min.display(locale)),
            (Some(min), Some(max)) => {
                Some(format!("{} – {}", min.display(locale), max.display(locale)))
            }
            (Some(min), None) => Some(format!("≥ {}", min.display(locale))),
            (None, Some(max)) => Some(format!("≤ {}", max.display(locale))),
            (None, None) => None,
        }
    }
}

/// `amount / unit` rounded half-up to two decimals, trailing zeros dropped.
fn decimal(amount: i64, unit: i64) -> String {
    let total = (i128::from(amount) * 100 + i128::from(unit) / 2) / i128::from(unit);
    let whole = total / 100;
    let hundredths = total % 100;
    match hundredths {
        0 => whole.to_string(),
        h if h % 10 == 0 => format!("{whole}.{}", h / 10),
        h => format!("{whole}.{h:02}"),
    }
}

fn grouped(value: i64) -> String {
    let digits = value.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if value < 0 {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_typed_in_yuan_are_read_exactly() {
        let fen = |text: &str| Money::parse_yuan(text).map(|money| money.fen);
        assert_eq!(fen("1250"), Ok(125_000));
        assert_eq!(fen("1,250.5"), Ok(125_050));
        assert_eq!(fen("１２５０．０５元"), Ok(125_005));
        assert_eq!(fen("12.5万"), Ok(12_500_000));
        assert_eq!(fen("0"), Ok(0));
        for bad in ["", "-5", "1.234", "abc", "1e5", "12.5万万", ".5"] {
            assert_eq!(fen(bad), Err(InvalidAmount), "{bad:?}");
        }
        assert_eq!(Money::from_fen(125_050).yuan_text(), "1250.5");
    }

    #[test]
    fn large_amounts_are_shown_in_wan_yuan_in_chinese() {
        assert_eq!(Money::from_yuan(125_000).display(Locale::ZhCn), "12.5万元");
        assert_eq!(Money::from_yuan(3_000_000).display(Locale::ZhCn), "300万元");
        assert_eq!(Money::from_yuan(10_050).display(Locale::ZhCn), "1.01万元");
        assert_eq!(Money::from_yuan(8_000).display(Locale::ZhCn), "8000元");
        assert_eq!(Money::from_fen(1_050).display(Locale::ZhCn), "10.5元");
    }

    #[test]
    fn english_shows_grouped_yuan() {
        assert_eq!(Money::from_yuan(125_000).display(Locale::En), "¥125,000");
        assert_eq!(Money::from_yuan(999).display(Locale::En), "¥999");
        assert_eq!(
            Money::from_yuan(1_000_000).display(Locale::En),
            "¥1,000,000"
        );
    }

    #[test]
    fn ranges_handle_missing_ends() {
        let five = Some(Money::from_yuan(50_000));
        let ten = Some(Money::from_yuan(100_000));
        assert_eq!(
            Money::display_range(five, ten, Locale::ZhCn).unwrap(),
            "5万元 – 10万元"
        );
        assert_eq!(
            Money::display_range(five, five, Locale::ZhCn).unwrap(),
            "5万元"
        );
        assert_eq!(
            Money::display_range(None, ten, Locale::ZhCn).unwrap(),
            "≤ 10万元"
        );
        assert_eq!(Money::display_range(None, None, Locale::ZhCn), None);
    }
}
