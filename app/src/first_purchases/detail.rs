//! One first-purchase record as its page shows it: the contract's facts, the listing
//! version bought, its files, its corrections and disputes, and what the reader may do
//! with it. Public like its product's page; never a person's contact data.

use crate::domain::{Money, ProductId, PurchaseOutcome, PurchaseRoute};
use crate::products::OrganisationRef;
use crate::submissions::pages::AttachmentLine;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How long after recording the buyer's agency may correct a record (days); later it may
/// only mark it cancelled.
pub const CORRECTION_DAYS: i64 = 30;

/// A supplier's reason to dispute a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "dispute_ground", rename_all = "snake_case")
)]
pub enum DisputeGround {
    WrongProduct,
    WrongAmount,
    NeverSigned,
}

impl DisputeGround {
    pub const ALL: [DisputeGround; 3] = [
        DisputeGround::WrongProduct,
        DisputeGround::WrongAmount,
        DisputeGround::NeverSigned,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DisputeGround::WrongProduct => "wrong_product",
            DisputeGround::WrongAmount => "wrong_amount",
            DisputeGround::NeverSigned => "never_signed",
        }
    }

    pub fn from_code(code: &str) -> Option<DisputeGround> {
        Self::ALL.into_iter().find(|ground| ground.code() == code)
    }

    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        let zh = locale == crate::i18n::Locale::ZhCn;
        match self {
            DisputeGround::WrongProduct if zh => "产品不符",
            DisputeGround::WrongProduct => "Wrong product",
            DisputeGround::WrongAmount if zh => "金额或数量不符",
            DisputeGround::WrongAmount => "Wrong amount or quantity",
            DisputeGround::NeverSigned if zh => "从未签订",
            DisputeGround::NeverSigned => "Never signed",
        }
    }
}

/// Where a dispute stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "dispute_state", rename_all = "snake_case")
)]
pub enum DisputeState {
    /// Waiting for the buyer's agency.
    Open,
    /// The buyer's agency stands by the record: waiting for a platform admin.
    StoodBy,
    /// The buyer's agency corrected or cancelled the record: closed.
    Corrected,
    /// A platform admin found for the supplier: the record is marked cancelled.
    Upheld,
    /// A platform admin found for the buyer: the record stands.
    Dismissed,
}

impl DisputeState {
    pub fn code(self) -> &'static str {
        match self {
            DisputeState::Open => "open",
            DisputeState::StoodBy => "stood_by",
            DisputeState::Corrected => "corrected",
            DisputeState::Upheld => "upheld",
            DisputeState::Dismissed => "dismissed",
        }
    }

    /// Still under way (a platform admin may settle it).
    pub fn is_open(self) -> bool {
        matches!(self, DisputeState::Open | DisputeState::StoodBy)
    }

    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        let zh = locale == crate::i18n::Locale::ZhCn;
        match self {
            DisputeState::Open if zh => "待采购单位答复",
            DisputeState::Open => "Waiting for the buying agency",
            DisputeState::StoodBy if zh => "采购单位坚持原记录，待平台裁定",
            DisputeState::StoodBy => "The agency stands by the record; waiting for the platform",
            DisputeState::Corrected if zh => "采购单位已更正或取消记录",
            DisputeState::Corrected => "The agency corrected or cancelled the record",
            DisputeState::Upheld if zh => "异议成立，记录已取消",
            DisputeState::Upheld => "Upheld: the record is cancelled",
            DisputeState::Dismissed if zh => "异议不成立，记录维持",
            DisputeState::Dismissed => "Dismissed: the record stands",
        }
    }
}

/// A dispute and how it went. Dates are Beijing dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispute {
    pub id: i64,
    pub ground: DisputeGround,
    pub reason: String,
    pub raised_on: NaiveDate,
    pub state: DisputeState,
    pub answer: Option<String>,
    pub answered_on: Option<NaiveDate>,
    pub settlement: Option<String>,
    pub settled_on: Option<NaiveDate>,
}

/// One correction from the audit log: when, and the names of the fields it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// `YYYY-MM-DD HH:MM`, Beijing time.
    pub at: String,
    pub action: String,
    pub fields: Vec<String>,
    pub reason: Option<String>,
}

