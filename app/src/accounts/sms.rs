//! Text messages (SMS) the site sends: one small trait, so a deployment plugs in its
//! provider and tests capture messages. The demo and test deployments write each message
//! to the demo mailbox (`server::sms`), readable by platform admins at `/admin/mailbox`;
//! a deployment with no sender offers no mobile confirmation.

use std::future::Future;
use std::pin::Pin;

/// Sends one text message to a mobile number (`13812345678`, mainland China).
pub trait SmsSender: Send + Sync {
    fn send<'a>(
        &'a self,
        to: &'a str,
        text: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;
}

/// A mobile number as written (`138 1234 5678`, `+86 13812345678`) as stored: the 11
/// digits of a mainland China mobile number (GB/T and MIIT numbering: `1[3-9]` and nine
/// more digits), or `None` when it is not one.
pub fn normalise_mobile(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .unwrap_or(&digits);
    let valid = digits.len() == 11
        && digits.chars().all(|c| c.is_ascii_digit())
        && digits.starts_with('1')
        && matches!(digits.as_bytes()[1], b'3'..=b'9');
    valid.then(|| digits.to_owned())
}

/// A number shown in logs: the first three and last four digits.
pub fn masked(mobile: &str) -> String {
    if mobile.len() == 11 && mobile.is_ascii() {
        format!("{}****{}", &mobile[..3], &mobile[7..])
    } else {
        "***".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mainland_mobile_numbers_are_normalised_and_others_refused() {
        assert_eq!(
            normalise_mobile("138 1234 5678").as_deref(),
            Some("13812345678")
        );
        assert_eq!(
            normalise_mobile("+86 138-1234-5678").as_deref(),
            Some("13812345678")
        );
        assert_eq!(normalise_mobile("0519-85681234"), None);
        assert_eq!(normalise_mobile("12812345678"), None);
        assert_eq!(normalise_mobile("1381234567"), None);
        assert_eq!(normalise_mobile("１３８１２３４５６７８"), None);
        assert_eq!(masked("13812345678"), "138****5678");
    }
}
