//! `/drafts/{id}`: a product draft's form. Save keeps it (checking only what is filled in;
//! with JavaScript it also saves itself a few seconds after a change); Submit checks it is
//! complete and sends it into the chosen batch. Works without JavaScript.

use crate::accounts::form::{
    use_form_outcome, vocabulary_options, Field, FieldLabels, PostForm, RedirectNotice,
    SelectField, TextAreaField,
};
use crate::accounts::texts::use_account_texts;
use crate::accounts::AccessDenied;
use crate::domain::{Certification, Industry, InsuranceStatus};
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::submissions::product_fields::ProductForm;
use crate::submissions::texts::{use_workflow_texts, workflow_texts};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// The labels of the draft form's fields, for its error summary.
pub fn draft_labels(locale: crate::i18n::Locale) -> FieldLabels {
    let t = workflow_texts(locale);
    FieldLabels(vec![
        ("name", t.name),
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
        ("call", t.batch),
        ("submit", t.submit),
        ("organisation", t.organisation),
        ("file", t.file),
    ])
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftView {
    pub id: i64,
    pub organisation: String,
    pub form: ProductForm,
    pub call: Option<i64>,
    /// Open batches the organisation may submit into (id, title).
    pub batches: Vec<(i64, String)>,
    /// Why it came back, and the reviewers' comments (without their names).
    pub returned_reason: Option<String>,
    pub comments: Vec<String>,
    pub attachments: Vec<AttachmentLine>,
    /// The files the record already has (a returned or withdrawn record's), and whether
    /// they may be removed here (not once it is published).
    pub record_attachments: Vec<AttachmentLine>,
    pub record_files_removable: bool,
    /// A returned submission goes back into this call (its title).
    pub returned_call: Option<String>,
}

/// One attached file as the pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentLine {
    pub id: i64,
    pub name: String,
    pub kind: String,
    /// Bytes.
    pub size: i64,
}

