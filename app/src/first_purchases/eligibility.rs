//! Eligibility on a signing date. A first-purchase record is accepted when, on the day the
//! contract was signed (Beijing date), the product was published (not yet in notice, not
//! withdrawn, not past its own validity when the local rule counts it) and listed in a
//! catalogue batch valid that day, with the rule's grace days after a batch lapses. The
//! rule's parameters are those in force that day. One definition, in SQL:
//! `first_purchase_refusal(product, day)` (migration 0016), over the product's status
//! periods, its batch listings and the rule's versions.

use crate::i18n::Locale;
#[cfg(feature = "ssr")]
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why a product could not be first-purchased on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ineligible {
    /// The day has not come yet: a contract cannot be signed in the future.
    InFuture,
    /// Not published at any time that day (never yet, or still in public notice).
    NotPublished,
    /// Withdrawn by then.
    Withdrawn,
    /// Past its own validity that day, or expired by then.
    Expired,
    /// Not listed, by that day, in a catalogue batch valid that day.
    NoValidBatch,
}

impl Ineligible {
    /// The reason `first_purchase_refusal` gives.
    pub fn from_code(code: &str) -> Option<Ineligible> {
        match code {
            "not_published" => Some(Ineligible::NotPublished),
            "withdrawn" => Some(Ineligible::Withdrawn),
            "expired" => Some(Ineligible::Expired),
            "no_valid_batch" => Some(Ineligible::NoValidBatch),
            _ => None,
        }
    }

    /// What a buyer is told, naming why.
    pub fn message(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Ineligible::InFuture, Locale::ZhCn) => "签订日期不能晚于今天。",
            (Ineligible::InFuture, Locale::En) => "The signing date cannot be after today.",
            (Ineligible::NotPublished, Locale::ZhCn) => {
                "签订当日该产品尚未发布（或仍在公示中），不能按首购登记。"
            }
            (Ineligible::NotPublished, Locale::En) => {
                "On the signing date the product was not published yet (or still in public notice)."
            }
            (Ineligible::Withdrawn, Locale::ZhCn) => "签订当日该产品已撤回，不能按首购登记。",
            (Ineligible::Withdrawn, Locale::En) => {
                "On the signing date the product had been withdrawn."
            }
            (Ineligible::Expired, Locale::ZhCn) => "签订当日该产品已过有效期，不能按首购登记。",
            (Ineligible::Expired, Locale::En) => {
                "On the signing date the product was past its validity."
            }
            (Ineligible::NoValidBatch, Locale::ZhCn) => {
                "签订当日该产品不在任何有效的创新产品目录批次中（含宽限期），不能按首购登记。"
            }
            (Ineligible::NoValidBatch, Locale::En) => {
                "On the signing date the product was in no valid catalogue batch (grace days included)."
            }
        }
    }
}

/// Why `product` could not be first-purchased on `signed_on` (a Beijing date), or `None`
/// when it could; `today` is the server clock's date. The product must exist (the caller
/// has read or locked it).
///
/// Errors: the database's.
#[cfg(feature = "ssr")]
pub async fn refusal_on(
    conn: &mut sqlx::PgConnection,
    product: crate::domain::ProductId,
    signed_on: NaiveDate,
    today: NaiveDate,
) -> Result<Option<Ineligible>, sqlx::Error> {
    if signed_on > today {
        return Ok(Some(Ineligible::InFuture));
    }
    let code = sqlx::query_scalar!(
        "SELECT first_purchase_refusal($1, $2)",
        product.0,
        signed_on
    )
    .fetch_one(&mut *conn)
    .await?;
    match code.as_deref() {
        None => Ok(None),
        // A reason this code does not know must not pass for "eligible".
        Some(code) => Ineligible::from_code(code)
            .map(Some)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown refusal {code}").into())),
    }
}
