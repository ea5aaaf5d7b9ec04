//! `/products/{id}/first-purchases/new`: a buyer records a first purchase of the product
//! (route, related scenario of their agency, contract number, signing date, amount and/or
//! quantity, procurement notice, outcome). Works without JavaScript; the server checks the
//! product was eligible on the signing date and says why when it was not.

use crate::accounts::form::{
    vocabulary_options, Field, FieldLabels, PostForm, RedirectNotice, SelectField,
};
use crate::accounts::AccessDenied;
use crate::components::PageTitle;
use crate::domain::{PurchaseOutcome, PurchaseRoute};
use crate::error::AppError;
use crate::i18n::{use_locale, Locale};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// The form's words, in both languages.
pub struct RecordTexts {
    pub title: &'static str,
    pub lead: &'static str,
    pub buyer: &'static str,
    pub route: &'static str,
    pub scenario: &'static str,
    pub no_scenario: &'static str,
    pub contract_number: &'static str,
    pub signed_on: &'static str,
    pub signed_on_hint: &'static str,
    pub amount: &'static str,
    pub amount_hint: &'static str,
    pub quantity: &'static str,
    pub notice_on: &'static str,
    pub notice_url: &'static str,
    pub outcome: &'static str,
    pub submit: &'static str,
    pub product: &'static str,
    pub record: &'static str,
    pub reason: &'static str,
    pub ground: &'static str,
    pub decision: &'static str,
    pub answer: &'static str,
    pub settlement: &'static str,
    pub file: &'static str,
}

static ZH_CN: RecordTexts = RecordTexts {
    title: "登记首购",
    lead: "登记本单位与该产品签订的合同。签订当日产品须已发布且在有效的创新产品目录批次中；记录公开，不含个人联系方式。",
    buyer: "采购单位",
    route: "采购方式",
    scenario: "相关应用场景（可选）",
    no_scenario: "无",
    contract_number: "合同编号",
    signed_on: "合同签订日期",
    signed_on_hint: "按签订当日的状态判断是否符合首购条件。",
    amount: "合同金额（元）",
    amount_hint: "可写 86.5万 或 865000；金额和数量至少填写一项。",
    quantity: "数量",
    notice_on: "采购公告日期",
    notice_url: "采购公告链接",
    outcome: "结果",
    submit: "登记",
    product: "产品",
    record: "记录",
    reason: "理由",
    ground: "异议类型",
    decision: "裁定",
    answer: "答复理由",
    settlement: "裁定理由",
    file: "文件",
};

static EN: RecordTexts = RecordTexts {
    title: "Record a first purchase",
    lead: "Record your agency's contract for this product. On the signing date the product must have been published and in a valid catalogue batch; the record is public, without personal contact data.",
    buyer: "Buying agency",
    route: "Route",
    scenario: "Related scenario (optional)",
    no_scenario: "None",
    contract_number: "Contract number",
    signed_on: "Signing date",
    signed_on_hint: "Eligibility is judged on the product's state that day.",
    amount: "Amount (yuan)",
    amount_hint: "Write 86.5万 or 865000; give the amount, the quantity, or both.",
    quantity: "Quantity",
    notice_on: "Procurement notice date",
    notice_url: "Procurement notice link",
    outcome: "Outcome",
    submit: "Record",
    product: "Product",
    record: "Record",
    reason: "Reason",
    ground: "Ground",
    decision: "Decision",
    answer: "Why the record stands",
    settlement: "Reasons for the ruling",
    file: "File",
};

pub fn record_texts(locale: Locale) -> &'static RecordTexts {
    match locale {
        Locale::ZhCn => &ZH_CN,
        Locale::En => &EN,
    }
}

