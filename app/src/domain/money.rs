//! Amounts of money, kept in fen (分) so that sums are exact, shown in 元 or 万元.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
