//! `/admin/organisations`: the organisations waiting for verification, the claims of
//! organisations without an admin, and unverifying.

use crate::accounts::form::{Field, FieldLabels, PostForm, RedirectNotice};
use crate::accounts::texts::{use_account_texts, AccountTexts};
use crate::accounts::AccessDenied;
use crate::components::PageTitle;
use crate::domain::OrganisationKind;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub fn admin_organisation_labels(t: &AccountTexts) -> FieldLabels {
    FieldLabels(vec![("reason", t.reason), ("credit_code", t.credit_code)])
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    pub id: i64,
    pub name: String,
    pub kind: OrganisationKind,
    pub credit_code: String,
    pub checksum_ok: bool,
    pub override_reason: Option<String>,
    pub registered: String,
    pub registrant: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub id: i64,
    pub organisation: String,
    pub credit_code: String,
    pub claimant: String,
    pub message: String,
    pub at: String,
    /// An evidence file came with it.
    pub evidence: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub waiting: Vec<Waiting>,
    pub claims: Vec<Claim>,
}

#[component]
pub fn AdminOrganisationsPage() -> impl IntoView {
    let t = use_account_texts();
    provide_context(admin_organisation_labels(t));
    let queue = Resource::new_blocking(|| (), |_| load());
    view! {
        <PageTitle text=t.admin_organisations />
        <Suspense>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(queue) => view! { <QueueView queue /> }.into_any(),
                    Err(error) => view! { <AccessDenied error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QueueView(queue: Queue) -> impl IntoView {
    let t = use_account_texts();
    let locale = crate::i18n::use_locale();
    view! {
        <section class="account">
            <h1>{t.admin_organisations}</h1>
            <p>{t.admin_organisations_lead}</p>
            <RedirectNotice />
            <h2>{t.unverified_queue}</h2>
            {if queue.waiting.is_empty() {
                view! { <p>{t.no_unverified}</p> }.into_any()
            } else {
                view! {
                    <ul class="queue" data-testid="verification-queue">
                        {queue.waiting.into_iter().map(|org| view! {
                            <li>
                                <h3>{org.name.clone()}</h3>
                                <p>
                                    {org.kind.label(locale)} " · " <code>{org.credit_code.clone()}</code> " · "
                                    {if org.checksum_ok { t.code_ok } else { t.code_fails_check }}
                                    " · " {org.registered.clone()}
                                    {org.registrant.clone().map(|who| format!(" · {who}"))}
                                </p>
                                {org.override_reason.clone().map(|reason| view! {
                                    <p>{t.creator_reason} ": " {reason}</p>
                                })}
                                <PostForm action=format!("/admin/organisations/{}/verify", org.id) label=format!("{} {}", t.verify, org.name)>
                                    {(!org.checksum_ok).then(|| view! {
                                        <Field name="reason" label=t.reason maxlength=500 />
                                    })}
                                    <button type="submit">{t.verify}</button>
                                </PostForm>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h2>{t.claims}</h2>
            {if queue.claims.is_empty() {
                view! { <p>{t.no_claims}</p> }.into_any()
            } else {
                view! {
                    <ul class="queue" data-testid="claims">
                        {queue.claims.into_iter().map(|claim| view! {
                            <li>
                                <h3>{claim.organisation.clone()}</h3>
                                <p><code>{claim.credit_code}</code> " · " {claim.claimant} " · " {claim.at}</p>
                                <p>{claim.message}</p>
                                {claim.evidence.then(|| view! {
                                    <p><a href=format!("/admin/claims/{}/evidence", claim.id)>{t.view_evidence}</a></p>
                                })}
                                <PostForm action=format!("/admin/claims/{}/accept", claim.id) label=format!("{} {}", t.accept, claim.organisation) class="inline">
                                    <button type="submit">{t.accept}</button>
                                </PostForm>
                                <PostForm action=format!("/admin/claims/{}/refuse", claim.id) label=format!("{} {}", t.refuse, claim.organisation) class="inline">
                                    <button type="submit" class="secondary">{t.refuse}</button>
                                </PostForm>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h2>{t.unverify}</h2>
            <p>{t.unverify_lead}</p>
            <PostForm action="/admin/organisations/unverify".to_owned() label=t.unverify>
                <Field name="credit_code" label=t.credit_code maxlength=40 />
                <Field name="reason" label=t.reason maxlength=500 />
                <button type="submit" class="danger">{t.unverify}</button>
            </PostForm>
        </section>
    }
}

async fn load() -> Result<Queue, AppError> {
    #[cfg(feature = "ssr")]
    {
        crate::accounts::require(
            crate::auth::Action::VerifyOrganisation,
            &crate::auth::Target::none(),
        )?;
        let state = crate::state::app_state()?;
        let zone = state.clock.zone();
        let show = |at: chrono::DateTime<chrono::Utc>| {
            at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
        };
        let waiting = sqlx::query!(
            r#"SELECT o.id, o.name, o.kind AS "kind: OrganisationKind", o.credit_code,
                      o.credit_code_override_reason, o.created_at, u.display_name AS "registrant?",
                      u.email AS "registrant_email?"
               FROM organisations o LEFT JOIN users u ON u.id = o.created_by
               WHERE o.verified_at IS NULL
               ORDER BY o.created_at, o.id
               LIMIT 200"#
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|row| Waiting {
            checksum_ok: crate::domain::credit_code::CreditCode::parse(&row.credit_code).is_ok(),
            id: row.id,
            name: row.name,
            kind: row.kind,
            credit_code: row.credit_code,
            override_reason: row.credit_code_override_reason,
            registered: show(row.created_at),
            registrant: row
                .registrant
                .map(|name| format!("{name} <{}>", row.registrant_email.unwrap_or_default())),
        })
        .collect();
        let claims = sqlx::query!(
            r#"SELECT r.id, o.name, o.credit_code, u.display_name, u.email, r.message, r.created_at,
                      r.evidence_file IS NOT NULL AS "evidence!"
             FROM join_requests r
             JOIN organisations o ON o.id = r.organisation_id
             JOIN users u ON u.id = r.user_id
             WHERE r.status = 'pending' AND u.deleted_at IS NULL AND u.suspended_at IS NULL
               -- A claim: its organisation has no admin, or is not verified yet.
               AND (o.verified_at IS NULL
                    OR NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = o.id
                                   AND 'admin' = ANY (m.roles)))
             ORDER BY r.created_at, r.id"#
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|row| Claim {
            id: row.id,
            organisation: row.name,
            credit_code: row.credit_code,
            claimant: format!("{} <{}>", row.display_name, row.email.unwrap_or_default()),
            message: row.message,
            at: show(row.created_at),
            evidence: row.evidence,
        })
        .collect();
        Ok(Queue { waiting, claims })
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::Internal)
    }
}
