//! Recording a first purchase: a buyer (a member with the `buyer` role of a verified
//! government agency or public institution) records a contract for a product from its
//! page. The record keeps the listing's version the buyer saw, and is accepted only when
//! the product was eligible on the signing date ([`super::eligibility`]).

use super::eligibility::{refusal_on, Ineligible};
use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::Refusal;
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::{check, Action, Caller, Target};
use crate::domain::{Money, OrganisationId, ProductId, PurchaseOutcome, PurchaseRoute};
use crate::error::AppError;
use crate::state::AppState;
use chrono::NaiveDate;

/// The largest contract amount recorded: 100 亿元, in fen.
pub const MAX_CONTRACT_FEN: i64 = 10_000_000_000 * 100;

/// A checked record, as `first_purchases` keeps it. Amounts in fen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    pub route: PurchaseRoute,
    pub scenario: Option<i64>,
    pub contract_number: Option<String>,
    /// Beijing date.
    pub signed_on: NaiveDate,
    pub amount: Option<Money>,
    pub quantity: Option<i32>,
    pub notice_on: Option<NaiveDate>,
    /// An http(s) address of the procurement notice.
    pub notice_url: Option<String>,
    pub outcome: PurchaseOutcome,
}

/// The posted form's fields (`route`, `scenario`, `contract_number`, `signed_on`,
/// `amount` in 元, `quantity`, `notice_on`, `notice_url`, `outcome`), checked against
/// `today` (Beijing date). Errors: every problem, each named by its field; an amount or a
/// quantity is needed ([`Problem::Required`] on `amount`).
pub fn check_purchase(
    fields: &[(String, String)],
    today: NaiveDate,
) -> Result<Purchase, Vec<FieldError>> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(field, _)| field == name)
            .map_or("", |(_, value)| value.trim())
    };
    let mut errors = Vec::new();
    let mut fail =
        |field: &'static str, problem: Problem| errors.push(FieldError { field, problem });
    let route = PurchaseRoute::from_code(get("route"));
    if route.is_none() {
        fail(
            "route",
            if get("route").is_empty() {
                Problem::Required
            } else {
                Problem::InvalidChoice
            },
        );
    }
    let outcome = PurchaseOutcome::from_code(get("outcome"));
    if outcome.is_none() {
        fail(
            "outcome",
            if get("outcome").is_empty() {
                Problem::Required
            } else {
                Problem::InvalidChoice
            },
        );
    }
    let scenario = match get("scenario") {
        "" => None,
        text => match crate::domain::parse_id(text) {
            Ok(id) => Some(id),
            Err(_) => {
                fail("scenario", Problem::InvalidChoice);
                None
            }
        },
    };
    let contract_number = Some(get("contract_number").to_owned()).filter(|n| !n.is_empty());
    if contract_number
        .as_deref()
        .is_some_and(|n| n.chars().count() > 100)
    {
        fail("contract_number", Problem::TooLong);
    }
    let date = |value: &str| NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
    let signed_on = date(get("signed_on"));
    match (get("signed_on"), signed_on) {
        ("", _) => fail("signed_on", Problem::Required),
        (_, None) => fail("signed_on", Problem::InvalidDate),
        (_, Some(day)) if day > today => {
            fail("signed_on", Problem::NotEligibleOn(Ineligible::InFuture))
        }
        _ => {}
    }
    let notice_on = match get("notice_on") {
        "" => None,
        text => match date(text) {
            Some(day) if day > today => {
                fail("notice_on", Problem::DateInFuture);
                None
            }
            Some(day) => Some(day),
            None => {
                fail("notice_on", Problem::InvalidDate);
                None
            }
        },
    };
    let notice_url = Some(get("notice_url").to_owned()).filter(|u| !u.is_empty());
    if let Some(url) = &notice_url {
        if url.len() > 500 || !crate::url::is_http_url(url) {
            fail("notice_url", Problem::InvalidUrl);
        }
    }
    let amount = match get("amount") {
        "" => None,
        text => match Money::parse_yuan(text) {
            Ok(money) => Some(money),
            Err(_) => {
                fail("amount", Problem::InvalidAmount);
                None
            }
        },
    };
    let quantity = match get("quantity") {
        "" => None,
        text => match text.parse::<i32>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                fail(
                    "quantity",
                    Problem::OutOfRange {
                        min: 1,
                        max: i64::from(i32::MAX),
                    },
                );
                None
            }
        },
    };
    if get("amount").is_empty() && get("quantity").is_empty() {
        fail("amount", Problem::AmountOrQuantity);
    }
    // A zero or astronomically large contract is a typing slip (a unit, a digit), and it
    // would distort every public total.
    if let Some(money) = amount {
        let awarded = outcome == Some(PurchaseOutcome::Awarded);
        if money.fen > MAX_CONTRACT_FEN || (awarded && money.fen == 0) {
            fail("amount", Problem::ContractAmountRange);
        }
    }
    match (route, outcome, signed_on) {
        (Some(route), Some(outcome), Some(signed_on)) if errors.is_empty() => Ok(Purchase {
            route,
            scenario,
            contract_number,
            signed_on,
            amount,
            quantity,
            notice_on,
            notice_url,
            outcome,
        }),
        _ => Err(errors),
    }
}

