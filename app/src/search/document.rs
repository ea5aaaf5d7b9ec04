//! What the search index holds of a record, read from Postgres (the source of truth).
//! Only listed records (published by a verified organisation) and verified organisations
//! become documents (`record_is_listed`, `organisation_is_public`: the one visibility
//! rule, in SQL): asked for anything else, `load` returns nothing, and the indexer removes
//! it from the index.

pub use super::kind::DocumentKind;
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

/// The format of the documents the code writes. Bump it whenever what a document holds,
/// or how it is written, changes: a server that finds an index of another format rebuilds
/// it by itself (`SearchBackend::ensure_format`).
///
/// 2: Meilisearch documents carry the day's fair-order key (`fair`); visibility follows
/// the owner organisation's verification.
/// 3: the embedded index's words are normalised (`search::normalise`: full-width,
/// traditional and quote forms).
/// 4: documents carry their normalised form and glossary terms (`search::glossary`) on
/// both backends; Meilisearch keeps no synonyms.
/// 5: products carry their procurement categories (`domain::procurement::path`), as a
/// facet and as searchable codes.
/// 6: Meilisearch documents carry their organisation's id, filtered by an organisation's
/// lists (`search::list`).
pub const DOCUMENT_FORMAT: i32 = 6;

/// FNV-1a of `search/glossary.tsv` as indexed by [`DOCUMENT_FORMAT`]: documents carry the
/// glossary's terms, so a changed glossary is a new format. A test fails until both move.
pub const GLOSSARY_FINGERPRINT: u64 = 0x309b_86e2_8630_dc78;