/// What the reader may do with the record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Powers {
    /// The buyer's agency, within [`CORRECTION_DAYS`] of recording, the record not cancelled.
    pub correct: bool,
    /// The buyer's agency, the record not cancelled.
    pub cancel: bool,
    /// The buyer's agency: add the contract's files.
    pub attach: bool,
    /// The supplier, with no dispute under way or dismissed and the record not cancelled.
    pub dispute: bool,
    /// The buyer's agency, on a dispute waiting for it.
    pub answer: bool,
    /// A platform admin, on a dispute under way.
    pub settle: bool,
}

/// A record's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirstPurchaseDetail {
    pub id: i64,
    pub product: ProductId,
    /// The product's name in the listing version bought.
    pub product_name: String,
    /// That version (`product_revisions.revision`).
    pub product_revision: i32,
    pub supplier: OrganisationRef,
    pub buyer: OrganisationRef,
    pub buyer_public: bool,
    pub route: PurchaseRoute,
    pub outcome: PurchaseOutcome,
    /// The buyer's related scenario (id, title), when its page is public.
    pub scenario: Option<(i64, String)>,
    pub contract_number: Option<String>,
    /// Beijing date.
    pub signed_on: NaiveDate,
    pub amount: Option<Money>,
    pub quantity: Option<i32>,
    pub notice_on: Option<NaiveDate>,
    pub notice_url: Option<String>,
    /// Beijing date of recording.
    pub recorded_on: NaiveDate,
    /// Who recorded it: shown to the buyer's agency and platform admins only.
    pub recorded_by: Option<String>,
    /// When the correction window closes: `YYYY-MM-DD HH:MM`, Beijing time (30 days after
    /// recording, to the minute).
    pub correctable_until: String,
    pub cancelled_on: Option<NaiveDate>,
    pub cancel_reason: Option<String>,
    pub corrections: Vec<Correction>,
    pub disputes: Vec<Dispute>,
    pub attachments: Vec<AttachmentLine>,
    pub powers: Powers,
}

impl FirstPurchaseDetail {
    /// The dispute under way, if any.
    pub fn open_dispute(&self) -> Option<&Dispute> {
        self.disputes.iter().find(|d| d.state.is_open())
    }
}

/// Whether a record made at `recorded_at` may still be corrected at `now`.
#[cfg(feature = "ssr")]
pub fn correction_open(
    recorded_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    now < recorded_at + chrono::Duration::days(CORRECTION_DAYS)
}

/// Whether `caller` may see a first-purchase record: anyone when its product's page is
/// `public`; otherwise whoever may see the unpublished records of its buying agency or its
/// supplier (their people, platform admins), through the permission table.
#[cfg(feature = "ssr")]
pub fn may_see(
    caller: &crate::auth::Caller,
    public: bool,
    buyer: crate::domain::OrganisationId,
    supplier: crate::domain::OrganisationId,
) -> bool {
    use crate::auth::{check, Action, Target};
    public
        || [buyer, supplier].into_iter().any(|organisation| {
            check(
                caller,
                Action::ViewUnpublished,
                &Target::organisation(organisation),
            )
            .is_ok()
        })
}

