//! `/products/{id}/certificate`: the supplier's printable proof of listing (入库证明), A4
//! when printed (`.certificate` in the stylesheet's print rules): product, supplier and
//! credit code, batch and validity, date of issue, the verification code and its QR code.

use super::{Certificate, ListingState};
use crate::accounts::AccessDenied;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::i18n::{use_locale, Locale};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

pub(crate) struct Texts {
    pub title: &'static str,
    pub statement: &'static str,
    pub product: &'static str,
    pub supplier: &'static str,
    pub credit_code: &'static str,
    pub batch: &'static str,
    pub validity: &'static str,
    pub product_validity: &'static str,
    pub issued_on: &'static str,
    pub code: &'static str,
    pub verify_at: &'static str,
    pub print: &'static str,
    pub state: &'static str,
    pub open: &'static str,
    pub not_listed: &'static str,
    pub issuer: &'static str,
    pub issuer_name: &'static str,
}

pub(crate) fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::ZhCn => &Texts {
            title: "创新产品入库证明",
            statement: "兹证明下列产品经遴选、公示，列入常州市创新产品目录，在下列批次有效期内可按首购、订购等方式采购。证明效力以扫描二维码或访问验证地址查询的结果为准。",
            product: "产品名称",
            supplier: "供应商",
            credit_code: "统一社会信用代码",
            batch: "目录批次",
            validity: "批次有效期",
            product_validity: "产品有效期至",
            issued_on: "出具日期",
            code: "验证码",
            verify_at: "验证地址",
            print: "用浏览器的打印功能（Ctrl+P）打印为 A4。",
            state: "今日状态",
            open: "入库证明",
            not_listed: "该产品今日不在有效的创新产品目录批次中，暂不能出具入库证明。",
            issuer: "出具",
            issuer_name: "常州市创新产品与应用场景库（据目录批次的遴选、公示结果）",
        },
        Locale::En => &Texts {
            title: "Proof of listing (innovative product catalogue)",
            statement: "This certifies that the product below was selected, publicly noticed and listed in the Changzhou catalogue of innovative products, and may be bought as a first purchase or by commissioning while the batch below is valid. What the verification address says prevails.",
            product: "Product",
            supplier: "Supplier",
            credit_code: "Unified social credit code",
            batch: "Catalogue batch",
            validity: "Batch valid",
            product_validity: "Product valid until",
            issued_on: "Issued on",
            code: "Verification code",
            verify_at: "Verify at",
            print: "Print it with the browser (Ctrl+P); it fits one A4 page.",
            state: "Today",
            open: "Proof of listing",
            not_listed: "The product is not in a valid catalogue batch today, so there is no listing to prove.",
            issuer: "Issued by",
            issuer_name: "Changzhou innovation product and scenario catalogue (from the batch's selection and public notice)",
        },
    }
}

#[component]
pub fn CertificatePage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    let certificate = Resource::new_blocking(move || id.clone(), load);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match certificate.await {
                    Ok(certificate) => view! { <CertificateView certificate /> }.into_any(),
                    // Nothing to certify today: said plainly, with the page's own status.
                    Err(AppError::Conflict) => {
                        crate::error::set_page_status(409);
                        let t = texts(use_locale());
                        view! {
                            <PageTitle text=t.title />
                            <section class="error-page">
                                <h1>{t.title}</h1>
                                <p class="error-notice" role="alert" data-testid="error-notice">{t.not_listed}</p>
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <AccessDenied error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

async fn load(id: String) -> Result<Certificate, AppError> {
    let id = id
        .parse::<crate::domain::ProductId>()
        .map_err(|_| AppError::NotFound)?;
    #[cfg(feature = "ssr")]
    {
        let caller = crate::accounts::use_caller();
        let state = crate::state::app_state()?;
        super::issue::for_supplier(&state, &caller, id).await
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = id;
        Err(AppError::Internal)
    }
}

/// The facts of a certificate as a definition list (the certificate and the verification
/// page show them alike).
#[component]
pub(crate) fn CertificateFacts(certificate: Certificate) -> impl IntoView {
    let t = texts(use_locale());
    let facts = certificate.listing.clone();
    view! {
        <dl class="facts">
            {facts.map(|f| {
                let period = match (f.valid_from, f.valid_until) {
                    (Some(from), Some(until)) => format!("{from} – {until}"),
                    _ => String::new(),
                };
                view! {
                    <div class="fact"><dt>{t.product}</dt><dd><a href=format!("/products/{}", f.product)>{f.product_name}</a></dd></div>
                    <div class="fact"><dt>{t.supplier}</dt><dd>{f.supplier_name}</dd></div>
                    <div class="fact"><dt>{t.credit_code}</dt><dd>{f.credit_code}</dd></div>
                    <div class="fact"><dt>{t.batch}</dt><dd>{f.batch_code} " " {f.batch_title}</dd></div>
                    <div class="fact"><dt>{t.validity}</dt><dd>{period}</dd></div>
                    {f.product_valid_until.map(|until| view! {
                        <div class="fact"><dt>{t.product_validity}</dt><dd>{until.to_string()}</dd></div>
                    })}
                }
            })}
            <div class="fact"><dt>{t.issued_on}</dt><dd>{certificate.issued_on.to_string()}</dd></div>
            <div class="fact"><dt>{t.issuer}</dt><dd>{t.issuer_name}</dd></div>
            <div class="fact"><dt>{t.code}</dt><dd data-testid="verification-code"><code>{super::verify_page::grouped(&certificate.code)}</code></dd></div>
        </dl>
    }
}

#[component]
fn CertificateView(certificate: Certificate) -> impl IntoView {
    let t = texts(use_locale());
    let verify_url = certificate.verify_url.clone();
    let qr = certificate.qr_svg.clone().unwrap_or_default();
    let valid = certificate.state == ListingState::Valid;
    let state = certificate.state.code();
    view! {
        <PageTitle text=t.title />
        <article class="certificate" data-testid="certificate" data-state=state>
            <h1>{t.title}</h1>
            <p>{t.statement}</p>
            <CertificateFacts certificate />
            <div class="certificate-verify">
                <div class="qr" role="img" aria-label=format!("{} {}", t.verify_at, verify_url) inner_html=qr></div>
                <p>{t.verify_at} ": " <a href=verify_url.clone() data-testid="verify-link">{verify_url.clone()}</a></p>
            </div>
            {valid.then(|| view! { <p class="no-print">{t.print}</p> })}
        </article>
    }
}

/// On a product's page: the supplier's way to its proof of listing, while the product is
/// published (the certificate page says when no batch is valid today).
#[component]
pub fn CertificateLink(
    product: crate::domain::ProductId,
    supplier: crate::domain::OrganisationId,
    status: crate::domain::RecordStatus,
) -> impl IntoView {
    let t = texts(use_locale());
    let caller = crate::accounts::use_caller();
    let may = status == crate::domain::RecordStatus::Published
        && crate::auth::check(
            &caller,
            crate::auth::Action::ProveListing,
            &crate::auth::Target::organisation(supplier),
        )
        .is_ok();
    may.then(|| {
        view! {
            <p data-testid="certificate-link">
                <a class="button secondary" href=format!("/products/{product}/certificate")>{t.open}</a>
            </p>
        }
    })
}
