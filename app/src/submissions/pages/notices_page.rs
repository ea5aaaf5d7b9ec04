//! `/notices` lists what is in public notice (公示) with the day each notice ends;
//! `/notices/{id}` shows one item, with the form to file a signed objection.

use crate::accounts::form::{FieldLabels, PostForm, RedirectNotice, TextAreaField};
use crate::components::PageHead;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::errors::ErrorPage;
use crate::submissions::forms::RecordForm;
#[cfg(feature = "ssr")]
use crate::submissions::forms::RecordKind;
use crate::submissions::texts::{use_workflow_texts, workflow_texts};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeLine {
    pub id: i64,
    pub kind: String,
    pub record_id: i64,
    pub name: String,
    pub organisation: String,
    pub call: String,
    pub until: String,
}

#[component]
pub fn NoticesPage() -> impl IntoView {
    let t = use_workflow_texts();
    let list = Resource::new_blocking(|| (), |_| load_list());
    view! {
        <PageHead title=|m| m.notices_title description=|m| m.notices_description />
        <h1>{t.notices}</h1>
        <p class="lead">{t.notices_lead}</p>
        <Suspense>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(lines) if lines.is_empty() => view! { <p data-testid="no-notices">{t.no_notices}</p> }.into_any(),
                    Ok(lines) => view! {
                        <ul class="cards" data-testid="notice-list">
                            {lines.into_iter().map(|line| view! {
                                <li class="card" data-testid="notice-card">
                                    <h2><a href=format!("/notices/{}", line.id)>{line.name}</a></h2>
                                    <p>{line.organisation} " · " {line.call}</p>
                                    <p>{t.notice_until} ": " <span data-testid="notice-until">{line.until}</span> " 24:00"</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The labels of the objection form.
pub fn objection_labels(locale: crate::i18n::Locale) -> FieldLabels {
    FieldLabels(vec![("reason", workflow_texts(locale).objection_reason)])
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeItem {
    pub line: NoticeLine,
    pub record: RecordForm,
    /// Whether the reader may object (signed in with a confirmed address).
    pub may_object: bool,
    /// The window has ended (the item waits for a ruling on an objection).
    pub ended: bool,
}

#[component]
pub fn NoticePage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    provide_context(objection_labels(crate::i18n::use_locale()));
    let item = Resource::new_blocking(move || id.clone(), load_item);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match item.await {
                    Ok(item) => view! { <NoticeBody item /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NoticeBody(item: NoticeItem) -> impl IntoView {
    let t = use_workflow_texts();
    let line = item.line.clone();
    let banner = t.notice_banner.replace("{date}", &line.until);
    view! {
        <PageTitle text=line.name.clone() />
        <article class="record" data-testid="notice-detail">
            <h1>{line.name.clone()}</h1>
            <RedirectNotice />
            <p class="status-banner" role="status" data-testid="notice-banner">{banner}</p>
            <dl class="facts">
                <dt>{t.submitted_by}</dt><dd>{line.organisation.clone()}</dd>
                <dt>{t.call}</dt><dd>{line.call.clone()}</dd>
                <super::RecordFacts record=item.record.clone() />
            </dl>
            <p><a href=format!("/{}s/{}", line.kind, line.record_id)>{line.name.clone()}</a></p>
            <super::RecordTexts record=item.record.clone() />
            <h2>{t.object}</h2>
            {if item.ended {
                let a = crate::accounts::texts::use_account_texts();
                view! { <p class="notice" role="status" data-testid="notice-ended">{crate::accounts::form::Problem::NoticeEnded.message(a)}</p> }.into_any()
            } else if item.may_object {
                view! {
                    <PostForm action=format!("/notices/{}/objections", line.id) label=t.object>
                        <TextAreaField name="reason" label=t.objection_reason hint=t.objection_hint maxlength=5000 required=true />
                        <button type="submit">{t.file_objection}</button>
                    </PostForm>
                }.into_any()
            } else {
                view! { <p><a href=format!("/sign-in?next=/notices/{}", line.id)>{t.objection_sign_in}</a></p> }.into_any()
            }}
            <p><a href="/notices">{t.notices}</a></p>
        </article>
    }
}

#[cfg(feature = "ssr")]
async fn notice_lines(id: Option<i64>) -> Result<Vec<NoticeLine>, AppError> {
    let state = crate::state::app_state()?;
    // In notice, of a public organisation, and its notice not over (the scheduler ends it
    // in the first minutes of the next day).
    Ok(sqlx::query!(
        r#"SELECT s.id, s.record_kind, s.record_id,
                  COALESCE(s.snapshot->>'name', s.snapshot->>'title', '') AS "name!",
                  o.name AS organisation, COALESCE(c.title, '') AS "call!",
                  s.notice_until AS "notice_until!"
           FROM submissions s
           JOIN organisations o ON o.id = s.organisation_id
           LEFT JOIN calls c ON c.id = s.call_id
           WHERE s.state = 'in_notice' AND organisation_is_public(o.verified_at)
             -- The list: windows still open; one item: also while it waits for a ruling.
             AND (($1::bigint IS NULL AND s.notice_until >= $2) OR s.id = $1)
           ORDER BY s.notice_until, s.id
           LIMIT 1000"#,
        id,
        state.clock.today()
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|row| NoticeLine {
        id: row.id,
        kind: row.record_kind,
        record_id: row.record_id,
        name: row.name,
        organisation: row.organisation,
        call: row.call,
        until: row.notice_until.to_string(),
    })
    .collect())
}

async fn load_list() -> Result<Vec<NoticeLine>, AppError> {
    #[cfg(feature = "ssr")]
    {
        notice_lines(None).await
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::Internal)
    }
}

async fn load_item(id: String) -> Result<NoticeItem, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    #[cfg(feature = "ssr")]
    {
        let line = notice_lines(Some(id))
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound)?;
        let state = crate::state::app_state()?;
        let row = sqlx::query!(
            "SELECT record_kind, snapshot FROM submissions WHERE id = $1",
            id
        )
        .fetch_one(&state.pool)
        .await?;
        let kind = RecordKind::from_code(&row.record_kind).ok_or(AppError::Internal)?;
        let caller = crate::accounts::use_caller();
        let open = line
            .until
            .parse::<chrono::NaiveDate>()
            .is_ok_and(|last| last >= state.clock.today());
        let may_object = open
            && crate::auth::check(
                &caller,
                crate::auth::Action::FileObjection,
                &crate::auth::Target::none(),
            )
            .is_ok();
        Ok(NoticeItem {
            line,
            record: RecordForm::from_snapshot(kind, &row.snapshot),
            may_object,
            ended: !open,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = id;
        Err(AppError::Internal)
    }
}
