//! First-purchase records as Open Contracting Data Standard releases (OCDS 1.1,
//! <https://standard.open-contracting.org/1.1/>): one release per record, with its
//! tender, award and contract, in release packages.
//!
//! - `GET /api/v1/ocds/releases`: a package of the listed records' releases, paged and
//!   filtered as `/api/v1/first-purchases` (`after`, `limit`, `updated_since`, …; the
//!   next page's `after` is in the `links.next` address).
//! - `GET /api/v1/ocds/releases/{id}`: the package of one record's release.
//!
//! Each release describes the record as it is now: its `id` carries the time it last
//! changed, so a correction or a cancellation is a new release of the same `ocid`
//! (OCDS 1.1 §"Release handling"). Amounts are in yuan (OCDS `Value.amount`, a number),
//! converted from the fen the catalogue keeps; days of Beijing time are given as
//! midnight at +08:00. The tests validate the packages against the release-package
//! schema of OCDS 1.1.5 (`server/tests/ocds/`).

use super::records::first_purchases::FirstPurchaseFilters;
use super::records::{collection_query, item_id, ApiRecord, Fetch, FirstPurchaseV1, Window};
use super::ApiError;
use app::domain::{PurchaseOutcome, PurchaseRoute};
use app::error::AppError;
use app::i18n::Locale;
use app::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Serialize;

/// The prefix of every `ocid` this deployment writes. OCDS asks each publisher to
/// register its own with the Open Contracting Partnership; until Changzhou's is
/// registered this one marks the releases as the catalogue's.
pub const OCID_PREFIX: &str = "ocds-czcat1";

/// The OCDS version the packages follow.
const VERSION: &str = "1.1";

/// A release package (OCDS 1.1 release-package schema).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleasePackage {
    pub uri: String,
    pub version: &'static str,
    pub published_date: DateTime<Utc>,
    pub publisher: Publisher,
    pub releases: Vec<Release>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
}

/// Who publishes the package: this site, by its name and `PUBLIC_URL`.
#[derive(Serialize)]
pub struct Publisher {
    pub name: String,
    pub uri: String,
}

/// The address of the next page, while there is one.
#[derive(Serialize)]
pub struct Links {
    pub next: String,
}

/// One first-purchase record as a release.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Release {
    pub ocid: String,
    pub id: String,
    pub date: DateTime<Utc>,
    pub tag: Vec<&'static str>,
    pub initiation_type: &'static str,
    pub language: &'static str,
    pub parties: Vec<Party>,
    pub buyer: OrganizationReference,
    pub tender: Tender,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub awards: Vec<Award>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contracts: Vec<Contract>,
}

/// An organisation in the process (OCDS `Organization`): `id` is `org-{organisation id}`,
/// or `buyer-of-{record id}` for a buyer that is not a verified organisation; `roles` from
/// OCDS's `partyRole` codelist (`buyer`, `procuringEntity`, `supplier`, `tenderer`).
#[derive(Serialize)]
pub struct Party {
    pub id: String,
    pub name: String,
    pub roles: Vec<&'static str>,
}

/// A reference to a [`Party`] by its `id`, with its name.
#[derive(Serialize)]
pub struct OrganizationReference {
    pub id: String,
    pub name: String,
}

/// The tender (OCDS `Tender`): titled with the product; `status` `complete`, or
/// `unsuccessful` when nothing suitable was found.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tender {
    pub id: String,
    pub title: String,
    pub status: &'static str,
    /// The route in words (首购, 订购…): OCDS's `procurementMethod` codes do not name it.
    pub procurement_method_details: String,
    pub items: Vec<Item>,
}

/// The product bought (OCDS `Item`), with the quantity when one was recorded.
#[derive(Serialize)]
pub struct Item {
    pub id: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i32>,
}

/// An amount (OCDS `Value`): yuan, from the catalogue's fen divided by 100; currency
/// `CNY` (ISO 4217).
#[derive(Clone, Copy, Serialize)]
pub struct Value {
    /// Yuan.
    pub amount: f64,
    pub currency: &'static str,
}

