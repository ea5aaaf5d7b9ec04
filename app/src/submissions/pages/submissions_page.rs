//! `/account/submissions`: a firm's drafts and submissions by state, with the reason of
//! each decision and the next step; starting a new product.

use crate::accounts::form::{PostForm, RedirectNotice};
use crate::accounts::AccessDenied;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::submissions::state::SubmissionState;
use crate::submissions::texts::use_workflow_texts;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftLine {
    pub id: i64,
    /// 创新产品, 应用场景 or 创新创业项目.
    pub kind: String,
    pub name: String,
    pub organisation: String,
    pub updated: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionLine {
    pub id: i64,
    pub name: String,
    pub organisation: String,
    pub call: Option<String>,
    pub state: SubmissionState,
    pub revision: bool,
    pub reason: Option<String>,
    pub notice_until: Option<String>,
    pub submitted: String,
    /// The published record's page, once accepted.
    pub record_page: Option<String>,
    /// Its notice has ended, and an objection still waits for a ruling.
    pub waiting_for_ruling: bool,
    /// An accepted record that was withdrawn or expired since (its status).
    pub record_gone: Option<crate::domain::RecordStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The organisations the person writes for (id, name).
    pub organisations: Vec<(i64, String)>,
    pub drafts: Vec<DraftLine>,
    pub submissions: Vec<SubmissionLine>,
}

#[component]
pub fn SubmissionsPage() -> impl IntoView {
    let t = use_workflow_texts();
    provide_context(super::draft_labels(crate::i18n::use_locale()));
    let dashboard = Resource::new_blocking(|| (), |_| load());
    view! {
        <PageTitle text=t.submissions />
        <Suspense>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(dashboard) => view! { <DashboardView dashboard /> }.into_any(),
                    Err(error) => view! { <AccessDenied error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let t = use_workflow_texts();
    let locale = use_locale();
    // A refused start keeps the kind chosen.
    let chosen_kind = crate::accounts::form::use_form_outcome()
        .value("kind")
        .unwrap_or_default();
    view! {
        <section class="account" data-testid="submissions">
            <h1>{t.submissions}</h1>
            <p>{t.submissions_lead}</p>
            <RedirectNotice />
            <PostForm action="/drafts".to_owned() label=t.start>
                <div class="field">
                    <label for="field-kind">{t.record_kind}</label>
                    <select id="field-kind" name="kind">
                        {[("product", t.new_product), ("scenario", t.new_scenario), ("project", t.new_project)]
                            .into_iter()
                            .map(|(code, label)| view! { <option value=code selected=chosen_kind == code>{label}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="field-organisation">{t.organisation}</label>
                    <select id="field-organisation" name="organisation">
                        {dashboard.organisations.iter().map(|(id, name)| view! {
                            <option value=id.to_string()>{name.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit">{t.start}</button>
            </PostForm>
            <h2>{t.drafts}</h2>
            {if dashboard.drafts.is_empty() {
                view! { <p>{t.no_drafts}</p> }.into_any()
            } else {
                view! {
                    <ul class="queue" data-testid="drafts">
                        {dashboard.drafts.into_iter().map(|draft| view! {
                            <li>
                                <a href=format!("/drafts/{}", draft.id)>
                                    {if draft.name.is_empty() { t.untitled.to_owned() } else { draft.name }}
                                </a>
                                " · " {draft.kind} " · " {draft.organisation} " · " {draft.updated}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h2>{t.in_selection}</h2>
            {if dashboard.submissions.is_empty() {
                view! { <p>{t.no_submissions}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                    <table data-testid="submission-table">
                        <thead><tr>
                            <th scope="col">{t.record_name}</th>
                            <th scope="col">{t.call}</th>
                            <th scope="col">{t.state}</th>
                            <th scope="col">{t.reason}</th>
                            <th scope="col">{t.next_step}</th>
                        </tr></thead>
                        <tbody>
                            {dashboard.submissions.into_iter().map(|line| {
                                let next = match line.state {
                                    SubmissionState::InNotice if line.waiting_for_ruling => t.next_ruling,
                                    SubmissionState::Submitted | SubmissionState::InReview => t.next_wait_review,
                                    SubmissionState::Returned => t.next_fix,
                                    SubmissionState::InNotice => t.next_notice,
                                    _ => t.next_none,
                                };
                                let withdrawable = matches!(line.state, SubmissionState::Submitted | SubmissionState::InReview | SubmissionState::Returned);
                                view! {
                                    <tr data-testid="submission-row">
                                        <td>
                                            <a href=format!("/review/{}", line.id) title=t.view_submission>{line.name.clone()}</a>
                                            {line.revision.then(|| format!(" ({})", t.purpose_revision))}
                                            {line.record_page.clone().map(|href| view! { " · " <a href=href>{t.view_published}</a> })}
                                            <br /><small>{line.organisation.clone()} " · " {line.submitted.clone()}</small>
                                        </td>
                                        <td>{line.call.clone().unwrap_or_else(|| t.no_call.to_owned())}</td>
                                        <td data-testid="submission-state">
                                            {match line.record_gone {
                                                Some(status) => status.label(locale),
                                                None if line.waiting_for_ruling => t.waiting_for_ruling,
                                                None => line.state.label(locale),
                                            }}
                                            {line.notice_until.clone().map(|day| format!(" ({} {day})", t.notice_until))}
                                        </td>
                                        <td>{line.reason.clone().filter(|_| matches!(line.state, SubmissionState::Returned | SubmissionState::Rejected | SubmissionState::Withdrawn)).unwrap_or_default()}</td>
                                        <td>
                                            {next}
                                            {withdrawable.then(|| view! {
                                                <PostForm action=format!("/submissions/{}/withdraw", line.id) label=format!("{} {}", t.withdraw, line.name) class="inline">
                                                    <button type="submit" class="secondary">{t.withdraw}</button>
                                                </PostForm>
                                            })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

async fn load() -> Result<Dashboard, AppError> {
    #[cfg(feature = "ssr")]
    {
        use crate::auth::{check, Action, Target};
        let caller = crate::accounts::use_caller();
        let account = caller.signed_in().ok_or(AppError::Unauthorized)?;
        let ids: Vec<i64> = account
            .memberships
            .iter()
            .filter(|m| {
                check(
                    &caller,
                    Action::PrepareDraft,
                    &Target::organisation(m.organisation),
                )
                .is_ok()
            })
            .map(|m| m.organisation.0)
            .collect();
        if ids.is_empty() {
            return Err(AppError::Forbidden);
        }
        let state = crate::state::app_state()?;
        let locale = crate::i18n::use_locale();
        let zone = state.clock.zone();
        let show = |at: chrono::DateTime<chrono::Utc>| {
            at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
        };
        let organisations = sqlx::query!(
            "SELECT id, name FROM organisations WHERE id = ANY($1) ORDER BY name",
            &ids
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|row| (row.id, row.name))
        .collect();
        let drafts = sqlx::query!(
            r#"SELECT d.id, COALESCE(d.fields->>'name', d.fields->>'title', '') AS "name!",
                      d.record_kind, o.name AS organisation, d.updated_at
               FROM drafts d JOIN organisations o ON o.id = d.organisation_id
               WHERE d.organisation_id = ANY($1)
               ORDER BY d.updated_at DESC LIMIT 200"#,
            &ids
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|row| DraftLine {
            id: row.id,
            kind: crate::submissions::forms::RecordKind::from_code(&row.record_kind)
                .map(|kind| kind.label(locale).to_owned())
                .unwrap_or_default(),
            name: row.name,
            organisation: row.organisation,
            updated: show(row.updated_at),
        })
        .collect();
        let submissions = sqlx::query!(
            r#"SELECT s.id, COALESCE(s.snapshot->>'name', s.snapshot->>'title', '') AS "name!",
                      o.name AS organisation, c.title AS "call?",
                      s.state AS "state: SubmissionState", s.purpose::text = 'revision' AS "revision!",
                      s.decision_reason, s.notice_until, s.submitted_at, s.record_kind, s.record_id,
                      (s.state = 'in_notice' AND s.notice_until < $2) AS "ended!",
                      COALESCE(
                          (SELECT status FROM products
                           WHERE s.record_kind = 'product' AND id = s.record_id),
                          (SELECT status FROM scenarios
                           WHERE s.record_kind = 'scenario' AND id = s.record_id),
                          (SELECT status FROM projects
                           WHERE s.record_kind = 'project' AND id = s.record_id)
                      ) AS "record_status!: crate::domain::RecordStatus"
               FROM submissions s
               JOIN organisations o ON o.id = s.organisation_id
               LEFT JOIN calls c ON c.id = s.call_id
               WHERE s.organisation_id = ANY($1)
               ORDER BY s.submitted_at DESC, s.id DESC LIMIT 500"#,
            &ids,
            state.clock.today()
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|row| SubmissionLine {
            id: row.id,
            name: row.name,
            organisation: row.organisation,
            call: row.call,
            state: row.state,
            revision: row.revision,
            reason: row.decision_reason,
            notice_until: row.notice_until.map(|day| day.to_string()),
            submitted: show(row.submitted_at),
            waiting_for_ruling: row.ended,
            // Published once, and taken back (or lapsed) since.
            record_gone: (row.state == SubmissionState::Accepted
                && matches!(
                    row.record_status,
                    crate::domain::RecordStatus::Withdrawn | crate::domain::RecordStatus::Expired
                ))
            .then_some(row.record_status),
            record_page: (row.state == SubmissionState::Accepted)
                .then(|| format!("/{}s/{}", row.record_kind, row.record_id)),
        })
        .collect();
        Ok(Dashboard {
            organisations,
            drafts,
            submissions,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::Internal)
    }
}
