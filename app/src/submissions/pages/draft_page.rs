//! `/drafts/{id}`: a draft's form (a product, a scenario or a project). Save keeps it
//! (checking only what is filled in; with JavaScript it also saves itself a few seconds
//! after a change); Submit checks it is complete and sends it into the chosen call (none
//! for a project or an agency's direct scenario). Works without JavaScript.

use super::draft_fields::RecordFields;
use super::{AttachmentLine, AttachmentList};
use crate::accounts::form::{use_form_outcome, Field, FieldLabels, PostForm, RedirectNotice};
use crate::accounts::texts::use_account_texts;
use crate::accounts::AccessDenied;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::submissions::forms::{RecordForm, RecordKind};
use crate::submissions::texts::{use_workflow_texts, workflow_texts};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// The labels of the draft form's fields, for its error summary.
pub fn draft_labels(locale: crate::i18n::Locale) -> FieldLabels {
    let t = workflow_texts(locale);
    FieldLabels(vec![
        ("name", t.record_name),
        ("procurement_code", t.procurement_code),
        ("procurement_name", t.procurement_name),
        ("industry", t.industry),
        ("description", t.description),
        ("specifications", t.specifications),
        ("price_min", t.price_min),
        ("price_max", t.price_max),
        ("price_unit", t.price_unit),
        ("certifications", t.certifications),
        ("patents", t.patents),
        ("registration_certificate", t.registration_certificate),
        ("insurance_status", t.insurance_status),
        ("valid_until", t.valid_until),
        ("title", t.scenario_title),
        ("sector", t.sector),
        ("need", t.need),
        ("expected_outcome", t.expected_outcome),
        ("budget_min", t.budget_min),
        ("budget_max", t.budget_max),
        ("location", t.location),
        ("open_until", t.open_until),
        ("stage", t.stage),
        ("financing_sought", t.financing_sought),
        ("financing_form", t.financing_form),
        ("highlights", t.highlights),
        ("team", t.team),
        ("intellectual_property", t.intellectual_property),
        ("traction", t.traction),
        ("contact_phone", t.contact_phone),
        ("contact_email", t.contact_email),
        ("call", t.call),
        ("submit", t.submit),
        ("organisation", t.organisation),
        ("kind", t.record_kind),
        ("file", t.file),
    ])
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftView {
    pub id: i64,
    pub organisation: String,
    pub form: RecordForm,
    pub call: Option<i64>,
    /// Open calls of the record's kind the organisation may submit into (id, title).
    pub calls: Vec<(i64, String)>,
    /// A scenario of an agency may go without a call, to the platform's reviewers.
    pub direct_allowed: bool,
    /// It changes a published record (a revision, or a product's listing in a later batch).
    pub published: bool,
    /// Why it came back, and the reviewers' comments (without their names).
    pub returned_reason: Option<String>,
    pub comments: Vec<String>,
    pub attachments: Vec<AttachmentLine>,
    /// The files the record already has (a returned or withdrawn record's), and whether
    /// they may be removed here (not once it is published).
    pub record_attachments: Vec<AttachmentLine>,
    pub record_files_removable: bool,
    /// A returned submission goes back into its call (its title; `None` in the shared
    /// queue).
    pub returned: bool,
    pub returned_call: Option<String>,
}

#[component]
pub fn DraftPage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    provide_context(draft_labels(use_locale()));
    let draft = Resource::new_blocking(move || id.clone(), load);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match draft.await {
                    Ok(draft) => view! { <DraftForm draft /> }.into_any(),
                    Err(error) => view! { <AccessDenied error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DraftForm(draft: DraftView) -> impl IntoView {
    let t = use_workflow_texts();
    let outcome = use_form_outcome();
    let id = draft.id;
    let kind = draft.form.kind();
    // A refused form shows what was typed, not what was saved.
    let form = if outcome.values.is_empty() {
        draft.form.clone()
    } else {
        RecordForm::from_fields(kind, &outcome.values)
    };
    let chosen_call = outcome
        .value("call")
        .or(draft.call.map(|call| call.to_string()))
        .unwrap_or_default();
    let comments = draft.comments.clone();
    let call_draft = draft.clone();
    let heading = match kind {
        _ if draft.published => t.change_title,
        RecordKind::Product => t.new_product,
        RecordKind::Scenario => t.new_scenario,
        RecordKind::Project => t.new_project,
    };
    view! {
        <PageTitle text=t.draft_title />
        <section class="account">
            <h1>{t.draft_title} " · " {heading}</h1>
            <p>{draft.organisation.clone()}</p>
            <p>{t.draft_lead}</p>
            {draft.published.then(|| view! { <p class="notice" role="note" data-testid="revision-note">{t.revision_note}</p> })}
            <RedirectNotice />
            {draft.returned_reason.clone().map(|reason| view! {
                <div class="notice" role="note" data-testid="returned-reason">
                    <p><strong>{t.returned_with}</strong>{reason}</p>
                    {(!comments.is_empty()).then(|| view! {
                        <p><strong>{t.reviewers_comments}</strong></p>
                        <ul>{comments.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}</ul>
                    })}
                </div>
            })}
            <PostForm action=format!("/drafts/{id}") label=t.draft_title autosave=true also_for=format!("/drafts/{id}/submit")>
                <p class="hint" data-autosave-status="" data-saved-text=t.autosaved data-failed-text=t.autosave_failed aria-live="polite"></p>
                <RecordFields form=form.clone() />
                <CallChoice draft=call_draft.clone() chosen=chosen_call.clone() />
                <p class="field-error" data-error-for="submit" hidden=true></p>
                <div class="actions">
                    <button type="submit">{t.save}</button>
                    <button type="submit" formaction=format!("/drafts/{id}/submit")>{t.submit}</button>
                </div>
            </PostForm>
            <section aria-labelledby="attachments-heading">
                <h2 id="attachments-heading">{t.attachments}</h2>
                // The record's files (a returned or withdrawn record's), then the draft's own;
                // "no attachments" once when there are none at all.
                {(!draft.record_attachments.is_empty()).then(|| view! {
                    <AttachmentList files=draft.record_attachments.clone() removable=draft.record_files_removable />
                })}
                {(draft.record_attachments.is_empty() || !draft.attachments.is_empty()).then(|| view! {
                    <AttachmentList files=draft.attachments.clone() removable=true />
                })}
                <PostForm action=format!("/drafts/{id}/attachments") label=t.upload multipart=true>
                    <Field name="file" label=t.file kind="file" hint=t.attachments_hint accept=".pdf,.ofd,.docx,.xlsx,.png,.jpg,.jpeg" />
                    <button type="submit">{t.upload}</button>
                </PostForm>
            </section>
            <PostForm action=format!("/drafts/{id}/delete") label=t.delete>
                <button type="submit" class="danger">{t.delete}</button>
            </PostForm>
            <p><a href="/account/submissions">{t.submissions}</a></p>
        </section>
    }
}

/// Where the draft goes: a product batch, a scenario call (or, for an agency, no call),
/// nothing to choose for a project or a returned submission.
#[component]
fn CallChoice(draft: DraftView, chosen: String) -> impl IntoView {
    let t = use_workflow_texts();
    let a = use_account_texts();
    let outcome = use_form_outcome();
    let kind = draft.form.kind();
    let error = outcome.error("call").map(|problem| problem.message(a));
    let (label, hint, none_open) = match kind {
        RecordKind::Product => (t.batch, t.batch_hint, t.no_open_batch),
        RecordKind::Scenario => (
            t.scenario_call,
            t.scenario_call_hint,
            t.no_open_scenario_call,
        ),
        RecordKind::Project => {
            return view! { <p class="hint" data-testid="project-review">{t.project_review}</p> }
                .into_any()
        }
    };
    // A published scenario's change stays in its own call (or the platform's queue).
    if draft.published && kind == RecordKind::Scenario {
        return ().into_any();
    }
    let has_select =
        !draft.returned && (!draft.calls.is_empty() || draft.direct_allowed || draft.published);
    let empty_choice = if draft.published {
        t.start_revision
    } else if draft.direct_allowed {
        t.direct_scenario
    } else {
        a.choose
    };
    view! {
        <div class="field" class:invalid=error.is_some()>
            {if has_select {
                view! { <label for="field-call">{label}</label> }.into_any()
            } else {
                view! { <p><strong>{label}</strong></p> }.into_any()
            }}
            <p class="hint" id="field-call-hint">{hint}</p>
            <p class="field-error" id="field-call-error" data-error-for="call" hidden=error.is_none()>{error.clone()}</p>
            {if draft.returned {
                view! { <p data-testid="returned-call">{t.resubmit_into} {draft.returned_call.clone().unwrap_or_else(|| t.direct_scenario.to_owned())}</p> }.into_any()
            } else if !has_select {
                view! { <p data-testid="no-open-batch">{none_open}</p> }.into_any()
            } else {
                view! {
                    <select id="field-call" name="call" aria-describedby="field-call-hint field-call-error">
                        <option value="">{empty_choice}</option>
                        {draft.calls.iter().map(|(call, title)| {
                            let value = call.to_string();
                            view! { <option value=value.clone() selected=chosen == value>{title.clone()}</option> }
                        }).collect_view()}
                    </select>
                }.into_any()
            }}
        </div>
    }.into_any()
}

async fn load(id: String) -> Result<DraftView, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    #[cfg(feature = "ssr")]
    {
        use crate::auth::{check, Action, Target};
        use crate::submissions::server::attachments::list as attachments_of;
        let caller = crate::accounts::use_caller();
        caller.signed_in().ok_or(AppError::Unauthorized)?;
        let state = crate::state::app_state()?;
        let row = sqlx::query!(
            r#"SELECT d.organisation_id, o.name AS organisation,
                      o.kind AS "kind: crate::domain::OrganisationKind",
                      d.record_kind, d.fields, d.call_id, d.record_id,
                      COALESCE(
                          (SELECT status FROM products
                           WHERE d.record_kind = 'product' AND id = d.record_id),
                          (SELECT status FROM scenarios
                           WHERE d.record_kind = 'scenario' AND id = d.record_id),
                          (SELECT status FROM projects
                           WHERE d.record_kind = 'project' AND id = d.record_id)
                      ) AS "status: crate::domain::RecordStatus"
               FROM drafts d JOIN organisations o ON o.id = d.organisation_id
               WHERE d.id = $1"#,
            id
        )
        .fetch_optional(&state.pool)
        .await?
        .ok_or(AppError::NotFound)?;
        let organisation = crate::domain::OrganisationId(row.organisation_id);
        check(
            &caller,
            Action::PrepareDraft,
            &Target::organisation(organisation),
        )
        .map_err(|_| AppError::NotFound)?;
        let kind = RecordKind::from_code(&row.record_kind).ok_or(AppError::Internal)?;
        let today = state.clock.today();
        let calls = match kind.call_kind() {
            Some(call_kind) => sqlx::query!(
                "SELECT id, title FROM calls
                 WHERE kind = $3 AND status = 'open' AND opens_on <= $1
                   AND closes_on >= $1 AND $2 = ANY (eligible_kinds)
                 ORDER BY closes_on, id",
                today,
                row.kind as crate::domain::OrganisationKind,
                call_kind as crate::calls::types::CallKind
            )
            .fetch_all(&state.pool)
            .await?
            .into_iter()
            .map(|call| (call.id, call.title))
            .collect(),
            None => Vec::new(),
        };
        let status = row.status;
        let published = status == Some(crate::domain::RecordStatus::Published);
        let returned = match row.record_id {
            Some(record) => {
                sqlx::query!(
                    r#"SELECT s.id, s.decision_reason, s.round, c.title AS "call?"
                       FROM submissions s LEFT JOIN calls c ON c.id = s.call_id
                       WHERE s.record_kind = $1 AND s.record_id = $2 AND s.state = 'returned'"#,
                    kind.code(),
                    record
                )
                .fetch_optional(&state.pool)
                .await?
            }
            None => None,
        };
        let comments = match &returned {
            Some(returned) => {
                sqlx::query_scalar!(
                    "SELECT comment FROM reviews WHERE submission_id = $1 AND round = $2
                     ORDER BY id",
                    returned.id,
                    returned.round
                )
                .fetch_all(&state.pool)
                .await?
            }
            None => Vec::new(),
        };
        let record_attachments = match row.record_id {
            Some(record) => attachments_of(&state.pool, kind.code(), record).await?,
            None => Vec::new(),
        };
        Ok(DraftView {
            id,
            organisation: row.organisation,
            form: RecordForm::from_draft(kind, row.fields),
            call: row.call_id,
            calls,
            direct_allowed: kind == RecordKind::Scenario
                && !published
                && crate::submissions::forms::publishes_scenarios_directly(row.kind),
            published,
            returned_reason: returned.as_ref().and_then(|r| r.decision_reason.clone()),
            returned_call: returned.as_ref().and_then(|r| r.call.clone()),
            returned: returned.is_some(),
            comments,
            attachments: attachments_of(&state.pool, "draft", id).await?,
            record_attachments,
            record_files_removable: matches!(
                status,
                Some(crate::domain::RecordStatus::Draft | crate::domain::RecordStatus::Returned)
            ),
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = id;
        Err(AppError::Internal)
    }
}
