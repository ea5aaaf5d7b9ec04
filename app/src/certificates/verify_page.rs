//! `/verify/{code}`: public. Whether the listing a certificate names is valid today,
//! expired or withdrawn; the listing's facts only while they are public anyway. An unknown
//! code is a real 404.

use super::certificate_page::{texts, CertificateFacts};
use super::Certificate;
use crate::error::AppError;
use crate::errors::ErrorPage;
use crate::i18n::{use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

fn title(locale: Locale) -> &'static str {
    match locale {
        Locale::ZhCn => "入库证明验证",
        Locale::En => "Verify a proof of listing",
    }
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let code = use_params_map()
        .read_untracked()
        .get("code")
        .unwrap_or_default();
    let certificate = Resource::new_blocking(move || code.clone(), load);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match certificate.await {
                    Ok(certificate) => view! { <VerifyView certificate /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

async fn load(code: String) -> Result<Certificate, AppError> {
    #[cfg(feature = "ssr")]
    {
        crate::error::with_status(async {
            let state = crate::state::app_state()?;
            super::issue::verify(&state, &code.to_ascii_uppercase())
                .await?
                .ok_or(AppError::NotFound)
        })
        .await
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = code;
        Err(AppError::Internal)
    }
}

#[component]
fn VerifyView(certificate: Certificate) -> impl IntoView {
    let locale = use_locale();
    let t = texts(locale);
    let state = certificate.state;
    view! {
        <Title text=title(locale) />
        <Meta name="robots" content="noindex" />
        <article class="record" data-testid="verification" data-state=state.code()>
            <h1>{title(locale)}</h1>
            <p class="status-banner" role="status" data-testid="listing-state">
                <strong>{t.state} ": "</strong> {state.label(locale)}
            </p>
            <CertificateFacts certificate />
        </article>
    }
}
