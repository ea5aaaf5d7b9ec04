//! `/first-purchases/{id}/correct`: the buyer's agency corrects its record within 30 days
//! of recording, with the recording form filled with the record's values. The listing
//! version bought and the buying agency stay; every change is checked as when recording.

use super::record_page::{record_texts, PurchaseForm, RecordForm};
use crate::accounts::AccessDenied;
use crate::error::AppError;
use crate::i18n::{use_locale, Locale};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn texts(locale: Locale) -> (&'static str, &'static str, &'static str) {
    match locale {
        Locale::ZhCn => (
            "更正首购记录",
            "登记后 30 天内可更正；每次更正记入审计日志（记录改动的字段），并通知供应商。如有进行中的异议，更正即为答复。",
            "保存更正",
        ),
        Locale::En => (
            "Correct a first-purchase record",
            "A record can be corrected within 30 days of recording; each correction is audited with the fields it changed, and the supplier is told. A correction answers a dispute under way.",
            "Save the correction",
        ),
    }
}

#[component]
pub fn CorrectFirstPurchasePage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    provide_context(super::record_labels(use_locale()));
    let form = Resource::new_blocking(move || id.clone(), load);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(form) => {
                        let (title, lead, submit) = texts(use_locale());
                        view! { <PurchaseForm form title lead submit test_id="correct-first-purchase" /> }.into_any()
                    }
                    Err(error) => view! { <AccessDenied error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

async fn load(id: String) -> Result<RecordForm, AppError> {
    let id = crate::domain::parse_id(&id).map_err(|_| AppError::NotFound)?;
    #[cfg(feature = "ssr")]
    {
        let _ = record_texts;
        let caller = crate::accounts::use_caller();
        caller.signed_in().ok_or(AppError::Unauthorized)?;
        let state = crate::state::app_state()?;
        let record = super::detail::load(&state, &caller, id).await?;
        // The agency past the window is told why; anyone else may not correct at all.
        if !record.powers.correct && !record.powers.attach {
            return Err(AppError::Forbidden);
        }
        let scenarios = sqlx::query!(
            "SELECT id, title FROM scenarios
             WHERE organisation_id = $1
               AND (status IN ('published', 'expired', 'withdrawn')
                    OR id = (SELECT scenario_id FROM first_purchases WHERE id = $2))
             ORDER BY published_at DESC NULLS LAST, id DESC LIMIT 200",
            record.buyer.id.0,
            id
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|s| (s.id, s.title))
        .collect();
        // The record's own scenario, even one whose page is no longer public: a correction
        // keeps it unless the agency changes it.
        let scenario =
            sqlx::query_scalar!("SELECT scenario_id FROM first_purchases WHERE id = $1", id)
                .fetch_one(&state.pool)
                .await?;
        let text = |value: Option<String>| value.unwrap_or_default();
        let values = vec![
            ("organisation", record.buyer.id.to_string()),
            ("route", record.route.code().to_owned()),
            ("scenario", text(scenario.map(|id| id.to_string()))),
            ("contract_number", text(record.contract_number.clone())),
            ("signed_on", record.signed_on.to_string()),
            ("amount", text(record.amount.map(|money| money.yuan_text()))),
            ("quantity", text(record.quantity.map(|q| q.to_string()))),
            ("notice_on", text(record.notice_on.map(|d| d.to_string()))),
            ("notice_url", text(record.notice_url.clone())),
            ("outcome", record.outcome.code().to_owned()),
        ];
        Ok(RecordForm {
            product: record.product.0,
            product_name: record.product_name,
            supplier: record.supplier.name,
            buyers: vec![(record.buyer.id.0, record.buyer.name)],
            scenarios,
            values: values
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
            action: format!("/first-purchases/{id}/correct"),
            closed: !record.powers.correct,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (id, record_texts);
        Err(AppError::Internal)
    }
}
