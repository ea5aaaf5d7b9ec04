//! Record ids as newtypes, so a product id can never be passed where a scenario id belongs.

use serde::{Deserialize, Serialize};

/// The text is not a record id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a record id")]
pub struct InvalidId;

/// A record id as URLs write it: a positive decimal number without sign or leading zero,
/// so each record has exactly one URL. Errors: [`InvalidId`].
pub fn parse_id(text: &str) -> Result<i64, InvalidId> {
    let plain =
        !text.is_empty() && !text.starts_with('0') && text.bytes().all(|b| b.is_ascii_digit());
    match text.parse::<i64>() {
        Ok(id) if plain => Ok(id),
        _ => Err(InvalidId),
    }
}

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type))]
        #[cfg_attr(feature = "ssr", sqlx(transparent))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidId;

            /// See [`parse_id`].
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                parse_id(text).map($name)
            }
        }
    )+};
}

id_type! {
    OrganisationId;
    ProductId;
    ScenarioId;
    ProjectId;
    CallId;
    FirstPurchaseId;
    UserId;
}

#[cfg(test)]
mod tests {
    use super::ProductId;

    #[test]
    fn only_plain_positive_numbers_are_ids() {
        assert_eq!("42".parse::<ProductId>(), Ok(ProductId(42)));
        for bad in [
            "",
            "+42",
            "-42",
            "0",
            "042",
            "4.2",
            "abc",
            "99999999999999999999",
            " 42",
        ] {
            assert!(bad.parse::<ProductId>().is_err(), "{bad:?}");
        }
    }
}
