//! The fixed corpus (`corpus.json`) as search documents, and its graded queries
//! (`judgements.json`). The corpus's dates were written around one day, the anchor; they
//! move with the test clock's day, so "still open", "newest" and date ranges mean the
//! same on any day the tests run.

use app::search::{DocumentKind, SearchDocument};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize, Clone)]
pub struct Entry {
    pub key: String,
    pub kind: DocumentKind,
    pub title: String,
    pub body: String,
    pub organisation_name: Option<String>,
    pub category: Option<String>,
    pub location: Option<String>,
    pub stage: Option<String>,
    pub eligible: bool,
    pub first_purchased: bool,
    pub batch_code: Option<String>,
    pub certifications: Vec<String>,
    /// Products' government-procurement item codes (`domain::procurement`).
    #[serde(default)]
    pub procurement_code: Option<String>,
    pub amount_min_fen: Option<i64>,
    pub amount_max_fen: Option<i64>,
    pub open_until: Option<chrono::NaiveDate>,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The agency named on every batched product of the corpus.
pub const CATALOGUE_AGENCY: &str = "常州市科学技术局";

impl Entry {
    /// Ids are the key's number: `p07` is product 7.
    pub fn id(&self) -> i64 {
        self.key[1..]
            .parse()
            .expect("keys are a letter and a number")
    }

    /// The agency as the document loader sets it: the batch's for a product, the buyer's
    /// own for a scenario.
    pub fn agency(&self) -> Option<String> {
        match self.kind {
            DocumentKind::Product => self.batch_code.as_ref().map(|_| CATALOGUE_AGENCY.into()),
            DocumentKind::Scenario => self.organisation_name.clone(),
            _ => None,
        }
    }

    pub fn document(&self) -> SearchDocument {
        SearchDocument {
            id: self.id(),
            title: self.title.clone(),
            body: self.body.clone(),
            organisation_id: None,
            organisation_name: self.organisation_name.clone(),
            agency_name: self.agency(),
            category: self.category.clone(),
            location: self.location.clone(),
            stage: self.stage.clone(),
            eligible: self.eligible,
            first_purchased: self.first_purchased,
            batch_code: self.batch_code.clone(),
            certifications: self.certifications.clone(),
            procurement_code: self.procurement_code.clone(),
            amount_min_fen: self.amount_min_fen,
            amount_max_fen: self.amount_max_fen,
            open_until: self.open_until,
            published_at: self.published_at,
        }
    }
}

#[derive(Deserialize)]
pub struct Judgement {
    pub id: String,
    pub q: String,
    pub kind: Option<DocumentKind>,
    pub grades: BTreeMap<String, u8>,
}

/// The day the corpus's dates were written around.
const ANCHOR: (i32, u32, u32) = (2026, 11, 26);

/// How far the test day is from the anchor.
fn shift() -> chrono::TimeDelta {
    let (year, month, day) = ANCHOR;
    crate::helpers::test_today() - chrono::NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// A date as the corpus writes it (`2026-06-01`), moved to the test day like the corpus.
pub fn day(year: i32, month: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(year, month, day).expect("a valid date") + shift()
}

pub fn corpus() -> Vec<Entry> {
    let mut entries: Vec<Entry> =
        serde_json::from_str(include_str!("corpus.json")).expect("corpus.json is valid");
    let shift = shift();
    for entry in &mut entries {
        entry.open_until = entry.open_until.map(|date| date + shift);
        entry.published_at = entry.published_at.map(|at| at + shift);
    }
    entries
}

pub fn judgements() -> Vec<Judgement> {
    serde_json::from_str(include_str!("judgements.json")).expect("judgements.json is valid")
}

/// The corpus key of a hit.
pub fn key_of(kind: DocumentKind, id: i64) -> String {
    let letter = match kind {
        DocumentKind::Product => 'p',
        DocumentKind::Scenario => 's',
        DocumentKind::Project => 'j',
        DocumentKind::Organisation => 'o',
    };
    format!("{letter}{id:02}")
}

/// Loads the whole corpus into an index.
pub async fn load(index: &impl app::search::SearchIndex) {
    let upserts = corpus()
        .iter()
        .map(|entry| (entry.kind, entry.document()))
        .collect();
    index.apply(upserts, Vec::new()).await.unwrap();
}
