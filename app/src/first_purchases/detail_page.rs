//! `/first-purchases/{id}`: one record, public like its product's page (never a person's
//! contact data): the contract's facts, the listing version bought, the contract's files,
//! corrections, disputes and how they ended; and the forms of those who may act on it
//! (the buyer's agency corrects, cancels, attaches, answers; the supplier disputes; a
//! platform admin settles). Every form works without JavaScript.

use super::detail::{DisputeGround, FirstPurchaseDetail};
use crate::accounts::form::{Field, PostForm, RedirectNotice, SelectField, TextAreaField};
use crate::components::PageTitle;
use crate::error::AppError;
use crate::errors::ErrorPage;
use crate::i18n::{use_locale, Locale};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The page's words, in both languages.
pub struct DetailTexts {
    pub title: &'static str,
    pub product: &'static str,
    pub listing_version: &'static str,
    pub supplier: &'static str,
    pub buyer: &'static str,
    pub scenario: &'static str,
    pub recorded_on: &'static str,
    pub recorded_by: &'static str,
    pub cancelled: &'static str,
    pub files: &'static str,
    pub upload: &'static str,
    pub corrections: &'static str,
    pub no_corrections: &'static str,
    pub correction: &'static str,
    pub cancellation: &'static str,
    pub fields_changed: &'static str,
    pub disputes: &'static str,
    pub no_disputes: &'static str,
    pub raised_on: &'static str,
    pub state: &'static str,
    pub answer: &'static str,
    pub settlement: &'static str,
    pub correct: &'static str,
    pub correct_until: &'static str,
    pub cancel: &'static str,
    pub cancel_lead: &'static str,
    pub dispute: &'static str,
    pub dispute_lead: &'static str,
    pub stand_by: &'static str,
    pub stand_by_lead: &'static str,
    pub settle: &'static str,
    pub upheld: &'static str,
    pub dismissed: &'static str,
    pub all_records: &'static str,
    pub files_hint: &'static str,
    pub public_text: &'static str,
    pub change: &'static str,
    pub stand_by_lead_closed: &'static str,
    pub colon: &'static str,
}

static ZH_CN: DetailTexts = DetailTexts {
    title: "首购记录",
    product: "产品",
    listing_version: "采购时的产品信息（第几版）",
    supplier: "供应商",
    buyer: "采购单位",
    scenario: "相关应用场景",
    recorded_on: "登记日期",
    recorded_by: "登记人",
    cancelled: "该记录已取消",
    files: "合同摘要或中标（成交）公告",
    upload: "上传文件",
    corrections: "更正与取消历史",
    no_corrections: "该记录未被更正。",
    correction: "更正",
    cancellation: "取消",
    fields_changed: "改动的字段",
    disputes: "异议",
    no_disputes: "该记录没有异议。",
    raised_on: "提出日期",
    state: "状态",
    answer: "采购单位答复",
    settlement: "平台裁定",
    correct: "更正记录",
    correct_until: "可更正至",
    cancel: "标记为取消",
    cancel_lead: "合同未履行或登记有误时，可将记录标记为取消。记录不会被删除，取消理由公开。",
    dispute: "提出异议",
    dispute_lead:
        "记录与事实不符时，供应商可提出异议；采购单位更正或答复，仍有分歧的由平台管理员裁定。",
    stand_by: "坚持原记录",
    stand_by_lead: "如记录无误，请说明理由；异议将交由平台管理员裁定。如需更正，请使用“更正记录”。",
    settle: "裁定异议",
    upheld: "异议成立（取消记录）",
    dismissed: "异议不成立（维持记录）",
    all_records: "全部首购记录",
    files_hint: "PDF、OFD、DOCX、XLSX、PNG 或 JPEG，单个不超过 10 MB，最多 10 个。文件随记录公开，请勿上传含个人信息的材料。",
    public_text: "该内容将在记录页公开显示，请勿填写个人姓名、电话、邮箱等信息。",
    change: "更正或取消",
    stand_by_lead_closed: "如记录无误，请说明理由；异议将交由平台管理员裁定。更正期已过，如记录确有错误，请标记为取消。",
    colon: "：",
};

