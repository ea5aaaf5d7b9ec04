//! `/calls/{id}`: a call's terms (criteria and weights, dates, who may submit, reviews
//! needed, the notice, a batch's validity); for its agency's admins also the reviewers and
//! the draft's actions.

use super::texts::use_call_texts;
use super::types::CallDetail;
use crate::accounts::form::{Field, FieldLabels, PostForm, RedirectNotice};
use crate::components::PageHead;
use crate::components::PageTitle;
use crate::domain::CallId;
use crate::error::AppError;
use crate::errors::ErrorPage;
use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The labels of the call page's forms, for their error summaries.
pub fn call_page_labels(locale: crate::i18n::Locale) -> FieldLabels {
    let t = super::texts::call_texts(locale);
    FieldLabels(vec![
        ("email", t.reviewer_email),
        ("reviewers", t.reviewers),
        ("closes_on", t.closes_on),
    ])
}

#[component]
pub fn CallDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.read_untracked().get("id").unwrap_or_default();
    provide_context(call_page_labels(use_locale()));
    let detail = Resource::new_blocking(move || id.clone(), load);
    view! {
        <PageHead title=|m| m.calls_title />
        <Suspense>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <CallView detail /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CallView(detail: CallDetail) -> impl IntoView {
    let t = use_call_texts();
    let locale = use_locale();
    let call = detail.draft.clone();
    let is_draft = detail.status == super::types::CallStatus::Draft;
    let kinds = call
        .eligible_kinds
        .iter()
        .map(|kind| kind.label(locale))
        .collect::<Vec<_>>()
        .join("、");
    let notice = call.notice_count.describe(call.notice_days, locale);
    view! {
        <PageTitle text=call.title.clone() />
        <article class="record" data-testid="call-detail">
            <h1>{call.title.clone()}</h1>
            <RedirectNotice />
            {is_draft.then(|| view! {
                <p class="status-banner" role="status" data-testid="draft-banner">{t.draft_banner}</p>
            })}
            <dl class="facts">
                <dt>{t.status}</dt>
                <dd data-testid="call-status">{detail.status.label(locale)}</dd>
                <dt>{t.kind}</dt>
                <dd>{call.kind.label(locale)}</dd>
                <dt>{t.code}</dt>
                <dd><code>{call.code.clone()}</code></dd>
                <dt>{t.agency}</dt>
                <dd><a href=format!("/organisations/{}", detail.agency_id)>{detail.agency.clone()}</a></dd>
                <dt>{t.period}</dt>
                <dd>{format!("{} – {}", call.opens_on, call.closes_on)}</dd>
                <dt>{t.eligible_kinds}</dt>
                <dd>{kinds}</dd>
                <dt>{t.required_reviews}</dt>
                <dd>{call.required_reviews}</dd>
                <dt>{t.notice}</dt>
                <dd data-testid="call-notice">{notice}</dd>
                {call.valid_from.zip(call.valid_until).map(|(from, until)| view! {
                    <dt>{t.validity}</dt>
                    <dd data-testid="call-validity">{format!("{from} – {until}")}</dd>
                })}
            </dl>
            {(!detail.calendar_known).then(|| view! {
                <p class="notice" role="note">{t.calendar_unknown}</p>
            })}
            {(!call.description.is_empty()).then(|| view! {
                <h2>{t.description}</h2>
                <p class="prose">{call.description.clone()}</p>
            })}
            {(!call.eligibility.is_empty()).then(|| view! {
                <h2>{t.eligibility}</h2>
                <p class="prose">{call.eligibility.clone()}</p>
            })}
            <h2>{t.criteria}</h2>
            <table data-testid="criteria">
                <thead><tr><th scope="col">{t.criterion}</th><th scope="col">{t.weight}</th></tr></thead>
                <tbody>
                    {call.criteria.iter().map(|criterion| view! {
                        <tr><td>{criterion.title.clone()}</td><td>{criterion.weight}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(!detail.published.is_empty()).then(|| view! {
                <h2>{t.published}</h2>
                <ul class="queue" data-testid="call-published">
                    {detail.published.iter().map(|(path, name)| view! {
                        <li><a href=path.clone()>{name.clone()}</a></li>
                    }).collect_view()}
                </ul>
            })}
            {detail.manageable.then(|| view! { <Manage detail=detail.clone() /> })}
            <p><a href="/calls">{t.back_to_calls}</a></p>
        </article>
    }
}

/// The agency admin's part of the page: reviewers, and the draft's actions.
#[component]
fn Manage(detail: CallDetail) -> impl IntoView {
    let t = use_call_texts();
    let id = detail.id;
    let is_draft = detail.status == super::types::CallStatus::Draft;
    // Reviewers stay manageable once the call is finished: they review the changes to
    // what it published.
    view! {
        <section id="field-reviewers" aria-labelledby="reviewers-heading" data-testid="call-reviewers">
            <h2 id="reviewers-heading">{t.reviewers}</h2>
            <p>{t.reviewers_lead}</p>
            {if detail.reviewers.is_empty() {
                view! { <p>{t.no_reviewers}</p> }.into_any()
            } else {
                view! {
                    <ul class="queue">
                        {detail.reviewers.into_iter().map(|reviewer| {
                            let who = if reviewer.affiliation.is_empty() {
                                reviewer.name.clone()
                            } else {
                                format!("{} · {}", reviewer.name, reviewer.affiliation)
                            };
                            view! {
                                <li data-testid="reviewer">
                                    {who.clone()}
                                    {reviewer.lead.then(|| view! { " " <span class="badge badge-positive">{t.lead_reviewer}</span> })}
                                    {(!reviewer.lead).then(|| view! {
                                        <PostForm action=format!("/calls/{id}/reviewers/{}/lead", reviewer.user) label=format!("{} {}", t.make_lead, reviewer.name) class="inline">
                                            <button type="submit" class="secondary">{t.make_lead}</button>
                                        </PostForm>
                                    })}
                                    <PostForm action=format!("/calls/{id}/reviewers/{}/remove", reviewer.user) label=format!("{} {}", t.remove, reviewer.name) class="inline">
                                        <button type="submit" class="secondary">{t.remove}</button>
                                    </PostForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <PostForm action=format!("/calls/{id}/reviewers") label=t.add_reviewer>
                    <Field name="email" label=t.reviewer_email kind="email" autocomplete="off" maxlength=254 />
                    <div class="field checkbox">
                        <input type="checkbox" id="field-lead" name="lead" value="yes" />
                        <label for="field-lead">{t.as_lead}</label>
                    </div>
                    <button type="submit">{t.add_reviewer}</button>
                </PostForm>
        </section>
        {is_draft.then(|| view! {
            <section aria-labelledby="draft-actions">
                <h2 id="draft-actions">{t.announce}</h2>
                <p><a class="button secondary" href=format!("/calls/{id}/edit")>{t.edit_call}</a></p>
                <p>{t.announce_lead}</p>
                <PostForm action=format!("/calls/{id}/announce") label=t.announce>
                    <p class="field-error" data-error-for="reviewers" hidden=true></p>
                    <button type="submit">{t.announce}</button>
                </PostForm>
                <PostForm action=format!("/calls/{id}/delete") label=t.delete_draft>
                    <button type="submit" class="danger">{t.delete_draft}</button>
                </PostForm>
            </section>
        })}
    }
}

async fn load(id: String) -> Result<CallDetail, AppError> {
    let call: CallId = id.parse().map_err(|_| AppError::NotFound)?;
    #[cfg(feature = "ssr")]
    {
        let state = crate::state::app_state()?;
        super::db::call_detail(&state.pool, &crate::accounts::use_caller(), call).await
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = call;
        Err(AppError::Internal)
    }
}