/// A list of attached files, each a download link; with `removable`, a remove button.
#[component]
pub fn AttachmentList(
    files: Vec<AttachmentLine>,
    #[prop(default = false)] removable: bool,
) -> impl IntoView {
    let t = use_workflow_texts();
    if files.is_empty() {
        return view! { <p>{t.no_attachments}</p> }.into_any();
    }
    view! {
        <ul class="queue" data-testid="attachments">
            {files.into_iter().map(|file| {
                let size = match file.size {
                    bytes if bytes < 1024 => format!("{bytes} B"),
                    bytes if bytes < 1024 * 1024 => format!("{:.1} KB", bytes as f64 / 1024.0),
                    bytes => format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0)),
                };
                view! {
                    <li>
                        <a href=format!("/attachments/{}", file.id)>{file.name.clone()}</a>
                        " · " {file.kind.to_uppercase()} " · " {size}
                        {removable.then(|| view! {
                            <PostForm action=format!("/attachments/{}/delete", file.id) label=format!("{} {}", t.remove, file.name) class="inline">
                                <button type="submit" class="secondary">{t.remove}</button>
                            </PostForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }.into_any()
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
    let a = use_account_texts();
    let locale = use_locale();
    let outcome = use_form_outcome();
    let refused = !outcome.values.is_empty();
    let form = draft.form.clone();
    let id = draft.id;
    let call_error = outcome.error("call").map(|problem| problem.message(a));
    let chosen_call = outcome
        .value("call")
        .or(draft.call.map(|call| call.to_string()))
        .unwrap_or_default();
    let certified = move |code: &str| {
        if refused {
            outcome
                .values
                .iter()
                .any(|(name, value)| name == "certifications" && value == code)
        } else {
            form.certifications.iter().any(|c| c == code)
        }
    };
    let form = draft.form.clone();
    let medical = form.is_medical;
    let industries = vocabulary_options::<Industry>();
    let insurance = vocabulary_options::<InsuranceStatus>();
    view! {
        <Title text=t.draft_title />
        <section class="account">
            <h1>{t.draft_title}</h1>
            <p>{draft.organisation.clone()}</p>
            <p>{t.draft_lead}</p>
            <RedirectNotice />
            {draft.returned_reason.clone().map(|reason| view! {
                <div class="notice" role="note" data-testid="returned-reason">
                    <p><strong>{t.returned_with} ": "</strong>{reason}</p>
                    {(!draft.comments.is_empty()).then(|| view! {
                        <p><strong>{t.reviewers_comments}</strong></p>
                        <ul>{draft.comments.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}</ul>
                    })}
                </div>
            })}
            <PostForm action=format!("/drafts/{id}") label=t.draft_title autosave=true also_for=format!("/drafts/{id}/submit")>
                <p class="hint" data-autosave-status="" data-saved-text=t.autosaved data-failed-text=t.autosave_failed aria-live="polite"></p>
                <Field name="name" label=t.name maxlength=200 required=false value=form.name.clone() />
                <Field name="procurement_code" label=t.procurement_code hint=t.procurement_code_hint maxlength=11 required=false value=form.procurement_code.clone() />
                <Field name="procurement_name" label=t.procurement_name maxlength=100 required=false value=form.procurement_name.clone() />
                <SelectField name="industry" label=t.industry options=industries value=form.industry.clone() />
                <TextAreaField name="description" label=t.description maxlength=5000 value=form.description.clone() />
                <TextAreaField name="specifications" label=t.specifications maxlength=5000 value=form.specifications.clone() />
                <Field name="price_min" label=t.price_min hint=t.price_hint required=false value=form.price_min.clone() />
                <Field name="price_max" label=t.price_max required=false value=form.price_max.clone() />
                <Field name="price_unit" label=t.price_unit maxlength=10 required=false value=form.price_unit.clone() />
                <fieldset id="field-certifications">
                    <legend>{t.certifications}</legend>
                    {Certification::ALL.iter().map(|c| {
                        let input_id = format!("certification-{}", c.code());
                        view! {
                            <div class="checkbox">
                                <input type="checkbox" id=input_id.clone() name="certifications" value=c.code() checked=certified(c.code()) />
                                <label for=input_id>{c.label(locale)}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <TextAreaField name="patents" label=t.patents hint=t.patents_hint maxlength=3000 value=form.patents.clone() />
                <div class="field checkbox">
                    <input type="checkbox" id="field-is_medical" name="is_medical" value="yes" checked=medical />
                    <label for="field-is_medical">{t.is_medical}</label>
                </div>
                <Field name="registration_certificate" label=t.registration_certificate maxlength=100 required=false value=form.registration_certificate.clone() />
                <SelectField name="insurance_status" label=t.insurance_status options=insurance value=form.insurance_status.clone() />
                <Field name="valid_until" label=t.valid_until kind="date" required=false value=form.valid_until.clone() />
                <div class="field" class:invalid=call_error.is_some()>
                    <label for="field-call">{t.batch}</label>
                    <p class="hint" id="field-call-hint">{t.batch_hint}</p>
                    <p class="field-error" id="field-call-error" data-error-for="call" hidden=call_error.is_none()>{call_error.clone()}</p>
                    {if let Some(call) = draft.returned_call.clone() {
                        view! { <p data-testid="returned-call">{t.resubmit_into} {call}</p> }.into_any()
                    } else if draft.batches.is_empty() {
                        view! { <p data-testid="no-open-batch">{t.no_open_batch}</p> }.into_any()
                    } else {
                        view! {
                            <select id="field-call" name="call" aria-describedby="field-call-hint field-call-error">
                                <option value="">{a.choose}</option>
                                {draft.batches.iter().map(|(call, title)| {
                                    let value = call.to_string();
                                    view! { <option value=value.clone() selected=chosen_call == value>{title.clone()}</option> }
                                }).collect_view()}
                            </select>
                        }.into_any()
                    }}
                </div>
                <p class="field-error" data-error-for="submit" hidden=true></p>
                <div class="actions">
                    <button type="submit">{t.save}</button>
                    <button type="submit" formaction=format!("/drafts/{id}/submit")>{t.submit}</button>
                </div>
            </PostForm>
            <section aria-labelledby="attachments-heading">
                <h2 id="attachments-heading">{t.attachments}</h2>
                <AttachmentList files=draft.record_attachments.clone() removable=draft.record_files_removable />
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

async fn load(id: String) -> Result<DraftView, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    #[cfg(feature = "ssr")]
    {
        use crate::auth::{check, Action, Target};
        let caller = crate::accounts::use_caller();
        caller.signed_in().ok_or(AppError::Unauthorized)?;
        let state = crate::state::app_state()?;
        let row = sqlx::query!(
            r#"SELECT d.organisation_id, o.name AS organisation, o.kind::text AS "kind!",
                      d.fields, d.call_id, d.record_id
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
        let today = state.clock.today();
        let batches = sqlx::query!(
            "SELECT id, title FROM calls
             WHERE kind = 'product_batch' AND status = 'open' AND opens_on <= $1
               AND closes_on >= $1 AND ($2::text)::organisation_kind = ANY (eligible_kinds)
             ORDER BY closes_on, id",
            today,
            row.kind
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|batch| (batch.id, batch.title))
        .collect();
        let mut returned_call = None;
        let (returned_reason, comments) = match row.record_id {
            Some(record) => {
                let returned = sqlx::query!(
                    r#"SELECT s.id, s.decision_reason, s.round, c.title AS "call?"
                       FROM submissions s LEFT JOIN calls c ON c.id = s.call_id
                       WHERE s.record_kind = 'product' AND s.record_id = $1
                         AND s.state = 'returned'"#,
                    record
                )
                .fetch_optional(&state.pool)
                .await?;
                returned_call = returned.as_ref().and_then(|r| r.call.clone());
                match returned {
                    Some(returned) => {
                        let comments = sqlx::query_scalar!(
                            "SELECT comment FROM reviews WHERE submission_id = $1 AND round = $2
                             ORDER BY id",
                            returned.id,
                            returned.round
                        )
                        .fetch_all(&state.pool)
                        .await?;
                        (returned.decision_reason, comments)
                    }
                    None => (None, Vec::new()),
                }
            }
            None => (None, Vec::new()),
        };
        let attachments = crate::submissions::server::attachments::list(&state, "draft", id)
            .await?
            .into_iter()
            .map(|line| AttachmentLine {
                id: line.id,
                name: line.name,
                kind: line.kind,
                size: line.size,
            })
            .collect();
        let line = |l: crate::submissions::server::attachments::AttachmentLine| AttachmentLine {
            id: l.id,
            name: l.name,
            kind: l.kind,
            size: l.size,
        };
        let (record_attachments, record_files_removable) = match row.record_id {
            Some(record) => {
                let status = sqlx::query_scalar!(
                    r#"SELECT status::text AS "status!" FROM products WHERE id = $1"#,
                    record
                )
                .fetch_one(&state.pool)
                .await?;
                let files =
                    crate::submissions::server::attachments::list(&state, "product", record)
                        .await?
                        .into_iter()
                        .map(line)
                        .collect();
                (files, matches!(status.as_str(), "draft" | "returned"))
            }
            None => (Vec::new(), false),
        };
        Ok(DraftView {
            record_attachments,
            record_files_removable,
            returned_call,
            attachments,
            id,
            organisation: row.organisation,
            form: serde_json::from_value(row.fields).unwrap_or_default(),
            call: row.call_id,
            batches,
            returned_reason,
            comments,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = id;
        Err(AppError::Internal)
    }
}
