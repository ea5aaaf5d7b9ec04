//! Checks of the values people type into account forms.

use crate::accounts::form::{FieldError, Problem};
use std::str::FromStr;

/// Longest display or real name, in characters.
pub const MAX_NAME_LENGTH: usize = 60;
/// Longest email address (RFC 5321 §4.5.3.1.3: a path is at most 256 octets, brackets
/// included).
pub const MAX_EMAIL_LENGTH: usize = 254;

/// An address as stored and compared: trimmed, in lower case.
pub fn normalise_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// Whether `email` (normalised) is an address mail can be sent to, by the syntax of RFC
/// 5322 as `lettre` parses it.
pub fn check_email(email: &str) -> Result<(), Problem> {
    if email.is_empty() {
        return Err(Problem::Required);
    }
    if email.len() > MAX_EMAIL_LENGTH {
        return Err(Problem::TooLong);
    }
    lettre::Address::from_str(email)
        .map(|_| ())
        .map_err(|_| Problem::InvalidEmail)
}

/// A telephone number as offices write them (`0519-85681234`, `+86 519 8568 1234`).
pub fn check_phone(phone: &str) -> Result<(), Problem> {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if allowed && (5..=20).contains(&digits) && phone.len() <= 30 {
        Ok(())
    } else {
        Err(Problem::InvalidPhone)
    }
}

/// A name as stored: trimmed, with runs of white space made one space; refused when empty,
/// longer than [`MAX_NAME_LENGTH`] or holding control characters.
pub fn check_name(raw: &str) -> Result<String, Problem> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Problem::Required);
    }
    if name.chars().count() > MAX_NAME_LENGTH {
        return Err(Problem::TooLong);
    }
    if name.chars().any(char::is_control) {
        return Err(Problem::Required);
    }
    Ok(name)
}

/// Collects the problem of one field into `errors`, giving back the checked value.
pub fn collect<T>(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    checked: Result<T, Problem>,
) -> Option<T> {
    match checked {
        Ok(value) => Some(value),
        Err(problem) => {
            errors.push(FieldError { field, problem });
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_compared_trimmed_and_in_lower_case() {
        assert_eq!(
            normalise_email("  Zhang.Wei@Example.CN "),
            "zhang.wei@example.cn"
        );
        assert_eq!(check_email("zhang.wei@example.cn"), Ok(()));
        assert_eq!(check_email(""), Err(Problem::Required));
        assert_eq!(check_email("zhang.wei"), Err(Problem::InvalidEmail));
        assert_eq!(check_email("a b@example.cn"), Err(Problem::InvalidEmail));
        let long = format!("{}@example.cn", "a".repeat(250));
        assert_eq!(check_email(&long), Err(Problem::TooLong));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(check_name("  张   伟 "), Ok("张 伟".to_owned()));
        assert_eq!(check_name("   "), Err(Problem::Required));
        assert_eq!(check_name(&"名".repeat(61)), Err(Problem::TooLong));
        assert_eq!(
            check_name(&"名".repeat(60)).map(|n| n.chars().count()),
            Ok(60)
        );
    }
}
