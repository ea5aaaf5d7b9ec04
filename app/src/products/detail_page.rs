use super::card::FirstPurchaseBadges;
use super::{get_product, FirstPurchaseEntry, OrganisationRef, ProductDetail};
use crate::components::{Fact, Facts, RecordHead, RecordPage, StatusBanner};
use crate::domain::{Money, PurchaseOutcome};
use crate::i18n::{use_locale, use_messages};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde_json::{json, Value};

#[component]
pub fn ProductDetailPage() -> impl IntoView {
    view! { <RecordPage load=get_product render=|product| view! { <ProductView product /> } /> }
}

#[component]
fn ProductView(product: ProductDetail) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let title = product.summary.name.clone();
    let description: String = product.description.chars().take(150).collect();
    let data = structured_data(&product);
    let supplier_href = format!("/organisations/{}", product.summary.supplier.id);
    let first_purchased_on = product.summary.first_purchased_on;
    let p_traction = product.summary.government_traction;
    let eligible = product.summary.eligible;
    let (status, notice_until, reason) = (
        product.status,
        product.notice_until,
        product.status_reason.clone(),
    );
    let notice_link = product.notice_submission.map(|id| format!("/notices/{id}"));
    let (product_id, owner) = (product.summary.id, product.summary.supplier.id);
    let files = product.attachments.clone();
    let (supplier_name, text, specifications, records) = (
        product.summary.supplier.name.clone(),
        product.description.clone(),
        product.specifications.clone(),
        product.first_purchases.clone(),
    );
    // The record never changes on this page; only the language does.
    let p = StoredValue::new(product);
    let fact = move |read: fn(&ProductDetail, crate::i18n::Locale) -> Option<String>| {
        Signal::derive(move || p.with_value(|p| read(p, locale)))
    };
    let label = move |pick: fn(&crate::i18n::Messages) -> &'static str| Signal::stored(pick(t));

    view! {
        <RecordHead title=title.clone() description data />
        <article class="record" data-testid="product-detail">
            <StatusBanner status notice_until reason notice_link />
            <h1>{title}</h1>
            <p class="record-owner">
                <a href=supplier_href>{supplier_name}</a>
            </p>
            <section class="first-purchase-facts" aria-labelledby="first-purchase-heading">
                <h2 id="first-purchase-heading" class="sr-only">{t.first_purchase}</h2>
                <p class="badges">
                    <FirstPurchaseBadges eligible first_purchased=first_purchased_on.is_some() />
                </p>
                {first_purchased_on.map(|day| view! {
                    <p>{t.first_purchased_since.replace("{date}", &day.to_string())}</p>
                })}
                <crate::traction::TractionLine traction=p_traction />
            </section>
            <Facts>
                <Fact label=label(|m| m.industry) value=fact(|p, l| Some(p.summary.industry.label(l).to_owned())) />
                <Fact
                    label=label(|m| m.procurement_category)
                    value=fact(|p, _| Some(format!("{} {}", p.procurement_code, p.procurement_name)))
                />
                <Fact
                    label=label(|m| m.price)
                    value=fact(|p, l| {
                        Money::display_range(p.summary.price_min, p.summary.price_max, l)
                            .map(|price| format!("{price} / {}", p.summary.price_unit))
                    })
                />
                <Fact label=label(|m| m.supplier_location) value=fact(|p, l| Some(p.supplier_location.label(l).to_owned())) />
                <Fact
                    label=label(|m| m.certifications)
                    value=fact(|p, l| {
                        let names: Vec<&str> = p.summary.certifications.iter().map(|c| c.label(l)).collect();
                        (!names.is_empty()).then(|| names.join("、"))
                    })
                />
                <Fact
                    label=label(|m| m.batch)
                    value=fact(|p, _| {
                        p.batch.as_ref().map(|b| match (b.valid_from, b.valid_until) {
                            (Some(from), Some(until)) => format!("{} {} ({from} – {until})", b.code, b.title),
                            _ => format!("{} {}", b.code, b.title),
                        })
                    })
                />
                <Fact
                    label=label(|m| m.listed_in)
                    value=fact(|p, _| {
                        (p.listings.len() > 1).then(|| {
                            p.listings
                                .iter()
                                .map(|b| format!("{} {}", b.code, b.title))
                                .collect::<Vec<_>>()
                                .join("；")
                        })
                    })
                />
                <Fact label=label(|m| m.valid_until) value=fact(|p, _| p.valid_until.map(|d| d.to_string())) />
                <Fact label=label(|m| m.published_on) value=fact(|p, _| p.published_on.map(|d| d.to_string())) />
                <Fact
                    label=label(|m| m.registration_certificate)
                    value=fact(|p, _| p.registration_certificate.clone().filter(|_| p.is_medical))
                />
                <Fact
                    label=label(|m| m.insurance_status)
                    value=fact(|p, l| p.insurance_status.filter(|_| p.is_medical).map(|s| s.label(l).to_owned()))
                />
                <Fact label=label(|m| m.patents) value=fact(|p, _| (!p.patents.is_empty()).then(|| p.patents.join("；"))) />
            </Facts>
            <section aria-labelledby="description-heading">
                <h2 id="description-heading">{t.description}</h2>
                <p class="prose">{text}</p>
            </section>
            <section aria-labelledby="specifications-heading">
                <h2 id="specifications-heading">{t.specifications}</h2>
                <p class="prose">{specifications}</p>
            </section>
            <crate::submissions::pages::RecordFiles files=files />
            <FirstPurchaseHistory records />
            <crate::first_purchases::RecordPurchaseLink product=product_id supplier=owner status />
            <crate::certificates::CertificateLink product=product_id supplier=owner status />
            <crate::accounts::form::RedirectNotice />
            <crate::submissions::pages::OwnerActions kind=crate::submissions::forms::RecordKind::Product id=product_id.0 owner status />
        </article>
    }
}