/// A published document (OCDS `Document`): the award notice (`awardNotice`), published
/// on the day it was announced (midnight, Beijing time).
#[derive(Serialize)]
pub struct Document {
    pub id: String,
    #[serde(rename = "documentType")]
    pub document_type: &'static str,
    pub url: String,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    pub date_published: Option<DateTime<FixedOffset>>,
}

/// The award (OCDS `Award`): `active`, or `cancelled` for a cancelled record; dated the
/// day its award notice was published (midnight, Beijing time), the one day of the
/// decision the record holds (the decision is made by then), and undated without a
/// notice: the signing day is the contract's, often weeks after the award.
#[derive(Serialize)]
pub struct Award {
    pub id: String,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<DateTime<FixedOffset>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    pub suppliers: Vec<OrganizationReference>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
}

/// The contract (OCDS `Contract`): its number when recorded (else `{ocid}-contract`),
/// the award it follows, `active` or `cancelled`, signed on the signing day.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Contract {
    pub id: String,
    #[serde(rename = "awardID")]
    pub award_id: String,
    pub title: String,
    pub status: &'static str,
    pub date_signed: DateTime<FixedOffset>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

/// Midnight of `day` in Beijing time (UTC+8), as OCDS dates are date-times.
fn beijing_midnight(day: NaiveDate) -> DateTime<FixedOffset> {
    let beijing = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    day.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_local_timezone(beijing)
        .single()
        .expect("a fixed offset has one midnight")
}

fn party_id(organisation: Option<i64>, role: &str, record: i64) -> String {
    match organisation {
        Some(id) => format!("org-{id}"),
        // A buyer that is not (or no longer) a verified organisation has no public id.
        None => format!("{role}-of-{record}"),
    }
}

/// The release of one first-purchase record.
pub fn release(record: &FirstPurchaseV1) -> Release {
    let ocid = format!("{OCID_PREFIX}-fp-{}", record.id);
    let buyer = OrganizationReference {
        id: party_id(record.buyer_id, "buyer", record.id),
        name: record.buyer_name.clone(),
    };
    let supplier = OrganizationReference {
        id: party_id(Some(record.supplier_id), "supplier", record.id),
        name: record.supplier_name.clone(),
    };
    let value = record.amount_fen.map(|fen| Value {
        amount: fen as f64 / 100.0,
        currency: "CNY",
    });
    let (tag, tender_status, award_status, contract_status) = match record.outcome {
        PurchaseOutcome::Awarded => (vec!["award", "contract"], "complete", "active", "active"),
        PurchaseOutcome::Cancelled => (
            vec!["awardCancellation", "contractTermination"],
            "complete",
            "cancelled",
            "cancelled",
        ),
        PurchaseOutcome::NothingSuitable => (vec!["tender"], "unsuccessful", "", ""),
    };
    let item = Item {
        id: "1".to_owned(),
        description: record.product_name.clone(),
        quantity: record.quantity,
    };
    let awarded = record.outcome != PurchaseOutcome::NothingSuitable;
    let award_id = format!("{ocid}-award");
    let awards = awarded
        .then(|| Award {
            id: award_id.clone(),
            status: award_status,
            date: record.notice_on.map(beijing_midnight),
            value,
            suppliers: vec![OrganizationReference {
                id: supplier.id.clone(),
                name: supplier.name.clone(),
            }],
            documents: record
                .notice_url
                .iter()
                .map(|url| Document {
                    id: "award-notice".to_owned(),
                    document_type: "awardNotice",
                    url: url.clone(),
                    date_published: record.notice_on.map(beijing_midnight),
                })
                .collect(),
        })
        .into_iter()
        .collect();
    let contracts = awarded
        .then(|| Contract {
            id: record
                .contract_number
                .clone()
                .unwrap_or_else(|| format!("{ocid}-contract")),
            award_id,
            title: record.product_name.clone(),
            status: contract_status,
            date_signed: beijing_midnight(record.signed_on),
            value,
        })
        .into_iter()
        .collect();
    let mut parties = vec![Party {
        id: buyer.id.clone(),
        name: buyer.name.clone(),
        roles: vec!["buyer", "procuringEntity"],
    }];
    parties.push(Party {
        id: supplier.id.clone(),
        name: supplier.name.clone(),
        // A product judged and not bought: its supplier was considered, it did not
        // tender (OCDS party roles codelist: `interestedParty`).
        roles: if awarded {
            vec!["supplier", "tenderer"]
        } else {
            vec!["interestedParty"]
        },
    });
    Release {
        id: format!("{ocid}-{}", record.updated_at.format("%Y%m%dT%H%M%SZ")),
        ocid: ocid.clone(),
        date: record.updated_at,
        tag,
        initiation_type: "tender",
        language: "zh",
        parties,
        buyer,
        tender: Tender {
            id: format!("{ocid}-tender"),
            title: record.product_name.clone(),
            status: tender_status,
            procurement_method_details: route_words(record.route),
            items: vec![item],
        },
        awards,
        contracts,
    }
}

