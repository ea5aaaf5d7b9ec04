//! `/calls/new` and `/calls/{id}/edit`: the agency admin's form for a draft call. It posts
//! to its own address and works without JavaScript.

use super::draft::CRITERION_FIELDS;
use super::notice_window::NoticeCount;
use super::texts::{use_call_texts, CallTexts};
use super::types::{CallDraft, CallKind};
use crate::accounts::form::{
    use_form_outcome, vocabulary_options, Field, FieldLabels, PostForm, SelectField, TextAreaField,
};
use crate::accounts::texts::use_account_texts;
use crate::accounts::AccessDenied;
use crate::components::PageTitle;
use crate::domain::{CallId, OrganisationId, OrganisationKind};
use crate::error::AppError;
use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// The labels of the call form's fields, for its error summary.
pub fn call_form_labels(locale: crate::i18n::Locale) -> FieldLabels {
    let t = super::texts::call_texts(locale);
    let mut labels = vec![
        ("organisation", t.agency),
        ("kind", t.kind),
        ("code", t.code),
        ("title", t.title),
        ("description", t.description),
        ("eligibility", t.eligibility),
        ("eligible_kinds", t.eligible_kinds),
        ("opens_on", t.opens_on),
        ("closes_on", t.closes_on),
        ("required_reviews", t.required_reviews),
        ("notice_days", t.notice_days),
        ("notice_count", t.notice_count),
        ("valid_from", t.valid_from),
        ("valid_until", t.valid_until),
        ("criteria", t.criteria),
    ];
    for (index, (criterion, weight)) in CRITERION_FIELDS.iter().enumerate() {
        labels.push((criterion, t.criterion_labels[index]));
        labels.push((weight, t.weight_labels[index]));
    }
    FieldLabels(labels)
}

/// What the form needs: the agencies the admin may choose and, when editing, the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallForm {
    pub agencies: Vec<(OrganisationId, String)>,
    pub existing: Option<(CallId, CallDraft)>,
}

#[component]
pub fn NewCallPage() -> impl IntoView {
    call_form_page(None)
}

#[component]
pub fn EditCallPage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    call_form_page(Some(id))
}

