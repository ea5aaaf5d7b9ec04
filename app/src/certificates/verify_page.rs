//! `/verify/{code}` and `/verify?code=…` (the form on `/verify`): public. Whether the
//! listing a certificate names is valid today, expired or withdrawn; the listing's facts
//! only while they are public anyway. A code is read as people type it from paper: spaces
//! and hyphens dropped, lower case raised, 0/1/8 read as O/I/B (letters the code never
//! uses as digits). An unknown code is a 404 that says so, with the form to try again.

use super::certificate_page::{texts, CertificateFacts};
use super::Certificate;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::i18n::{use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

struct Words {
    title: &'static str,
    lead: &'static str,
    code: &'static str,
    check: &'static str,
    unknown: &'static str,
}

fn words(locale: Locale) -> &'static Words {
    match locale {
        Locale::ZhCn => &Words {
            title: "入库证明验证",
            lead: "输入入库证明上的 16 位验证码（可含空格或连字符），查询该产品今日是否仍在有效的创新产品目录批次中。",
            code: "验证码",
            check: "查询",
            unknown: "未找到该验证码，请核对后重新输入。验证码由 16 位字母和数字 2–7 组成。",
        },
        Locale::En => &Words {
            title: "Verify a proof of listing",
            lead: "Enter the 16-character code printed on the proof of listing (spaces or hyphens are fine) to see whether the product is in a valid catalogue batch today.",
            code: "Verification code",
            check: "Check",
            unknown: "No certificate has this code. Check it and try again: codes are 16 letters and digits 2–7.",
        },
    }
}

/// `code` as printed and typed, in the form codes are stored (see the module's notes).
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            '0' => 'O',
            '1' => 'I',
            '8' => 'B',
            c => c,
        })
        .collect()
}

/// `code` in groups of four for reading aloud and typing (`ABCD-EFGH-IJKL-MNOP`).
pub fn grouped(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let path_code = use_params_map().read_untracked().get("code");
    let query_code = use_query_map().read_untracked().get("code");
    let code = path_code.or(query_code).unwrap_or_default();
    let certificate = Resource::new_blocking(move || code.clone(), load);
    let locale = use_locale();
    let w = words(locale);
    view! {
        <PageTitle text=w.title />
        <Meta name="robots" content="noindex" />
        <Suspense>
            {move || Suspend::new(async move {
                match certificate.await {
                    Ok(Some(certificate)) => view! { <VerifyView certificate /> }.into_any(),
                    Ok(None) => view! { <VerifyForm unknown=false /> }.into_any(),
                    Err(AppError::NotFound) => {
                        crate::error::set_page_status(404);
                        view! { <VerifyForm unknown=true /> }.into_any()
                    }
                    Err(error) => view! { <crate::errors::ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `Ok(None)`: no code given (the empty form).
async fn load(code: String) -> Result<Option<Certificate>, AppError> {
    let code = normalise_code(&code);
    if code.is_empty() {
        return Ok(None);
    }
    #[cfg(feature = "ssr")]
    {
        crate::error::with_status(async {
            let state = crate::state::app_state()?;
            super::issue::verify(&state, &code)
                .await?
                .map(Some)
                .ok_or(AppError::NotFound)
        })
        .await
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::Internal)
    }
}

/// The form (a plain GET form: `/verify?code=…`), with "unknown code" when one failed.
#[component]
fn VerifyForm(unknown: bool) -> impl IntoView {
    let w = words(use_locale());
    view! {
        <section class="account" data-testid="verify-form">
            <h1>{w.title}</h1>
            <p>{w.lead}</p>
            {unknown.then(|| view! {
                <p class="error-notice" role="alert" data-testid="error-notice">{w.unknown}</p>
            })}
            <form method="get" action="/verify">
                <div class="field">
                    <label for="field-code">{w.code}</label>
                    <input id="field-code" name="code" required=true maxlength=40 autocomplete="off" />
                </div>
                <button type="submit">{w.check}</button>
            </form>
        </section>
    }
}

#[component]
fn VerifyView(certificate: Certificate) -> impl IntoView {
    let locale = use_locale();
    let t = texts(locale);
    let state = certificate.state;
    view! {
        <article class="record" data-testid="verification" data-state=state.code()>
            <h1>{words(locale).title}</h1>
            <p class="status-banner" role="status" data-testid="listing-state">
                <strong>{t.state} {if locale == Locale::ZhCn { "：" } else { ": " }}</strong> {state.label(locale)}
            </p>
            <CertificateFacts certificate />
            <p><a href="/verify">{words(locale).check} " " {words(locale).code}</a></p>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_as_people_type_it() {
        assert_eq!(normalise_code(" abcd-efgh 2345-67OI "), "ABCDEFGH234567OI");
        assert_eq!(normalise_code("ABCD-EFGH-0018-XYZQ"), "ABCDEFGHOOIBXYZQ");
        assert_eq!(grouped("ABCDEFGH234567OI"), "ABCD-EFGH-2345-67OI");
        assert_eq!(normalise_code(""), "");
    }
}