static EN: DetailTexts = DetailTexts {
    title: "First-purchase record",
    product: "Product",
    listing_version: "Listing version bought",
    supplier: "Supplier",
    buyer: "Buying agency",
    scenario: "Related scenario",
    recorded_on: "Recorded on",
    recorded_by: "Recorded by",
    cancelled: "This record is cancelled",
    files: "Contract excerpt or award notice",
    upload: "Upload a file",
    corrections: "Corrections and cancellation",
    no_corrections: "This record was never corrected.",
    correction: "Correction",
    cancellation: "Cancellation",
    fields_changed: "Fields changed",
    disputes: "Disputes",
    no_disputes: "Nobody disputed this record.",
    raised_on: "Raised on",
    state: "State",
    answer: "The agency's answer",
    settlement: "The platform's settlement",
    correct: "Correct the record",
    correct_until: "Correctable until",
    cancel: "Mark cancelled",
    cancel_lead: "When the contract was not carried out or the record was wrong, mark it cancelled. Nothing is deleted; the reason is public.",
    dispute: "Dispute this record",
    dispute_lead: "When the record is wrong, the supplier disputes it; the buying agency corrects it or answers, and a platform admin settles what remains.",
    stand_by: "Stand by the record",
    stand_by_lead: "If the record is right, say why; a platform admin will settle the dispute. To correct it, use “Correct the record”.",
    settle: "Settle the dispute",
    upheld: "Upheld (cancel the record)",
    dismissed: "Dismissed (the record stands)",
    all_records: "All first-purchase records",
    files_hint: "PDF, OFD, DOCX, XLSX, PNG or JPEG, up to 10 MB each, at most 10. Files are public with the record: leave out personal data.",
    public_text: "This text is shown publicly on the record's page: no personal names, phone numbers or email addresses.",
    change: "Correct or cancel",
    stand_by_lead_closed: "If the record is right, say why; a platform admin will settle the dispute. The correction window has closed: if the record is wrong, mark it cancelled.",
    colon: ": ",
};

pub fn detail_texts(locale: Locale) -> &'static DetailTexts {
    match locale {
        Locale::ZhCn => &ZH_CN,
        Locale::En => &EN,
    }
}

