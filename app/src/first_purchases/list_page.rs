//! The `/first-purchases` page: the filter form (a plain GET form), the totals of the
//! filter, a table of records linking to each record's page, the pager and the CSV export
//! of the same filter.

use super::list::{PurchaseFilter, PurchaseList, SignedOrder};
use crate::components::CodeSelect;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::errors::ErrorNotice;
use crate::i18n::{use_locale, use_messages, Locale};
use crate::listing::{FilterForm, Pager};
use leptos::prelude::*;
use leptos_meta::Meta;

struct Texts {
    title: &'static str,
    lead: &'static str,
    buyer: &'static str,
    supplier: &'static str,
    route: &'static str,
    outcome: &'static str,
    year: &'static str,
    district: &'static str,
    sort: &'static str,
    newest: &'static str,
    oldest: &'static str,
    any: &'static str,
    totals: &'static str,
    export: &'static str,
    export_xlsx: &'static str,
    signed_on: &'static str,
    product: &'static str,
    amount: &'static str,
    quantity: &'static str,
    disputed: &'static str,
    none: &'static str,
}

fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::ZhCn => &Texts {
            title: "首购记录",
            lead: "采购单位登记的创新产品首购、订购及首台（套）合同，公开可查（不含个人联系方式）。",
            buyer: "采购单位",
            supplier: "供应商",
            route: "采购方式",
            outcome: "结果",
            year: "签订年份",
            district: "供应商所在地",
            sort: "排序",
            newest: "签订日期（新→旧）",
            oldest: "签订日期（旧→新）",
            any: "不限",
            totals: "共 {records} 条记录，其中成交 {awarded} 条，成交金额合计 {amount}。",
            export: "导出 CSV",
            export_xlsx: "导出 Excel（XLSX）",
            signed_on: "签订日期",
            product: "产品",
            amount: "合同金额",
            quantity: "数量",
            disputed: "有异议",
            none: "没有符合条件的首购记录。",
        },
        Locale::En => &Texts {
            title: "First purchases",
            lead: "Contracts for innovative products that buying agencies recorded: first purchases, commissioned R&D and first sets, public (without personal contact data).",
            buyer: "Buying agency",
            supplier: "Supplier",
            route: "Route",
            outcome: "Outcome",
            year: "Year signed",
            district: "Supplier's district",
            sort: "Order",
            newest: "Signing date, newest first",
            oldest: "Signing date, oldest first",
            any: "Any",
            totals: "{records} records, {awarded} awarded, worth {amount} in all.",
            export: "Export CSV",
            export_xlsx: "Export Excel (XLSX)",
            signed_on: "Signed on",
            product: "Product",
            amount: "Contract amount",
            quantity: "Quantity",
            disputed: "Disputed",
            none: "No first-purchase record matches.",
        },
    }
}