fn route_words(route: PurchaseRoute) -> String {
    format!(
        "{} ({})",
        route.label(Locale::ZhCn),
        route.label(Locale::En)
    )
}

fn package(
    state: &AppState,
    uri: String,
    releases: Vec<Release>,
    next: Option<String>,
) -> Response {
    let package = ReleasePackage {
        uri,
        version: VERSION,
        // To the minute, so a package read again within it is the same and its ETag
        // answers 304.
        published_date: super::records::to_the_minute(state.clock.now()),
        publisher: Publisher {
            name: Locale::ZhCn.messages().site_name.to_owned(),
            uri: state.site.public_url.clone(),
        },
        releases,
        links: next.map(|next| Links { next }),
    };
    super::records::collection_answer(package)
}

/// Listed first-purchase records as OCDS 1.1 releases, in a release package a keyset
/// page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/ocds/releases",
    operation_id = "list_ocds_releases",
    params(super::records::Paging, FirstPurchaseFilters),
    responses(
        (status = 200, body = Object, description = "an OCDS 1.1 release package (release-package schema of OCDS 1.1.5); `links.next` holds the next page's address"),
        (status = 400, body = super::error::ErrorBody, description = "a parameter is unknown or invalid (`param` names it)"),
    )
)]
pub async fn releases(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let (window, filters) = collection_query::<FirstPurchaseFilters>(query.as_deref())?;
    let records = FirstPurchaseV1::fetch(Fetch {
        pool: &state.pool,
        site: &state.site,
        window: &window.looking_ahead(),
        filters: &filters,
        item: None,
    })
    .await?;
    let (records, next_after) = window.page_of(records, FirstPurchaseV1::id);
    let next = next_after.map(|after| next_page(&state, query.as_deref(), after));
    let uri = state.site.url(&match query.as_deref() {
        Some(query) if !query.is_empty() => format!("/api/v1/ocds/releases?{query}"),
        _ => "/api/v1/ocds/releases".to_owned(),
    });
    Ok(package(
        &state,
        uri,
        records.iter().map(release).collect(),
        next,
    ))
}

/// The address of the page after `after`, with the same filters.
fn next_page(state: &AppState, query: Option<&str>, after: i64) -> String {
    let mut pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .filter(|(key, _)| key != "after")
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
    pairs.push(("after".to_owned(), after.to_string()));
    let query = app::url::query_string(&pairs);
    state.site.url(&format!("/api/v1/ocds/releases?{query}"))
}

/// One first-purchase record's release, in a release package.
#[utoipa::path(
    get,
    path = "/api/v1/ocds/releases/{id}",
    operation_id = "get_ocds_release",
    params(("id" = i64, Path, description = "the first-purchase record's id")),
    responses(
        (status = 200, body = Object, description = "an OCDS 1.1 release package holding the record's one release"),
        (status = 404, body = super::error::ErrorBody, description = "no such record, or not public"),
    )
)]
pub async fn release_of_record(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = item_id(&id)?;
    let record = FirstPurchaseV1::fetch(Fetch {
        pool: &state.pool,
        site: &state.site,
        window: &Window::one(),
        filters: &FirstPurchaseFilters::default(),
        item: Some(id),
    })
    .await?
    .pop()
    .ok_or(AppError::NotFound)?;
    let uri = state.site.url(&format!("/api/v1/ocds/releases/{id}"));
    Ok(package(&state, uri, vec![release(&record)], None))
}
