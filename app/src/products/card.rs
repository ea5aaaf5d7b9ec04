use super::ProductSummary;
use crate::domain::Money;
use crate::i18n::{use_locale, use_messages};
use leptos::prelude::*;

/// A product in a list: name, supplier, industry, price, and the two first-purchase facts.
#[component]
pub fn ProductCard(product: ProductSummary) -> impl IntoView {
    let locale = use_locale();
    let href = format!("/products/{}", product.id);
    let supplier_href = format!("/organisations/{}", product.supplier.id);
    let ProductSummary {
        name,
        supplier,
        industry,
        price_min,
        price_max,
        price_unit,
        certifications,
        eligible,
        first_purchased_on,
        government_traction,
        ..
    } = product;
    let price = move || {
        Money::display_range(price_min, price_max, locale)
            .map(|price| format!("{price} / {price_unit}"))
    };
    view! {
        <li class="card" data-testid="product-card">
            <h3 class="card-title">
                <a href=href>{name}</a>
            </h3>
            <p class="card-meta">
                <a href=supplier_href>{supplier.name}</a>
                " · "
                {move || industry.label(locale)}
                {move || price().map(|price| format!(" · {price}"))}
            </p>
            <p class="badges">
                <FirstPurchaseBadges eligible first_purchased=first_purchased_on.is_some() />
                {certifications
                    .into_iter()
                    .map(|c| view! { <span class="badge">{move || c.label(locale)}</span> })
                    .collect_view()}
            </p>
            <crate::traction::TractionLine traction=government_traction />
        </li>
    }
}

/// The two first-purchase facts, never merged into one: eligible today, and purchased.
#[component]
pub fn FirstPurchaseBadges(eligible: bool, first_purchased: bool) -> impl IntoView {
    let t = use_messages();
    view! {
        <span class="badge" class:badge-positive=eligible data-testid="eligibility">
            {move || if eligible { t.eligible } else { t.not_eligible }}
        </span>
        <span class="badge" class:badge-positive=first_purchased data-testid="first-purchased">
            {move || {
                if first_purchased { t.first_purchased } else { t.not_first_purchased }
            }}
        </span>
    }
}