#[component]
pub fn FirstPurchaseDetailPage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    provide_context(super::record_labels(use_locale()));
    let record = Resource::new_blocking(move || id.clone(), load);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(record) => view! { <RecordView record /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

async fn load(id: String) -> Result<FirstPurchaseDetail, AppError> {
    let id = crate::domain::parse_id(&id).map_err(|_| AppError::NotFound)?;
    #[cfg(feature = "ssr")]
    {
        crate::error::with_status(async {
            let caller = crate::accounts::use_caller();
            let state = crate::state::app_state()?;
            super::detail::load(&state, &caller, id).await
        })
        .await
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = id;
        Err(AppError::Internal)
    }
}

#[component]
fn RecordView(record: FirstPurchaseDetail) -> impl IntoView {
    let locale = use_locale();
    let t = detail_texts(locale);
    let r = super::record_texts(locale);
    let id = record.id;
    let title = format!("{} · {}", t.title, record.product_name);
    let row = |label: &'static str, value: Option<String>| {
        value.map(|value| {
            view! {
                <div class="fact">
                    <dt>{label}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
    };
    let buyer = if record.buyer_public {
        view! { <a href=format!("/organisations/{}", record.buyer.id)>{record.buyer.name.clone()}</a> }.into_any()
    } else {
        record.buyer.name.clone().into_any()
    };
    let powers = record.powers;
    let open_dispute = record.open_dispute().cloned();
    view! {
        <PageTitle text=title />
        <article class="record" data-testid="first-purchase-record" data-outcome=record.outcome.code()>
            <p><a href="/first-purchases">{t.all_records}</a></p>
            <h1>{t.title} {t.colon} {record.product_name.clone()}</h1>
            <RedirectNotice />
            {record.cancelled_on.map(|day| view! {
                <div class="status-banner" role="status" data-testid="cancelled">
                    <p><strong>{t.cancelled}</strong> " (" {day.to_string()} ")"</p>
                    {record.cancel_reason.clone().map(|reason| view! { <p>{reason}</p> })}
                </div>
            })}
            <dl class="facts">
                <div class="fact">
                    <dt>{t.product}</dt>
                    <dd><a href=format!("/products/{}", record.product)>{record.product_name.clone()}</a></dd>
                </div>
                {row(t.listing_version, Some(match locale {
                    Locale::ZhCn => format!("第 {} 版", record.product_revision),
                    Locale::En => format!("version {}", record.product_revision),
                }))}
                <div class="fact">
                    <dt>{t.supplier}</dt>
                    <dd><a href=format!("/organisations/{}", record.supplier.id)>{record.supplier.name.clone()}</a></dd>
                </div>
                <div class="fact"><dt>{t.buyer}</dt><dd data-testid="buyer">{buyer}</dd></div>
                {row(r.route, Some(record.route.label(locale).to_owned()))}
                {record.scenario.clone().map(|(scenario, name)| view! {
                    <div class="fact">
                        <dt>{t.scenario}</dt>
                        <dd><a href=format!("/scenarios/{scenario}")>{name}</a></dd>
                    </div>
                })}
                {row(r.contract_number, record.contract_number.clone())}
                {row(r.signed_on, Some(record.signed_on.to_string()))}
                {row(r.amount, record.amount.map(|a| a.display(locale)))}
                {row(r.quantity, record.quantity.map(|q| q.to_string()))}
                {row(r.notice_on, record.notice_on.map(|d| d.to_string()))}
                {record.notice_url.clone().map(|url| view! {
                    <div class="fact">
                        <dt>{r.notice_url}</dt>
                        <dd><a href=url.clone() rel="external noopener">{url.clone()}</a></dd>
                    </div>
                })}
                {row(r.outcome, Some(record.outcome.label(locale).to_owned()))}
                {row(t.recorded_on, Some(record.recorded_on.to_string()))}
                {row(t.recorded_by, record.recorded_by.clone())}
            </dl>
            <section aria-labelledby="files-heading" data-testid="record-files">
                <h2 id="files-heading">{t.files}</h2>
                <crate::submissions::pages::AttachmentList files=record.attachments.clone() />
                {powers.attach.then(|| view! {
                    <PostForm action=format!("/first-purchases/{id}/attachments") label=t.upload multipart=true>
                        <Field name="file" label=t.upload kind="file" hint=t.files_hint accept=".pdf,.ofd,.docx,.xlsx,.png,.jpg,.jpeg" />
                        <button type="submit">{t.upload}</button>
                    </PostForm>
                })}
            </section>
            <Corrections record=record.clone() />
            <Disputes record=record.clone() />
            {(powers.correct || powers.cancel).then(|| view! {
                <section aria-labelledby="change-heading" data-testid="buyer-actions">
                    <h2 id="change-heading">{t.change}</h2>
                    {powers.correct.then(|| view! {
                        <p>
                            <a class="button" href=format!("/first-purchases/{id}/correct")>{t.correct}</a>
                            " " {t.correct_until} " " {record.correctable_until.clone()}
                        </p>
                    })}
                    {powers.cancel.then(|| view! {
                        <p>{t.cancel_lead}</p>
                        <PostForm action=format!("/first-purchases/{id}/cancel") label=t.cancel>
                            <TextAreaField name="reason" label=r.reason hint=t.public_text maxlength=1000 required=true />
                            <button type="submit" class="danger">{t.cancel}</button>
                        </PostForm>
                    })}
                </section>
            })}
            {powers.dispute.then(|| view! {
                <section aria-labelledby="dispute-heading" data-testid="dispute-form">
                    <h2 id="dispute-heading">{t.dispute}</h2>
                    <p>{t.dispute_lead}</p>
                    <PostForm action=format!("/first-purchases/{id}/dispute") label=t.dispute>
                        <SelectField name="ground" label=r.ground options=DisputeGround::ALL.iter().map(|g| (g.code(), g.label(locale))).collect() />
                        <TextAreaField name="reason" label=r.reason hint=t.public_text maxlength=1000 required=true />
                        <button type="submit">{t.dispute}</button>
                    </PostForm>
                </section>
            })}
            {(powers.answer && open_dispute.is_some()).then(|| view! {
                <section aria-labelledby="stand-by-heading" data-testid="stand-by-form">
                    <h2 id="stand-by-heading">{t.stand_by}</h2>
                    <p>{if powers.correct { t.stand_by_lead } else { t.stand_by_lead_closed }}</p>
                    <PostForm action=format!("/first-purchases/{id}/stand-by") label=t.stand_by>
                        <TextAreaField name="answer" label=r.answer hint=t.public_text maxlength=1000 required=true />
                        <button type="submit">{t.stand_by}</button>
                    </PostForm>
                </section>
            })}
            {powers.settle.then(|| view! {
                <section aria-labelledby="settle-heading" data-testid="settle-form">
                    <h2 id="settle-heading">{t.settle}</h2>
                    <PostForm action=format!("/first-purchases/{id}/settle") label=t.settle>
                        <SelectField name="decision" label=r.decision options=vec![("upheld", t.upheld), ("dismissed", t.dismissed)] />
                        <TextAreaField name="settlement" label=r.settlement hint=t.public_text maxlength=1000 required=true />
                        <button type="submit">{t.settle}</button>
                    </PostForm>
                </section>
            })}
        </article>
    }
}

#[component]
fn Corrections(record: FirstPurchaseDetail) -> impl IntoView {
    let locale = use_locale();
    let t = detail_texts(locale);
    let labels = super::record_labels(locale);
    let name_of = move |field: &str| {
        labels
            .0
            .iter()
            .find(|(name, _)| *name == field)
            .map_or_else(|| field.to_owned(), |(_, label)| (*label).to_owned())
    };
    view! {
        <section aria-labelledby="corrections-heading" data-testid="corrections">
            <h2 id="corrections-heading">{t.corrections}</h2>
            {record.corrections.is_empty().then(|| view! { <p>{t.no_corrections}</p> })}
            <ul class="queue">
                {record.corrections.into_iter().map(|c| {
                    let what = if c.action == "cancel" { t.cancellation } else { t.correction };
                    let fields = c.fields.iter().map(|f| name_of(f)).collect::<Vec<_>>().join("、");
                    view! {
                        <li>
                            <p><strong>{what}</strong> " · " {c.at}</p>
                            {(!fields.is_empty()).then(|| view! { <p>{t.fields_changed} {t.colon} {fields}</p> })}
                            {c.reason.map(|reason| view! { <p>{reason}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Disputes(record: FirstPurchaseDetail) -> impl IntoView {
    let locale = use_locale();
    let t = detail_texts(locale);
    let r = super::record_texts(locale);
    view! {
        <section aria-labelledby="disputes-heading" data-testid="disputes">
            <h2 id="disputes-heading">{t.disputes}</h2>
            {record.disputes.is_empty().then(|| view! { <p>{t.no_disputes}</p> })}
            <ul class="queue">
                {record.disputes.into_iter().map(|d| view! {
                    <li data-state=d.state.code()>
                        <p><strong>{d.ground.label(locale)}</strong> " · " {t.raised_on} " " {d.raised_on.to_string()}</p>
                        <p>{r.reason} {t.colon} {d.reason}</p>
                        <p>{t.state} {t.colon} {d.state.label(locale)}</p>
                        {d.answer.map(|answer| view! {
                            <p>{t.answer} {d.answered_on.map(|day| format!(" ({day})"))} {t.colon} {answer}</p>
                        })}
                        {d.settlement.map(|settlement| view! {
                            <p>{t.settlement} {d.settled_on.map(|day| format!(" ({day})"))} {t.colon} {settlement}</p>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