fn call_form_page(id: Option<String>) -> AnyView {
    provide_context(call_form_labels(use_locale()));
    let form = Resource::new_blocking(move || id.clone(), load);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(form) => view! { <CallFormView form /> }.into_any(),
                    Err(error) => view! { <AccessDenied error /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn CallFormView(form: CallForm) -> impl IntoView {
    let t = use_call_texts();
    let (action, heading, existing) = match form.existing {
        Some((id, draft)) => (format!("/calls/{id}/edit"), t.edit_call, Some(draft)),
        None => ("/calls/new".to_owned(), t.new_call, None),
    };
    let value = {
        let existing = existing.clone();
        move |pick: fn(&CallDraft) -> String| existing.as_ref().map(pick)
    };
    let kind_options = vocabulary_options::<CallKind>();
    let count_options = vocabulary_options::<NoticeCount>();
    view! {
        <PageTitle text=heading />
        <section class="account">
            <h1>{heading}</h1>
                    <PostForm action=action.clone() label=heading>
                        <AgencySelect agencies=form.agencies.clone() chosen=existing.as_ref().map(|d| d.organisation) />
                        <SelectField name="kind" label=t.kind options=kind_options value=value(|d| d.kind.code().to_owned()).unwrap_or_default() />
                        <Field name="code" label=t.code hint=t.code_hint maxlength=40 value=value(|d| d.code.clone()).unwrap_or_default() />
                        <Field name="title" label=t.title maxlength=200 value=value(|d| d.title.clone()).unwrap_or_default() />
                        <TextAreaField name="description" label=t.description maxlength=5000 value=value(|d| d.description.clone()).unwrap_or_default() />
                        <EligibleKinds chosen=existing.as_ref().map(|d| d.eligible_kinds.clone()).unwrap_or_default() />
                        <TextAreaField name="eligibility" label=t.eligibility hint=t.eligibility_hint maxlength=2000 value=value(|d| d.eligibility.clone()).unwrap_or_default() />
                        <fieldset>
                            <legend>{t.period}</legend>
                            <Field name="opens_on" label=t.opens_on kind="date" hint=t.dates_hint value=value(|d| d.opens_on.to_string()).unwrap_or_default() />
                            <Field name="closes_on" label=t.closes_on kind="date" value=value(|d| d.closes_on.to_string()).unwrap_or_default() />
                        </fieldset>
                        <Field name="required_reviews" label=t.required_reviews kind="number" hint=t.required_reviews_hint value=value(|d| d.required_reviews.to_string()).unwrap_or_else(|| "2".into()) />
                        <fieldset>
                            <legend>{t.notice}</legend>
                            <Field name="notice_days" label=t.notice_days kind="number" hint=t.notice_days_hint value=value(|d| d.notice_days.to_string()).unwrap_or_else(|| "5".into()) />
                            <SelectField name="notice_count" label=t.notice_count options=count_options value=value(|d| d.notice_count.code().to_owned()).unwrap_or_else(|| "working".into()) />
                        </fieldset>
                        <fieldset>
                            <legend>{t.validity}</legend>
                            <p class="hint">{t.validity_hint}</p>
                            <Field name="valid_from" label=t.valid_from kind="date" required=false value=value(|d| d.valid_from.map(|v| v.to_string()).unwrap_or_default()).unwrap_or_default() />
                            <Field name="valid_until" label=t.valid_until kind="date" required=false value=value(|d| d.valid_until.map(|v| v.to_string()).unwrap_or_default()).unwrap_or_default() />
                        </fieldset>
                        <CriteriaRows t existing=existing.as_ref().map(|d| d.criteria.iter().map(|c| (c.title.clone(), c.weight.to_string())).collect()).unwrap_or_default() />
                        <button type="submit">{t.save}</button>
                    </PostForm>
        </section>
    }
}

/// The agency the call is for: a `<select>` of the agencies the admin runs calls for.
#[component]
fn AgencySelect(
    agencies: Vec<(OrganisationId, String)>,
    chosen: Option<OrganisationId>,
) -> impl IntoView {
    let t = use_call_texts();
    let a = use_account_texts();
    let outcome = use_form_outcome();
    let error = outcome
        .error("organisation")
        .map(|problem| problem.message(a));
    let chosen = outcome
        .value("organisation")
        .or(chosen.map(|id| id.to_string()))
        .or_else(|| (agencies.len() == 1).then(|| agencies[0].0.to_string()))
        .unwrap_or_default();
    view! {
        <div class="field" class:invalid=error.is_some()>
            <label for="field-organisation">{t.agency}</label>
            <p class="field-error" id="field-organisation-error" data-error-for="organisation" hidden=error.is_none()>{error.clone()}</p>
            <select id="field-organisation" name="organisation" required aria-describedby="field-organisation-error">
                {agencies.into_iter().map(|(id, name)| {
                    let id = id.to_string();
                    view! { <option value=id.clone() selected=chosen == id>{name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Who may submit: a checkbox per kind of organisation.
#[component]
fn EligibleKinds(chosen: Vec<OrganisationKind>) -> impl IntoView {
    let t = use_call_texts();
    let a = use_account_texts();
    let locale = use_locale();
    let outcome = use_form_outcome();
    let error = outcome
        .error("eligible_kinds")
        .map(|problem| problem.message(a));
    let refused = !outcome.values.is_empty();
    let ticked = move |kind: OrganisationKind| {
        if refused {
            outcome
                .values
                .iter()
                .any(|(name, value)| name == "eligible_kinds" && value == kind.code())
        } else {
            chosen.contains(&kind)
        }
    };
    view! {
        <fieldset class="field" class:invalid=error.is_some() id="field-eligible_kinds" aria-describedby="field-eligible_kinds-error">
            <legend>{t.eligible_kinds}</legend>
            <p class="field-error" id="field-eligible_kinds-error" data-error-for="eligible_kinds" hidden=error.is_none()>{error.clone()}</p>
            {OrganisationKind::ALL.iter().map(|kind| {
                let id = format!("eligible-{}", kind.code());
                view! {
                    <div class="checkbox">
                        <input type="checkbox" id=id.clone() name="eligible_kinds" value=kind.code() checked=ticked(*kind) />
                        <label for=id>{kind.label(locale)}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// The criteria: a row of title and weight per criterion, empty rows ignored.
#[component]
fn CriteriaRows(t: &'static CallTexts, existing: Vec<(String, String)>) -> impl IntoView {
    let a = use_account_texts();
    let outcome = use_form_outcome();
    let refused = !outcome.values.is_empty();
    let sum_error = outcome.error("criteria").map(|problem| problem.message(a));
    view! {
        <fieldset id="field-criteria" aria-describedby="field-criteria-hint field-criteria-error">
            <legend>{t.criteria}</legend>
            <p class="hint" id="field-criteria-hint">{t.criteria_hint}</p>
            <p class="field-error" id="field-criteria-error" data-error-for="criteria" hidden=sum_error.is_none()>{sum_error.clone()}</p>
            {CRITERION_FIELDS.iter().enumerate().map(|(index, (title_field, weight_field))| {
                let before = existing.get(index).cloned().unwrap_or_default();
                let value = |field: &str, before: String| {
                    if refused { outcome.value(field).unwrap_or_default() } else { before }
                };
                let title = value(title_field, before.0);
                let weight = value(weight_field, before.1);
                let title_error = outcome.error(title_field).map(|problem| problem.message(a));
                let weight_error = outcome.error(weight_field).map(|problem| problem.message(a));
                view! {
                    <div class="criterion-row">
                        <div class="field" class:invalid=title_error.is_some()>
                            <label for=format!("field-{title_field}")>{t.criterion_labels[index]}</label>
                            <p class="field-error" data-error-for=*title_field hidden=title_error.is_none()>{title_error.clone()}</p>
                            <input id=format!("field-{title_field}") name=*title_field value=title maxlength="100" />
                        </div>
                        <div class="field weight" class:invalid=weight_error.is_some()>
                            <label for=format!("field-{weight_field}")>{t.weight_labels[index]}</label>
                            <p class="field-error" data-error-for=*weight_field hidden=weight_error.is_none()>{weight_error.clone()}</p>
                            <input id=format!("field-{weight_field}") name=*weight_field value=weight type="number" min="1" max="100" />
                        </div>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

async fn load(id: Option<String>) -> Result<CallForm, AppError> {
    #[cfg(feature = "ssr")]
    {
        let caller = crate::accounts::use_caller();
        if caller.signed_in().is_none() {
            return Err(AppError::Unauthorized);
        }
        let state = crate::state::app_state()?;
        let agencies = super::server::managed_agencies(&state, &caller).await?;
        if agencies.is_empty() {
            return Err(AppError::Forbidden);
        }
        let existing = match id {
            None => None,
            Some(id) => {
                let call: CallId = id.parse().map_err(|_| AppError::NotFound)?;
                let detail = super::db::call_detail(&state.pool, &caller, call).await?;
                if !detail.manageable {
                    return Err(AppError::NotFound);
                }
                if detail.status != super::types::CallStatus::Draft {
                    return Err(AppError::Conflict);
                }
                Some((call, detail.draft))
            }
        };
        Ok(CallForm { agencies, existing })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = id;
        Err(AppError::Internal)
    }
}