#[component]
pub fn FirstPurchaseListPage() -> impl IntoView {
    let t = texts(use_locale());
    let params = crate::components::request_query();
    let filter = PurchaseFilter::from_query(&params[..]);
    let list = Resource::new_blocking(
        move || filter.clone(),
        |filter| async move { load(filter?).await },
    );
    view! {
        <PageTitle text=t.title />
        <Meta name="description" content=t.lead />
        <h1>{t.title}</h1>
        <p class="lead">{t.lead}</p>
        <Suspense>
            {move || Suspend::new(async move {
                match list.await {
                    Ok((filter, list)) => view! { <ListView filter list /> }.into_any(),
                    Err(error) => {
                        let bad_filter = matches!(error, AppError::InvalidParameter { .. });
                        view! {
                            <ErrorNotice error />
                            {bad_filter.then(|| view! {
                                <p><a href="/first-purchases" data-testid="clear-filters">{use_messages().clear_filters}</a></p>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

async fn load(filter: PurchaseFilter) -> Result<(PurchaseFilter, PurchaseList), AppError> {
    #[cfg(feature = "ssr")]
    {
        crate::error::with_status(async {
            let state = crate::state::app_state()?;
            let list = super::list::list(&state.pool, &filter).await?;
            Ok((filter, list))
        })
        .await
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = filter;
        Err(AppError::Internal)
    }
}

/// A select of ids (or years) with "any" first.
#[component]
fn ChoiceSelect(
    name: &'static str,
    label: &'static str,
    any: &'static str,
    choices: Vec<(String, String)>,
    selected: String,
) -> impl IntoView {
    let id = format!("filter-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="">{any}</option>
                {choices.into_iter().map(|(value, text)| {
                    let chosen = value == selected;
                    view! { <option value=value selected=chosen>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn ListView(filter: PurchaseFilter, list: PurchaseList) -> impl IntoView {
    let locale = use_locale();
    let t = texts(locale);
    let pairs = filter.query_pairs();
    let export_query = crate::url::query_string(&pairs);
    let export_href = |extension: &str| {
        if export_query.is_empty() {
            format!("/first-purchases/export.{extension}")
        } else {
            format!("/first-purchases/export.{extension}?{export_query}")
        }
    };
    let ids = |choices: &[(i64, String)]| {
        choices
            .iter()
            .map(|(id, name)| (id.to_string(), name.clone()))
            .collect::<Vec<_>>()
    };
    let totals = t
        .totals
        .replace("{records}", &list.totals.records.to_string())
        .replace("{awarded}", &list.totals.awarded.to_string())
        .replace("{amount}", &list.totals.awarded_amount.display(locale));
    let total_pages = list.page.total_pages();
    let page = list.page.page;
    view! {
        <FilterForm action="/first-purchases" chosen=pairs.clone()>
            <ChoiceSelect name="buyer" label=t.buyer any=t.any choices=ids(&list.buyers)
                selected=filter.buyer.map(|id| id.to_string()).unwrap_or_default() />
            <ChoiceSelect name="supplier" label=t.supplier any=t.any choices=ids(&list.suppliers)
                selected=filter.supplier.map(|id| id.to_string()).unwrap_or_default() />
            <CodeSelect name="route" label=t.route selected=filter.route />
            <CodeSelect name="outcome" label=t.outcome selected=filter.outcome />
            <ChoiceSelect name="year" label=t.year any=t.any
                choices=list.years.iter().map(|y| (y.to_string(), y.to_string())).collect()
                selected=filter.year.map(|y| y.0.to_string()).unwrap_or_default() />
            <CodeSelect name="industry" label=use_messages().industry selected=filter.industry />
            <CodeSelect name="district" label=t.district selected=filter.district />
            <ChoiceSelect name="sort" label=t.sort any=t.newest
                choices=vec![("oldest".to_owned(), t.oldest.to_owned())]
                selected=if filter.order == SignedOrder::Oldest { "oldest".to_owned() } else { String::new() } />
        </FilterForm>
        <p class="list-summary" role="status" data-testid="first-purchase-totals" data-count=list.totals.records
            data-awarded=list.totals.awarded data-amount-fen=list.totals.awarded_amount.fen>
            {totals}
        </p>
        <p class="export-links">
            <a href=export_href("csv") data-testid="export-csv" download>{t.export}</a>
            " · "
            <a href=export_href("xlsx") data-testid="export-xlsx" download>{t.export_xlsx}</a>
        </p>
        {list.page.items.is_empty().then(|| view! { <p>{t.none}</p> })}
        {(!list.page.items.is_empty()).then(|| view! {
            <div class="table-scroll">
                <table data-testid="first-purchase-list">
                    <thead>
                        <tr>
                            <th scope="col">{t.signed_on}</th>
                            <th scope="col">{t.product}</th>
                            <th scope="col">{t.supplier}</th>
                            <th scope="col">{t.buyer}</th>
                            <th scope="col">{t.route}</th>
                            <th scope="col">{t.amount}</th>
                            <th scope="col">{t.quantity}</th>
                            <th scope="col">{t.outcome}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {list.page.items.iter().cloned().map(|line| view! {
                            <tr data-outcome=line.outcome.code() data-id=line.id>
                                <td><a href=format!("/first-purchases/{}", line.id)>{line.signed_on.to_string()}</a></td>
                                <td><a href=format!("/products/{}", line.product)>{line.product_name}</a></td>
                                <td><a href=format!("/organisations/{}", line.supplier.id)>{line.supplier.name}</a></td>
                                <td>{line.buyer.name}</td>
                                <td>{line.route.label(locale)}</td>
                                <td>{line.amount.map(|a| a.display(locale)).unwrap_or_default()}</td>
                                <td>{line.quantity.map(|q| q.to_string()).unwrap_or_default()}</td>
                                <td>{line.outcome.label(locale)}
                                    {line.disputed.then(|| view! { " " <span class="badge" data-testid="disputed">{t.disputed}</span> })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        <Pager path="/first-purchases" query=pairs page total_pages />
    }
}