/// The labels of the form's fields, for its error summary.
pub fn record_labels(locale: Locale) -> FieldLabels {
    let t = record_texts(locale);
    FieldLabels(vec![
        ("organisation", t.buyer),
        ("route", t.route),
        ("scenario", t.scenario),
        ("contract_number", t.contract_number),
        ("signed_on", t.signed_on),
        ("amount", t.amount),
        ("quantity", t.quantity),
        ("notice_on", t.notice_on),
        ("notice_url", t.notice_url),
        ("outcome", t.outcome),
        ("record", t.record),
        ("reason", t.reason),
        ("ground", t.ground),
        ("decision", t.decision),
        ("answer", t.answer),
        ("settlement", t.settlement),
        ("file", t.file),
    ])
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordForm {
    pub product: i64,
    pub product_name: String,
    pub supplier: String,
    /// The agencies the person buys for (id, name).
    pub buyers: Vec<(i64, String)>,
    /// Their published scenarios (id, title).
    pub scenarios: Vec<(i64, String)>,
    /// The values the form starts with (a correction: the record's own), by field name.
    pub values: Vec<(String, String)>,
    /// Where the form posts.
    pub action: String,
    /// A correction past its window (or of a cancelled record): the page says so instead
    /// of showing the form.
    pub closed: bool,
}

impl RecordForm {
    fn value(&self, name: &str) -> Option<String> {
        self.values
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.clone())
    }
}

