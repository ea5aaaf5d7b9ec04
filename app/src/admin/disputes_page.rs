//! `/admin/first-purchase-disputes`: the disputes over first-purchase records still under
//! way (waiting for the buying agency, or stood by and waiting for a platform admin),
//! oldest first, each linking to the record's page where it is settled. Platform admins.

use crate::accounts::AccessDenied;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::first_purchases::detail::{DisputeGround, DisputeState};
use crate::i18n::{use_locale, Locale};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

struct Texts {
    title: &'static str,
    lead: &'static str,
    none: &'static str,
    raised_on: &'static str,
    product: &'static str,
    buyer: &'static str,
    supplier: &'static str,
    ground: &'static str,
    state: &'static str,
    rule: &'static str,
}

fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::ZhCn => &Texts {
            title: "首购记录异议",
            lead: "供应商提出、尚未了结的异议。采购单位未答复的，可提醒其更正或答复；采购单位坚持原记录的，由平台管理员在记录页裁定。",
            none: "没有待处理的异议。",
            raised_on: "提出日期",
            product: "产品",
            buyer: "采购单位",
            supplier: "供应商",
            ground: "异议类型",
            state: "状态",
            rule: "首购认定规则",
        },
        Locale::En => &Texts {
            title: "First-purchase disputes",
            lead: "Disputes raised by suppliers and not yet closed. Those the buying agency has not answered wait for it; those it stands by are settled by a platform admin on the record's page.",
            none: "No dispute is under way.",
            raised_on: "Raised on",
            product: "Product",
            buyer: "Buying agency",
            supplier: "Supplier",
            ground: "Ground",
            state: "State",
            rule: "First-purchase rule",
        },
    }
}

/// One dispute under way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeLine {
    pub record: i64,
    pub product_name: String,
    pub buyer: String,
    pub supplier: String,
    pub ground: DisputeGround,
    pub state: DisputeState,
    /// Beijing date.
    pub raised_on: chrono::NaiveDate,
}

#[component]
pub fn DisputesPage() -> impl IntoView {
    let t = texts(use_locale());
    let lines = Resource::new_blocking(|| (), |_| load());
    view! {
        <PageTitle text=t.title />
        <Suspense>
            {move || Suspend::new(async move {
                match lines.await {
                    Ok(lines) => view! { <DisputeList lines /> }.into_any(),
                    Err(error) => view! { <AccessDenied error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DisputeList(lines: Vec<DisputeLine>) -> impl IntoView {
    let locale = use_locale();
    let t = texts(locale);
    view! {
        <section class="account" data-testid="disputes-queue">
            <h1>{t.title}</h1>
            <p>{t.lead}</p>
            <p><a href="/admin/first-purchase-rule">{t.rule}</a></p>
            {lines.is_empty().then(|| view! { <p>{t.none}</p> })}
            {(!lines.is_empty()).then(|| view! {
                <div class="table-scroll">
                    <table>
                        <thead><tr>
                            <th scope="col">{t.raised_on}</th>
                            <th scope="col">{t.product}</th>
                            <th scope="col">{t.buyer}</th>
                            <th scope="col">{t.supplier}</th>
                            <th scope="col">{t.ground}</th>
                            <th scope="col">{t.state}</th>
                        </tr></thead>
                        <tbody>
                            {lines.into_iter().map(|line| view! {
                                <tr data-state=line.state.code()>
                                    <td>{line.raised_on.to_string()}</td>
                                    <td><a href=format!("/first-purchases/{}", line.record)>{line.product_name}</a></td>
                                    <td>{line.buyer}</td>
                                    <td>{line.supplier}</td>
                                    <td>{line.ground.label(locale)}</td>
                                    <td>{line.state.label(locale)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

async fn load() -> Result<Vec<DisputeLine>, AppError> {
    #[cfg(feature = "ssr")]
    {
        use crate::auth::{check, Action, Target};
        let caller = crate::accounts::use_caller();
        check(&caller, Action::SettleFirstPurchaseDispute, &Target::none())?;
        let state = crate::state::app_state()?;
        let zone = state.clock.zone();
        Ok(sqlx::query!(
            r#"SELECT d.first_purchase_id, p.name AS product_name, b.name AS buyer,
                      s.name AS supplier, d.ground AS "ground: DisputeGround",
                      d.state AS "state: DisputeState", d.raised_at
               FROM first_purchase_disputes d
               JOIN first_purchases f ON f.id = d.first_purchase_id
               JOIN products p ON p.id = f.product_id
               JOIN organisations b ON b.id = f.buyer_organisation_id
               JOIN organisations s ON s.id = f.supplier_organisation_id
               WHERE d.state IN ('open', 'stood_by')
               ORDER BY d.raised_at, d.id"#
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|row| DisputeLine {
            record: row.first_purchase_id,
            product_name: row.product_name,
            buyer: row.buyer,
            supplier: row.supplier,
            ground: row.ground,
            state: row.state,
            raised_on: row.raised_at.with_timezone(&zone).date_naive(),
        })
        .collect())
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::Internal)
    }
}