/// A record in the index.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SearchDocument {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    /// The agency that published it: the batch's agency for a product, the call's (or the
    /// publisher's own) for a scenario; only a verified (public) agency is named.
    pub agency_name: Option<String>,
    pub category: Option<String>,
    pub location: Option<String>,
    pub stage: Option<String>,
    /// Eligible for first purchase on the day the document was written (the scheduler
    /// writes it again on the day this changes).
    pub eligible: bool,
    pub first_purchased: bool,
    pub batch_code: Option<String>,
    pub certifications: Vec<String>,
    /// A product's government-procurement item code as its supplier gave it (`A02052301`);
    /// `None` for other records (see `domain::procurement`).
    pub procurement_code: Option<String>,
    pub amount_min_fen: Option<i64>,
    pub amount_max_fen: Option<i64>,
    pub open_until: Option<NaiveDate>,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl SearchDocument {
    /// The procurement categories the record is filed under, from the top
    /// (`domain::procurement::path`): a filter or facet on any of them finds it.
    pub fn procurement_path(&self) -> Vec<String> {
        self.procurement_code
            .as_deref()
            .map(crate::domain::procurement::path)
            .unwrap_or_default()
    }

    /// What the body is also searched by, on both backends: the glossary terms and
    /// normalised form of the body and organisation name (`glossary::search_extras`), and
    /// the procurement categories, so that a code typed as a query (`A0205`) finds the
    /// products filed under it.
    pub fn body_terms(&self) -> String {
        let extras = crate::search::glossary::search_extras(&format!(
            "{} {}",
            self.body,
            self.organisation_name.as_deref().unwrap_or_default()
        ));
        // Not the bare letters A, B, C: as words they would match "a", "Type C", "B超".
        let path = self
            .procurement_path()
            .into_iter()
            .filter(|level| level.len() >= 3)
            .collect::<Vec<_>>()
            .join(" ");
        [extras, path]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// What the title is also searched by (`glossary::search_extras`).
    pub fn title_terms(&self) -> String {
        crate::search::glossary::search_extras(&self.title)
    }

    /// The amount as a range for filtering: a record with one bound uses it for both, so
    /// that "between 10 and 50 万元" finds a product priced from 30 万元.
    pub fn amount_range(&self) -> (Option<i64>, Option<i64>) {
        (
            self.amount_min_fen.or(self.amount_max_fen),
            self.amount_max_fen.or(self.amount_min_fen),
        )
    }
}

/// 万元 (the unit of amount filters) in fen.
pub fn fen_of_wan(wan: u32) -> i64 {
    i64::from(wan) * 1_000_000
}

/// Dates are indexed as whole days since 1970-01-01, so both backends compare numbers.
pub fn days_since_epoch(date: NaiveDate) -> i64 {
    (date - NaiveDate::default()).num_days()
}

/// The inverse of `days_since_epoch`.
pub fn date_of_days(days: i64) -> Option<NaiveDate> {
    NaiveDate::default().checked_add_signed(chrono::TimeDelta::try_days(days)?)
}

/// A page of the listed records of `kind` in id order, after `after`, as they are on
/// `today` (deployment time zone): the API's full listings and the rebuilds of an index,
/// with keyset pagination (stable while records are added).
pub async fn public_page(
    pool: &PgPool,
    kind: DocumentKind,
    after: i64,
    limit: i64,
    today: NaiveDate,
) -> Result<Vec<SearchDocument>, sqlx::Error> {
    let ids = public_ids(pool, kind, after, limit).await?;
    let mut documents = load(&mut *pool.acquire().await?, kind, &ids, today).await?;
    documents.sort_by_key(|doc| doc.id);
    Ok(documents)
}

/// Ids of listed records of `kind` after `after`, in id order.
pub async fn public_ids(
    pool: &PgPool,
    kind: DocumentKind,
    after: i64,
    limit: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    match kind {
        DocumentKind::Product => {
            sqlx::query_scalar!(
                "SELECT p.id FROM products p JOIN organisations o ON o.id = p.organisation_id
                 WHERE record_is_listed(p.status, o.verified_at) AND p.id > $1
                 ORDER BY p.id LIMIT $2",
                after,
                limit
            )
            .fetch_all(pool)
            .await
        }
        DocumentKind::Scenario => {
            sqlx::query_scalar!(
                "SELECT s.id FROM scenarios s JOIN organisations o ON o.id = s.organisation_id
                 WHERE record_is_listed(s.status, o.verified_at) AND s.id > $1
                 ORDER BY s.id LIMIT $2",
                after,
                limit
            )
            .fetch_all(pool)
            .await
        }
        DocumentKind::Project => {
            sqlx::query_scalar!(
                "SELECT p.id FROM projects p JOIN organisations o ON o.id = p.organisation_id
                 WHERE record_is_listed(p.status, o.verified_at) AND p.id > $1
                 ORDER BY p.id LIMIT $2",
                after,
                limit
            )
            .fetch_all(pool)
            .await
        }
        DocumentKind::Organisation => {
            sqlx::query_scalar!(
                "SELECT id FROM organisations
                 WHERE organisation_is_public(verified_at) AND id > $1
                 ORDER BY id LIMIT $2",
                after,
                limit
            )
            .fetch_all(pool)
            .await
        }
    }
}

/// The documents of the given records that are listed now, in no particular order;
/// `today` (deployment time zone) decides first-purchase eligibility.
pub async fn load(
    conn: &mut PgConnection,
    kind: DocumentKind,
    ids: &[i64],
    today: NaiveDate,
) -> Result<Vec<SearchDocument>, sqlx::Error> {
    match kind {
        DocumentKind::Product => {
            sqlx::query_as!(
                SearchDocument,
                r#"SELECT p.id, p.name AS title,
                    concat_ws(' ', p.description, p.specifications, p.procurement_code,
                              p.procurement_name, array_to_string(p.patents, ' '),
                              p.registration_certificate, c.code) AS "body!",
                    o.id AS "organisation_id?", o.name AS "organisation_name?",
                    CASE WHEN organisation_is_public(agency.verified_at) THEN agency.name END
                        AS "agency_name?",
                    p.industry::text AS category,
                    o.location::text AS location, NULL::text AS stage,
                    first_purchase_eligible(p.status, p.published_at, p.valid_until,
                                            c.valid_from, c.valid_until, $2) AS "eligible!",
                    p.first_purchased_on IS NOT NULL AS "first_purchased!",
                    c.code AS "batch_code?", p.certifications::text[] AS "certifications!",
                    p.procurement_code AS "procurement_code?",
                    p.price_min_fen AS amount_min_fen, p.price_max_fen AS amount_max_fen,
                    NULL::date AS open_until, p.published_at
                 FROM products p
                 JOIN organisations o ON o.id = p.organisation_id
                 LEFT JOIN calls c ON c.id = p.call_id
                 LEFT JOIN organisations agency ON agency.id = c.organisation_id
                 WHERE p.id = ANY($1) AND record_is_listed(p.status, o.verified_at)"#,
                ids,
                today
            )
            .fetch_all(&mut *conn)
            .await
        }
        DocumentKind::Scenario => {
            sqlx::query_as!(
                SearchDocument,
                r#"SELECT s.id, s.title, concat_ws(' ', s.need, s.expected_outcome) AS "body!",
                    o.id AS "organisation_id?", o.name AS "organisation_name?",
                    COALESCE(CASE WHEN organisation_is_public(agency.verified_at)
                                  THEN agency.name END, o.name) AS agency_name,
                    s.sector::text AS category,
                    s.location::text AS location, NULL::text AS stage,
                    false AS "eligible!", false AS "first_purchased!", c.code AS "batch_code?",
                    '{}'::text[] AS "certifications!", NULL::text AS procurement_code,
                    s.budget_min_fen AS amount_min_fen, s.budget_max_fen AS amount_max_fen,
                    s.open_until, s.published_at
                 FROM scenarios s
                 JOIN organisations o ON o.id = s.organisation_id
                 LEFT JOIN calls c ON c.id = s.call_id
                 LEFT JOIN organisations agency ON agency.id = c.organisation_id
                 WHERE s.id = ANY($1) AND record_is_listed(s.status, o.verified_at)"#,
                ids
            )
            .fetch_all(&mut *conn)
            .await
        }
        DocumentKind::Project => {
            sqlx::query_as!(
                SearchDocument,
                r#"SELECT p.id, p.name AS title,
                    concat_ws(' ', p.highlights, p.team, p.intellectual_property, p.traction) AS "body!",
                    o.id AS "organisation_id?", o.name AS "organisation_name?",
                    NULL::text AS agency_name, p.sector::text AS category,
                    o.location::text AS location, p.stage::text AS stage,
                    false AS "eligible!", false AS "first_purchased!",
                    NULL::text AS batch_code, '{}'::text[] AS "certifications!",
                    NULL::text AS procurement_code,
                    p.financing_sought_fen AS amount_min_fen,
                    p.financing_sought_fen AS amount_max_fen,
                    NULL::date AS open_until, p.published_at
                 FROM projects p
                 JOIN organisations o ON o.id = p.organisation_id
                 WHERE p.id = ANY($1) AND record_is_listed(p.status, o.verified_at)"#,
                ids
            )
            .fetch_all(&mut *conn)
            .await
        }
        DocumentKind::Organisation => {
            // The credit code is in the body so that it matches exactly.
            sqlx::query_as!(
                SearchDocument,
                r#"SELECT o.id, o.name AS title,
                    concat_ws(' ', o.description, o.credit_code) AS "body!",
                    o.id AS "organisation_id?", o.name AS "organisation_name?",
                    NULL::text AS agency_name, o.kind::text AS category,
                    o.location::text AS location, NULL::text AS stage,
                    false AS "eligible!", false AS "first_purchased!", NULL::text AS batch_code,
                    '{}'::text[] AS "certifications!", NULL::text AS procurement_code,
                    NULL::bigint AS amount_min_fen,
                    NULL::bigint AS amount_max_fen, NULL::date AS open_until,
                    o.verified_at AS published_at
                 FROM organisations o
                 WHERE o.id = ANY($1) AND organisation_is_public(o.verified_at)"#,
                ids
            )
            .fetch_all(&mut *conn)
            .await
        }
    }
}

/// The fair order among equal hits: a key that is random across records but the same all
/// day (deployment time zone) and on every server and backend, so ties are broken neither
/// by who registered first nor by paid placement (docs/domain.md, "Fair ordering").
/// Ascending keys come first.
pub fn fair_key(kind: DocumentKind, id: i64, day: NaiveDate) -> u32 {
    fair_key_of_hash(record_hash(kind, id), day_salt(day))
}

/// The stable per-record part of [`fair_key`] (FNV-1a of `kind:id`), kept in an index so
/// that the day's key is cheap to compute at search time.
pub fn record_hash(kind: DocumentKind, id: i64) -> u64 {
    fnv1a(format!("{}:{id}", kind.code()).as_bytes())
}

/// The day's part of [`fair_key`]: computed once per search, not once per document.
pub fn day_salt(day: NaiveDate) -> u64 {
    fnv1a(day.to_string().as_bytes())
}

/// [`fair_key`] from a [`record_hash`] and a [`day_salt`]: the two mixed (the SplitMix64
/// finaliser), top 32 bits, so that JSON numbers hold it exactly.
pub fn fair_key_of_hash(record_hash: u64, day_salt: u64) -> u32 {
    let mut z = record_hash ^ day_salt;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 32) as u32
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_fair_order_is_stable_for_a_day_and_changes_the_next() {
        let today = day("2026-11-30");
        let keys: Vec<u32> = (1..=50)
            .map(|id| fair_key(DocumentKind::Product, id, today))
            .collect();
        let again: Vec<u32> = (1..=50)
            .map(|id| fair_key(DocumentKind::Product, id, today))
            .collect();
        assert_eq!(keys, again);
        let order = |keys: &[u32]| {
            let mut ids: Vec<usize> = (0..keys.len()).collect();
            ids.sort_by_key(|&i| keys[i]);
            ids
        };
        let tomorrow: Vec<u32> = (1..=50)
            .map(|id| fair_key(DocumentKind::Product, id, day("2026-12-01")))
            .collect();
        assert_ne!(order(&keys), order(&tomorrow));
        // Not the registration order: the first records are not simply first.
        assert_ne!(order(&keys), (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn a_changed_glossary_is_a_new_document_format() {
        let fingerprint = fnv1a(crate::search::glossary::GLOSSARY_TSV.as_bytes());
        assert_eq!(
            fingerprint, GLOSSARY_FINGERPRINT,
            "glossary.tsv changed: documents must be rebuilt, so add one to DOCUMENT_FORMAT \
             (saying why) and set GLOSSARY_FINGERPRINT to {fingerprint:#x}"
        );
    }

    #[test]
    fn the_key_from_the_kept_hash_equals_the_key() {
        let today = day("2027-02-28");
        for id in [1, 77, 123_456] {
            assert_eq!(
                fair_key_of_hash(record_hash(DocumentKind::Scenario, id), day_salt(today)),
                fair_key(DocumentKind::Scenario, id, today)
            );
        }
        assert_ne!(
            record_hash(DocumentKind::Scenario, 5),
            record_hash(DocumentKind::Product, 5)
        );
    }
}
