//! `/agency`: an agency admin's calls, with how many submissions are at each step, the
//! reviews overdue and the objections waiting for a ruling.

use super::types::{CallKind, CallStatus};
use crate::accounts::AccessDenied;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::submissions::state::SubmissionState;
use crate::submissions::texts::use_workflow_texts;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Submissions waiting for review this long are overdue, in days.
pub const OVERDUE_DAYS: i64 = 14;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRow {
    pub id: i64,
    pub title: String,
    pub kind: CallKind,
    pub status: CallStatus,
    /// (state, count) for every state with submissions.
    pub counts: Vec<(SubmissionState, i64)>,
    pub overdue: i64,
    pub open_objections: i64,
}

#[component]
pub fn AgencyPage() -> impl IntoView {
    let t = use_workflow_texts();
    let rows = Resource::new_blocking(|| (), |_| load());
    view! {
        <PageTitle text=t.agency />
        <Suspense>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) => view! { <AgencyView rows /> }.into_any(),
                    Err(error) => view! { <AccessDenied error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AgencyView(rows: Vec<CallRow>) -> impl IntoView {
    let t = use_workflow_texts();
    let c = super::texts::use_call_texts();
    let locale = use_locale();
    view! {
        <section class="account" data-testid="agency">
            <h1>{t.agency}</h1>
            <p>{t.agency_lead}</p>
            <p><a class="button" href="/calls/new">{c.new_call}</a></p>
            {if rows.is_empty() {
                view! { <p>{c.no_calls}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                    <table data-testid="agency-calls">
                        <thead><tr>
                            <th scope="col">{c.title}</th>
                            <th scope="col">{c.status}</th>
                            <th scope="col">{t.submissions_count}</th>
                            <th scope="col">{t.overdue}</th>
                            <th scope="col">{t.open_objections}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! {
                                <tr data-testid="agency-call">
                                    <td><a href=format!("/calls/{}", row.id)>{row.title}</a><br /><small>{row.kind.label(locale)}</small></td>
                                    <td>{row.status.label(locale)}</td>
                                    <td>
                                        {row.counts.iter().map(|(state, count)| format!("{} {count}", state.label(locale))).collect::<Vec<_>>().join("；")}
                                    </td>
                                    <td data-testid="overdue">{row.overdue}</td>
                                    <td data-testid="open-objections">{row.open_objections}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

async fn load() -> Result<Vec<CallRow>, AppError> {
    #[cfg(feature = "ssr")]
    {
        let caller = crate::accounts::use_caller();
        caller.signed_in().ok_or(AppError::Unauthorized)?;
        let state = crate::state::app_state()?;
        let agencies: Vec<i64> = super::server::managed_agencies(&state, &caller)
            .await?
            .into_iter()
            .map(|(id, _)| id.0)
            .collect();
        if agencies.is_empty() {
            return Err(AppError::Forbidden);
        }
        let overdue_before = state.clock.now() - chrono::TimeDelta::days(OVERDUE_DAYS);
        let calls = sqlx::query!(
            r#"SELECT c.id, c.title, c.kind AS "kind: CallKind", c.status AS "status: CallStatus",
                      (SELECT count(*) FROM submissions s WHERE s.call_id = c.id
                         AND s.state IN ('submitted', 'in_review') AND s.updated_at < $2)
                          AS "overdue!",
                      (SELECT count(*) FROM objections o JOIN submissions s ON s.id = o.submission_id
                         WHERE s.call_id = c.id AND o.state = 'open') AS "open_objections!"
               FROM calls c WHERE c.organisation_id = ANY($1)
               ORDER BY c.opens_on DESC, c.id DESC LIMIT 500"#,
            &agencies,
            overdue_before
        )
        .fetch_all(&state.pool)
        .await?;
        let ids: Vec<i64> = calls.iter().map(|call| call.id).collect();
        let counts = sqlx::query!(
            r#"SELECT call_id AS "call_id!", state AS "state: SubmissionState", count(*) AS "count!"
               FROM submissions WHERE call_id = ANY($1) GROUP BY call_id, state"#,
            &ids
        )
        .fetch_all(&state.pool)
        .await?;
        Ok(calls
            .into_iter()
            .map(|call| {
                let mut states: Vec<(SubmissionState, i64)> = counts
                    .iter()
                    .filter(|row| row.call_id == call.id)
                    .map(|row| (row.state, row.count))
                    .collect();
                states.sort_by_key(|(state, _)| *state);
                CallRow {
                    id: call.id,
                    title: call.title,
                    kind: call.kind,
                    status: call.status,
                    counts: states,
                    overdue: call.overdue,
                    open_objections: call.open_objections,
                }
            })
            .collect())
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::Internal)
    }
}