/// Records a first purchase of `product` by `buyer` (the caller's agency) from the posted
/// form, and tells the supplier (site and mail). Returns the record's id.
///
/// Errors: 401; 404 when the product's page is not public; 403 when the caller holds no
/// `buyer` role in `buyer` (a verified agency or public institution); [`Refusal::Invalid`]
/// naming each field, `organisation` ([`Problem::OwnProduct`] for the supplier itself),
/// `scenario` (not the buyer's own published scenario), `signed_on`
/// ([`Problem::NotEligibleOn`] with why).
pub async fn record_purchase(
    state: &AppState,
    caller: &Caller,
    product: ProductId,
    buyer: Option<OrganisationId>,
    fields: &[(String, String)],
) -> Result<i64, Refusal> {
    let user = caller
        .signed_in()
        .map(|account| account.user)
        .ok_or(AppError::Unauthorized)?;
    let Some(buyer) = buyer else {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "organisation",
            problem: Problem::InvalidChoice,
        }]));
    };
    check(
        caller,
        Action::RecordFirstPurchase,
        &Target::organisation(buyer),
    )?;
    let (now, today) = (state.clock.now(), state.clock.today());
    let purchase = check_purchase(fields, today).map_err(Refusal::Invalid)?;
    let mut tx = state.pool.begin().await?;
    // The record's trigger updates the product's row (`first_purchased_on`): take that
    // lock now, so two records of one product at once queue instead of deadlocking.
    let row = sqlx::query!(
        r#"SELECT p.organisation_id, p.revision,
                  record_page_is_public(p.status, o.verified_at) AS "public!"
           FROM products p JOIN organisations o ON o.id = p.organisation_id
           WHERE p.id = $1 FOR NO KEY UPDATE OF p"#,
        product.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .filter(|row| row.public)
    .ok_or(AppError::NotFound)?;
    let invalid = |field: &'static str, problem: Problem| {
        Refusal::Invalid(vec![FieldError { field, problem }])
    };
    if row.organisation_id == buyer.0 {
        return Err(invalid("organisation", Problem::OwnProduct));
    }
    if let Some(scenario) = purchase.scenario {
        let own = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM scenarios WHERE id = $1 AND organisation_id = $2
                              AND status IN ('published', 'expired', 'withdrawn')) AS "own!""#,
            scenario,
            buyer.0
        )
        .fetch_one(&mut *tx)
        .await?;
        if !own {
            return Err(invalid("scenario", Problem::InvalidChoice));
        }
    }
    if let Some(why) = refusal_on(&mut tx, product, purchase.signed_on, today).await? {
        return Err(invalid("signed_on", Problem::NotEligibleOn(why)));
    }
    // The product's row lock (above) orders two posts of one form: the second sees the first.
    if is_duplicate(
        &mut tx,
        product,
        buyer,
        purchase.contract_number.as_deref(),
        None,
    )
    .await?
    {
        return Err(invalid("contract_number", Problem::DuplicateContract));
    }
    let id = sqlx::query_scalar!(
        "INSERT INTO first_purchases (product_id, product_revision, buyer_organisation_id,
             supplier_organisation_id, route, scenario_id, contract_number, signed_on,
             amount_fen, quantity, notice_on, notice_url, outcome, recorded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         RETURNING id",
        product.0,
        row.revision,
        buyer.0,
        row.organisation_id,
        purchase.route as PurchaseRoute,
        purchase.scenario,
        purchase.contract_number,
        purchase.signed_on,
        purchase.amount.map(|money| money.fen),
        purchase.quantity,
        purchase.notice_on,
        purchase.notice_url,
        purchase.outcome as PurchaseOutcome,
        user.0,
        now
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "first_purchase",
            subject_id: id,
            action: "record",
            from_state: None,
            to_state: Some(purchase.outcome.code()),
            reason: None,
            changed_fields: &[],
            at: now,
        },
    )
    .await?;
    let names = sqlx::query!(
        "SELECT p.name AS product, b.name AS buyer FROM products p, organisations b
         WHERE p.id = $1 AND b.id = $2",
        product.0,
        buyer.0
    )
    .fetch_one(&mut *tx)
    .await?;
    let (product_name, by) = (names.product, names.buyer);
    crate::submissions::server::notify::notify_about(
        &mut tx,
        &state.site,
        OrganisationId(row.organisation_id),
        crate::submissions::server::notify::Audience::Supplier,
        None,
        crate::submissions::server::notify::Event::FirstPurchaseRecorded,
        &product_name,
        Some(&by),
        &format!("/first-purchases/{id}"),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Whether `buyer` recorded `contract_number` for `product` already (in a record other than
/// `except`). Records without a number are never duplicates of one another.
pub(crate) async fn is_duplicate(
    tx: &mut sqlx::PgConnection,
    product: ProductId,
    buyer: OrganisationId,
    contract_number: Option<&str>,
    except: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let Some(number) = contract_number else {
        return Ok(false);
    };
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM first_purchases
                          WHERE product_id = $1 AND buyer_organisation_id = $2
                            AND lower(contract_number) = lower($3)
                            AND id IS DISTINCT FROM $4) AS "exists!""#,
        product.0,
        buyer.0,
        number,
        except
    )
    .fetch_one(&mut *tx)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    #[test]
    fn a_complete_record_has_its_amount_in_fen() {
        let purchase = check_purchase(
            &form(&[
                ("route", "first_purchase"),
                ("signed_on", "2026-10-08"),
                ("amount", "86.5万"),
                ("outcome", "awarded"),
                ("notice_url", "https://www.ccgp.gov.cn/cggg/1.htm"),
            ]),
            today(),
        )
        .unwrap();
        assert_eq!(purchase.amount, Some(Money::from_fen(86_500_000)));
        assert_eq!(purchase.quantity, None);
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = check_purchase(
            &form(&[
                ("route", "gift"),
                ("signed_on", "2026-02-30"),
                ("notice_on", "2027-01-01"),
                ("notice_url", "javascript:alert(1)"),
                ("quantity", "0"),
                ("amount", "很多"),
            ]),
            today(),
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "route",
                "outcome",
                "signed_on",
                "notice_on",
                "notice_url",
                "amount",
                "quantity"
            ]
        );
        let neither = check_purchase(
            &form(&[
                ("route", "catalogue"),
                ("signed_on", "2026-10-08"),
                ("outcome", "cancelled"),
            ]),
            today(),
        )
        .unwrap_err();
        assert_eq!(neither[0].field, "amount");
        assert_eq!(neither[0].problem, Problem::AmountOrQuantity);
        let future = check_purchase(
            &form(&[
                ("route", "catalogue"),
                ("signed_on", "2026-12-01"),
                ("amount", "1"),
                ("outcome", "awarded"),
            ]),
            today(),
        )
        .unwrap_err();
        assert_eq!(
            future[0].field, "signed_on",
            "named with the other fields, before any lookup"
        );
    }
}
