//! Proof of listing (入库证明): the supplier of a published product in a valid catalogue
//! batch prints a certificate (A4) with a verification code and a QR code; anyone checks
//! it at `/verify/{code}`, which says whether that listing is valid today, expired or
//! withdrawn, and shows nothing that is not already public.

pub mod certificate_page;
#[cfg(feature = "ssr")]
pub mod issue;
pub mod verify_page;

pub use certificate_page::{CertificateLink, CertificatePage};
pub use verify_page::VerifyPage;

use serde::{Deserialize, Serialize};

/// Where a listing stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListingState {
    /// Published, its page public, the batch valid that day (first to last day) and the
    /// product's own validity (if any) not past.
    Valid,
    /// The batch lapsed or the product's own validity ended.
    Expired,
    /// Withdrawn, or no longer public (its supplier is no longer verified).
    Withdrawn,
}

impl ListingState {
    pub fn code(self) -> &'static str {
        match self {
            ListingState::Valid => "valid",
            ListingState::Expired => "expired",
            ListingState::Withdrawn => "withdrawn",
        }
    }

    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        let zh = locale == crate::i18n::Locale::ZhCn;
        match self {
            ListingState::Valid if zh => "有效：该产品今日在有效的创新产品目录批次中",
            ListingState::Valid => "Valid: the product is in a valid catalogue batch today",
            ListingState::Expired if zh => "已过期：该批次或产品有效期已届满",
            ListingState::Expired => "Expired: the batch or the product's validity has ended",
            ListingState::Withdrawn if zh => "已撤回：该产品已不在目录中公开",
            ListingState::Withdrawn => "Withdrawn: the product is no longer listed publicly",
        }
    }
}

/// A certificate as its page and the verification page show it. Dates are Beijing dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub code: String,
    pub state: ListingState,
    /// The public facts: absent when the listing is no longer public.
    pub listing: Option<ListedFacts>,
    /// Day of issue (the day it was printed, for the certificate page; the code's first
    /// issue for the verification page).
    pub issued_on: chrono::NaiveDate,
    /// The QR code (SVG) pointing at the verification page; certificate page only.
    pub qr_svg: Option<String>,
    /// The verification page's full address.
    pub verify_url: String,
}

/// What a certificate states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedFacts {
    pub product: crate::domain::ProductId,
    pub product_name: String,
    pub supplier_name: String,
    /// Unified social credit code (GB 32100-2015).
    pub credit_code: String,
    pub batch_code: String,
    pub batch_title: String,
    pub valid_from: Option<chrono::NaiveDate>,
    pub valid_until: Option<chrono::NaiveDate>,
    /// The product's own validity, when it has one.
    pub product_valid_until: Option<chrono::NaiveDate>,
}