/// Record `id` for `caller`: public when its product's page is; otherwise only the
/// buyer's and supplier's people and platform admins see it. Errors: 404 for anyone else
/// and for an unknown id.
#[cfg(feature = "ssr")]
pub async fn load(
    state: &crate::state::AppState,
    caller: &crate::auth::Caller,
    id: i64,
) -> Result<FirstPurchaseDetail, crate::error::AppError> {
    use crate::auth::{check, Action, Target};
    use crate::domain::OrganisationId;
    use crate::error::AppError;
    let zone = state.clock.zone();
    let now = state.clock.now();
    let row = sqlx::query!(
        r#"SELECT f.id, f.product_id AS "product: ProductId", f.product_revision,
                  r.snapshot->>'name' AS "product_name?", p.name AS current_name,
                  s.id AS "supplier_id: OrganisationId", s.name AS supplier_name,
                  b.id AS "buyer_id: OrganisationId", b.name AS buyer_name,
                  organisation_is_public(b.verified_at) AS "buyer_public!",
                  record_page_is_public(p.status, s.verified_at) AS "public!",
                  f.route AS "route: PurchaseRoute", f.outcome AS "outcome: PurchaseOutcome",
                  f.scenario_id, sc.title AS "scenario_title?",
                  record_page_is_public(sc.status, b.verified_at) AS "scenario_public?",
                  f.contract_number, f.signed_on, f.amount_fen, f.quantity, f.notice_on,
                  f.notice_url, f.created_at, f.cancelled_at, f.cancel_reason,
                  u.display_name AS "recorded_by?"
           FROM first_purchases f
           JOIN products p ON p.id = f.product_id
           JOIN product_revisions r ON r.product_id = f.product_id AND r.revision = f.product_revision
           JOIN organisations s ON s.id = f.supplier_organisation_id
           JOIN organisations b ON b.id = f.buyer_organisation_id
           LEFT JOIN scenarios sc ON sc.id = f.scenario_id
           LEFT JOIN users u ON u.id = f.recorded_by AND u.deleted_at IS NULL
           WHERE f.id = $1"#,
        id
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let (buyer, supplier) = (row.buyer_id, row.supplier_id);
    let may = |action: Action, organisation: OrganisationId| {
        check(caller, action, &Target::organisation(organisation)).is_ok()
    };
    let buyer_side = may(Action::CorrectFirstPurchase, buyer);
    let supplier_side = may(Action::DisputeFirstPurchase, supplier);
    let platform_admin = check(caller, Action::SettleFirstPurchaseDispute, &Target::none()).is_ok();
    if !may_see(caller, row.public, buyer, supplier) {
        return Err(AppError::NotFound);
    }
    let disputes = sqlx::query!(
        r#"SELECT id, ground AS "ground: DisputeGround", reason, raised_at,
                  state AS "state: DisputeState", answer, answered_at, settlement, settled_at
           FROM first_purchase_disputes WHERE first_purchase_id = $1 ORDER BY id"#,
        id
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|d| Dispute {
        id: d.id,
        ground: d.ground,
        reason: d.reason,
        raised_on: d.raised_at.with_timezone(&zone).date_naive(),
        state: d.state,
        answer: d.answer,
        answered_on: d.answered_at.map(|at| at.with_timezone(&zone).date_naive()),
        settlement: d.settlement,
        settled_on: d.settled_at.map(|at| at.with_timezone(&zone).date_naive()),
    })
    .collect::<Vec<_>>();
    let corrections = sqlx::query!(
        "SELECT action, changed_fields, reason, at FROM audit_log
         WHERE subject_kind = 'first_purchase' AND subject_id = $1
           AND action IN ('correct', 'cancel')
         ORDER BY at, id",
        id
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|c| Correction {
        at: c
            .at
            .with_timezone(&zone)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        action: c.action,
        fields: c.changed_fields,
        reason: c.reason,
    })
    .collect();
    let cancelled = row.cancelled_at.is_some();
    let open = disputes.iter().find(|d| d.state.is_open()).map(|d| d.state);
    let powers = Powers {
        correct: buyer_side && !cancelled && correction_open(row.created_at, now),
        cancel: buyer_side && !cancelled,
        attach: buyer_side,
        // Once a platform admin dismissed a dispute, the record stands.
        dispute: supplier_side
            && !cancelled
            && open.is_none()
            && !disputes.iter().any(|d| d.state == DisputeState::Dismissed),
        answer: buyer_side && open == Some(DisputeState::Open),
        settle: platform_admin && open.is_some(),
    };
    let recorded_day = row.created_at.with_timezone(&zone).date_naive();
    Ok(FirstPurchaseDetail {
        id: row.id,
        product: row.product,
        product_name: row.product_name.unwrap_or(row.current_name),
        product_revision: row.product_revision,
        supplier: OrganisationRef {
            id: supplier,
            name: row.supplier_name,
        },
        buyer: OrganisationRef {
            id: buyer,
            name: row.buyer_name,
        },
        buyer_public: row.buyer_public,
        route: row.route,
        outcome: row.outcome,
        scenario: row
            .scenario_id
            .zip(row.scenario_title)
            .filter(|_| row.scenario_public == Some(true)),
        contract_number: row.contract_number,
        signed_on: row.signed_on,
        amount: row.amount_fen.map(Money::from_fen),
        quantity: row.quantity,
        notice_on: row.notice_on,
        notice_url: row.notice_url.filter(|url| crate::url::is_http_url(url)),
        recorded_on: recorded_day,
        recorded_by: row.recorded_by.filter(|_| buyer_side || platform_admin),
        correctable_until: (row.created_at + chrono::Duration::days(CORRECTION_DAYS))
            .with_timezone(&zone)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        cancelled_on: row
            .cancelled_at
            .map(|at| at.with_timezone(&zone).date_naive()),
        cancel_reason: row.cancel_reason,
        corrections,
        disputes,
        attachments: crate::submissions::server::attachments::list(
            &state.pool,
            "first_purchase",
            id,
        )
        .await?,
        powers,
    })
}