#[component]
pub fn RecordFirstPurchasePage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    provide_context(record_labels(use_locale()));
    let form = Resource::new_blocking(move || id.clone(), load);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(form) => {
                        let t = record_texts(use_locale());
                        view! { <PurchaseForm form title=t.title lead=t.lead submit=t.submit test_id="record-first-purchase" /> }.into_any()
                    }
                    Err(error) => view! { <AccessDenied error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The recording form, also the correction form (`title`, `lead`, `submit` differ).
#[component]
pub fn PurchaseForm(
    form: RecordForm,
    title: &'static str,
    lead: &'static str,
    submit: &'static str,
    test_id: &'static str,
) -> impl IntoView {
    let t = record_texts(use_locale());
    let outcome = crate::accounts::form::use_form_outcome();
    let chosen = |name: &str| outcome.value(name).or(form.value(name)).unwrap_or_default();
    let (chosen_buyer, chosen_scenario) = (chosen("organisation"), chosen("scenario"));
    let value = |name: &str| form.value(name).unwrap_or_default();
    let (route, contract_number, signed_on, amount, quantity, notice_on, notice_url, outcome_value) = (
        value("route"),
        value("contract_number"),
        value("signed_on"),
        value("amount"),
        value("quantity"),
        value("notice_on"),
        value("notice_url"),
        value("outcome"),
    );
    let action = form.action.clone();
    view! {
        <PageTitle text=title />
        <section class="account" data-testid=test_id>
            <h1>{title}</h1>
            <p>{t.product} ": " <a href=format!("/products/{}", form.product)>{form.product_name.clone()}</a> " · " {form.supplier.clone()}</p>
            <p>{lead}</p>
            <RedirectNotice />
            {form.closed.then(|| view! {
                <p class="form-error" role="alert" data-testid="correction-closed">
                    {crate::accounts::form::Problem::CorrectionClosed.message(crate::accounts::texts::use_account_texts())}
                </p>
            })}
            {(!form.closed).then(move || view! {
            <PostForm action label=title>
                <div class="field">
                    <label for="field-organisation">{t.buyer}</label>
                    <select id="field-organisation" name="organisation">
                        {form.buyers.iter().map(|(id, name)| {
                            let value = id.to_string();
                            view! { <option value=value.clone() selected=chosen_buyer == value>{name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <SelectField name="route" label=t.route options={vocabulary_options::<PurchaseRoute>()} value=route />
                <div class="field">
                    <label for="field-scenario">{t.scenario}</label>
                    <p class="field-error" id="field-scenario-error" data-error-for="scenario" hidden=true></p>
                    <select id="field-scenario" name="scenario" aria-describedby="field-scenario-error">
                        <option value="">{t.no_scenario}</option>
                        {form.scenarios.iter().map(|(id, title)| {
                            let value = id.to_string();
                            view! { <option value=value.clone() selected=chosen_scenario == value>{title.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <Field name="contract_number" label=t.contract_number maxlength=100 required=false value=contract_number />
                <Field name="signed_on" label=t.signed_on hint=t.signed_on_hint kind="date" value=signed_on />
                <Field name="amount" label=t.amount hint=t.amount_hint required=false value=amount />
                <Field name="quantity" label=t.quantity kind="number" required=false value=quantity />
                <Field name="notice_on" label=t.notice_on kind="date" required=false value=notice_on />
                <Field name="notice_url" label=t.notice_url kind="url" maxlength=500 required=false value=notice_url />
                <SelectField name="outcome" label=t.outcome options={vocabulary_options::<PurchaseOutcome>()} value=outcome_value />
                <button type="submit">{submit}</button>
            </PostForm>
            })}
        </section>
    }
}

async fn load(id: String) -> Result<RecordForm, AppError> {
    let product = crate::domain::parse_id(&id).map_err(|_| AppError::NotFound)?;
    #[cfg(feature = "ssr")]
    {
        use crate::auth::{check, Action, Target};
        let caller = crate::accounts::use_caller();
        let account = caller.signed_in().ok_or(AppError::Unauthorized)?;
        let state = crate::state::app_state()?;
        let row = sqlx::query!(
            r#"SELECT p.name, o.name AS supplier,
                      record_page_is_public(p.status, o.verified_at) AS "public!"
               FROM products p JOIN organisations o ON o.id = p.organisation_id
               WHERE p.id = $1"#,
            product
        )
        .fetch_optional(&state.pool)
        .await?
        .filter(|row| row.public)
        .ok_or(AppError::NotFound)?;
        let buyer_ids: Vec<i64> = account
            .memberships
            .iter()
            .map(|m| m.organisation)
            // The supplier's own agency is refused when it posts, with the reason.
            .filter(|org| {
                check(
                    &caller,
                    Action::RecordFirstPurchase,
                    &Target::organisation(*org),
                )
                .is_ok()
            })
            .map(|org| org.0)
            .collect();
        if buyer_ids.is_empty() {
            return Err(AppError::Forbidden);
        }
        let buyers = sqlx::query!(
            "SELECT id, name FROM organisations WHERE id = ANY($1) ORDER BY name",
            &buyer_ids
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
        let scenarios = sqlx::query!(
            "SELECT id, title FROM scenarios
             WHERE organisation_id = ANY($1) AND status IN ('published', 'expired', 'withdrawn')
             ORDER BY published_at DESC NULLS LAST, id DESC LIMIT 200",
            &buyer_ids
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|s| (s.id, s.title))
        .collect();
        Ok(RecordForm {
            product,
            product_name: row.name,
            supplier: row.supplier,
            buyers,
            scenarios,
            values: Vec::new(),
            action: format!("/products/{product}/first-purchases/new"),
            closed: false,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = product;
        Err(AppError::Internal)
    }
}

/// On a product's page: the way to record a purchase of it, for those who may (a buyer of
/// a verified agency other than its supplier).
#[component]
pub fn RecordPurchaseLink(
    product: crate::domain::ProductId,
    supplier: crate::domain::OrganisationId,
    /// Offered for a product listed now, or once listed (expired, withdrawn); never one
    /// still in notice, which no signing date could make eligible.
    status: crate::domain::RecordStatus,
) -> impl IntoView {
    let t = record_texts(use_locale());
    let caller = crate::accounts::use_caller();
    let listed_once = matches!(
        status,
        crate::domain::RecordStatus::Published
            | crate::domain::RecordStatus::Expired
            | crate::domain::RecordStatus::Withdrawn
    );
    let may = listed_once
        && caller.signed_in().is_some_and(|account| {
            account.memberships.iter().any(|m| {
                m.organisation != supplier
                    && crate::auth::check(
                        &caller,
                        crate::auth::Action::RecordFirstPurchase,
                        &crate::auth::Target::organisation(m.organisation),
                    )
                    .is_ok()
            })
        });
    may.then(|| {
        view! {
            <p data-testid="record-first-purchase-link">
                <a class="button" href=format!("/products/{product}/first-purchases/new")>{t.title}</a>
            </p>
        }
    })
}
