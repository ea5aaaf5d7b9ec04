//! A record as a Meilisearch document. Field names are the attributes that the settings
//! make searchable, filterable and sortable.

use crate::search::document::{days_since_epoch, fair_key, SearchDocument};
use crate::search::DocumentKind;
use serde::{Deserialize, Serialize};

/// Highlight marks: private-use characters, removed from indexed text so that a record
/// can never contain them.
pub const MARK_START: &str = "\u{E000}";
pub const MARK_END: &str = "\u{E001}";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeiliDocument {
    /// The primary key: `product-12`. Ids are per kind, so the kind is part of the key.
    pub uid: String,
    pub kind: DocumentKind,
    pub id: i64,
    /// The deployment that wrote it: hits from a partner's index link to the partner.
    pub site_id: String,
    pub title: String,
    /// What the title is also searched by (`glossary::search_extras`): its normalised
    /// form when that differs (traditional characters, full-width letters) and the
    /// glossary terms it mentions. Searchable, never shown; empty when there is nothing.
    #[serde(default)]
    pub title_terms: String,
    pub body: String,
    /// As `title_terms`, for the body and the organisation's name.
    #[serde(default)]
    pub body_terms: String,
    /// The organisation the record belongs to (itself for an organisation), for its lists.
    #[serde(default)]
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    pub agency: Option<String>,
    pub category: Option<String>,
    pub location: Option<String>,
    pub stage: Option<String>,
    pub batch: Option<String>,
    pub certifications: Vec<String>,
    /// Every level of a product's procurement category (`domain::procurement::path`).
    #[serde(default)]
    pub procurement: Vec<String>,
    pub eligible: bool,
    pub first_purchased: bool,
    /// Fen; one bound stands for both (see `SearchDocument::amount_range`).
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    /// Days since 1970-01-01.
    pub open_until: Option<i64>,
    /// Seconds since 1970-01-01.
    pub published_at: Option<i64>,
    /// The fair order among equals on the day the document was written
    /// (`document::fair_key`; ascending). The scheduler rewrites it every day.
    #[serde(default)]
    pub fair: u32,
    /// The title's length in characters: among records that match a search equally well,
    /// the one whose title is more nearly the words searched for comes first (what BM25's
    /// length normalisation does on the embedded index).
    #[serde(default)]
    pub title_length: u32,
}

pub fn uid(kind: DocumentKind, id: i64) -> String {
    format!("{}-{id}", kind.code())
}

fn clean(text: &str) -> String {
    text.replace(MARK_START, "").replace(MARK_END, "")
}

impl MeiliDocument {
    /// The document of `doc` as written on `day` (deployment time zone), which sets its
    /// fair-order key.
    pub fn new(
        site_id: &str,
        kind: DocumentKind,
        doc: &SearchDocument,
        day: chrono::NaiveDate,
    ) -> MeiliDocument {
        let (amount_min, amount_max) = doc.amount_range();
        MeiliDocument {
            uid: uid(kind, doc.id),
            kind,
            id: doc.id,
            site_id: site_id.to_owned(),
            title: clean(&doc.title),
            title_terms: clean(&doc.title_terms()),
            body: clean(&doc.body),
            body_terms: clean(&doc.body_terms()),
            organisation_id: doc.organisation_id,
            organisation_name: doc.organisation_name.as_deref().map(clean),
            agency: doc.agency_name.clone(),
            category: doc.category.clone(),
            location: doc.location.clone(),
            stage: doc.stage.clone(),
            batch: doc.batch_code.clone(),
            certifications: doc.certifications.clone(),
            procurement: doc.procurement_path(),
            eligible: doc.eligible,
            first_purchased: doc.first_purchased,
            amount_min,
            amount_max,
            open_until: doc.open_until.map(days_since_epoch),
            published_at: doc.published_at.map(|at| at.timestamp()),
            fair: fair_key(kind, doc.id, day),
            title_length: u32::try_from(doc.title.chars().count()).unwrap_or(u32::MAX),
        }
    }
}