/// Every first-purchase record, awarded or not: the first buyer, later buyers, and
/// cancelled attempts all stay in the history.
#[component]
fn FirstPurchaseHistory(records: Vec<FirstPurchaseEntry>) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let empty = records.is_empty();
    let bought_by = bought_by(&records);
    view! {
        <section aria-labelledby="history-heading" data-testid="first-purchase-history">
            <h2 id="history-heading">{t.first_purchase_history}</h2>
            {empty.then(|| view! { <p>{t.no_first_purchases}</p> })}
            {(!bought_by.is_empty()).then(|| view! {
                <p data-testid="bought-by">
                    {match locale {
                        crate::i18n::Locale::ZhCn => format!(
                            "{}（{} 家）：{}",
                            t.bought_by,
                            bought_by.len(),
                            bought_by.iter().map(|(buyer, day)| format!("{}（{day}）", buyer.name)).collect::<Vec<_>>().join("、"),
                        ),
                        crate::i18n::Locale::En => format!(
                            "{} ({}): {}",
                            t.bought_by,
                            bought_by.len(),
                            bought_by.iter().map(|(buyer, day)| format!("{} ({day})", buyer.name)).collect::<Vec<_>>().join(", "),
                        ),
                    }}
                </p>
            })}
            {(!empty).then(|| view! {
                <div class="table-scroll">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{t.signed_on}</th>
                                <th scope="col">{t.buyer}</th>
                                <th scope="col">{t.route}</th>
                                <th scope="col">{t.amount}</th>
                                <th scope="col">{t.contract_number}</th>
                                <th scope="col">{t.outcome}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {records
                                .into_iter()
                                .map(|record| {
                                    // Only a public (verified) buyer has a page to link to.
                                    let buyer = if record.buyer_public {
                                        let href = format!("/organisations/{}", record.buyer.id);
                                        view! { <a href=href>{record.buyer.name}</a> }.into_any()
                                    } else {
                                        record.buyer.name.into_any()
                                    };
                                    let amount = record.amount;
                                    view! {
                                        <tr data-outcome=record.outcome.code()>
                                            <td><a href=format!("/first-purchases/{}", record.id)>{record.signed_on.to_string()}</a></td>
                                            <td>{buyer}</td>
                                            <td>{move || record.route.label(locale)}</td>
                                            <td>{move || amount.map(|a| a.display(locale)).unwrap_or_default()}</td>
                                            <td>
                                                {match record.notice_url {
                                                    // Without a number the link says what it is.
                                                    Some(url) => view! {
                                                        <a href=url rel="external noopener">{record.contract_number.unwrap_or_else(|| match locale {
                                                            crate::i18n::Locale::ZhCn => "采购公告".to_owned(),
                                                            crate::i18n::Locale::En => "Procurement notice".to_owned(),
                                                        })}</a>
                                                    }.into_any(),
                                                    None => record.contract_number.unwrap_or_default().into_any(),
                                                }}
                                            </td>
                                            <td>
                                                {move || record.outcome.label(locale)}
                                                {record.disputed.then(|| view! {
                                                    " " <span class="badge" data-testid="disputed">
                                                        {match locale { crate::i18n::Locale::ZhCn => "有异议", crate::i18n::Locale::En => "Disputed" }}
                                                    </span>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

/// Who already bought it: each agency with an awarded record, with its first signing date,
/// earliest first (the precedent a second buyer looks for). Cancelled and "nothing
/// suitable" records do not count.
fn bought_by(records: &[FirstPurchaseEntry]) -> Vec<(OrganisationRef, NaiveDate)> {
    let mut buyers: Vec<(OrganisationRef, NaiveDate)> = Vec::new();
    for record in records
        .iter()
        .filter(|r| r.outcome == PurchaseOutcome::Awarded)
    {
        match buyers
            .iter_mut()
            .find(|(buyer, _)| buyer.id == record.buyer.id)
        {
            Some((_, day)) => *day = (*day).min(record.signed_on),
            None => buyers.push((record.buyer.clone(), record.signed_on)),
        }
    }
    buyers.sort_by_key(|(buyer, day)| (*day, buyer.id));
    buyers
}

/// The product as a schema.org `Product` (<https://schema.org/Product>): its supplier as
/// manufacturer, its procurement category, and, while it is listed, its price range in
/// yuan as an `AggregateOffer` (an expired or withdrawn listing offers nothing).
fn structured_data(product: &ProductDetail) -> Value {
    let mut data = json!({
        "@type": "Product",
        "name": product.summary.name,
        "description": product.description,
        "category": format!("{} {}", product.procurement_code, product.procurement_name),
        "manufacturer": {"@type": "Organization", "name": product.summary.supplier.name},
    });
    let (low, high) = (product.summary.price_min, product.summary.price_max);
    if let Some(low) = low.or(high).filter(|_| product.status.is_listed()) {
        data["offers"] = json!({
            "@type": "AggregateOffer",
            "priceCurrency": "CNY",
            "lowPrice": low.yuan_text(),
            "highPrice": high.unwrap_or(low).yuan_text(),
            "offeredBy": {"@type": "Organization", "name": product.summary.supplier.name},
        });
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{OrganisationId, PurchaseRoute};

    fn record(buyer: i64, outcome: PurchaseOutcome, day: u32) -> FirstPurchaseEntry {
        FirstPurchaseEntry {
            id: 1,
            disputed: false,
            buyer: OrganisationRef {
                id: OrganisationId(buyer),
                name: format!("单位{buyer}"),
            },
            buyer_public: true,
            route: PurchaseRoute::FirstPurchase,
            outcome,
            signed_on: NaiveDate::from_ymd_opt(2026, 10, day).unwrap(),
            contract_number: None,
            amount: None,
            quantity: None,
            notice_on: None,
            notice_url: None,
        }
    }

    #[test]
    fn each_agency_that_bought_counts_once_from_its_first_awarded_contract() {
        let records = [
            record(2, PurchaseOutcome::Awarded, 20),
            record(1, PurchaseOutcome::Cancelled, 1),
            record(2, PurchaseOutcome::Awarded, 5),
            record(3, PurchaseOutcome::Awarded, 9),
            record(4, PurchaseOutcome::NothingSuitable, 2),
        ];
        let bought: Vec<(i64, u32)> = bought_by(&records)
            .into_iter()
            .map(|(buyer, day)| (buyer.id.0, chrono::Datelike::day(&day)))
            .collect();
        assert_eq!(bought, [(2, 5), (3, 9)]);
    }
}
