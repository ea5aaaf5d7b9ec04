use crate::domain::{
    Certification, Industry, InsuranceStatus, Location, Money, OrganisationId, ProductId,
    PurchaseOutcome, PurchaseRoute, RecordStatus,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A link to an organisation: its id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationRef {
    pub id: OrganisationId,
    pub name: String,
}

/// What a list shows of a product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductSummary {
    pub id: ProductId,
    pub name: String,
    pub supplier: OrganisationRef,
    pub industry: Industry,
    pub price_min: Option<Money>,
    pub price_max: Option<Money>,
    pub price_unit: String,
    pub certifications: Vec<Certification>,
    pub batch_code: Option<String>,
    /// Eligible for first purchase today (published in a batch valid today).
    pub eligible: bool,
    /// Set once an *awarded* first-purchase record exists: a different fact.
    pub first_purchased_on: Option<NaiveDate>,
    /// Government traction of this product.
    #[serde(default)]
    pub government_traction: crate::traction::Traction,
}

/// The catalogue batch a product was listed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRef {
    pub code: String,
    pub title: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub summary: ProductSummary,
    pub status: RecordStatus,
    pub status_reason: Option<String>,
    pub notice_until: Option<NaiveDate>,
    pub supplier_location: Location,
    pub procurement_code: String,
    pub procurement_name: String,
    pub description: String,
    pub specifications: String,
    pub patents: Vec<String>,
    pub is_medical: bool,
    pub registration_certificate: Option<String>,
    pub insurance_status: Option<InsuranceStatus>,
    pub batch: Option<BatchRef>,
    /// Every batch it was listed in, oldest first (one page, one history).
    pub listings: Vec<BatchRef>,
    /// Its submission in public notice, if any: the notice's page, where objections go.
    pub notice_submission: Option<i64>,
    pub valid_until: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub first_purchases: Vec<FirstPurchaseEntry>,
    /// Its files (public with it): documents to download, images shown in the browser.
    pub attachments: Vec<crate::submissions::pages::AttachmentLine>,
}

/// One first-purchase record of a product; only `Awarded` ones make it first-purchased.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirstPurchaseEntry {
    /// The record's id (its page is `/first-purchases/{id}`).
    pub id: i64,
    /// A dispute is under way: the record is contested.
    #[serde(default)]
    pub disputed: bool,
    pub buyer: OrganisationRef,
    /// Whether the buyer's own page is public (verified): only then is it a link.
    pub buyer_public: bool,
    pub route: PurchaseRoute,
    pub outcome: PurchaseOutcome,
    pub signed_on: NaiveDate,
    pub contract_number: Option<String>,
    pub amount: Option<Money>,
    pub quantity: Option<i32>,
    pub notice_on: Option<NaiveDate>,
    /// The procurement notice; only ever an http(s) address (`url::is_http_url`).
    pub notice_url: Option<String>,
}
