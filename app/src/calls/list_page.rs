//! `/calls`: every announced call, open, closed and finished, filtered by kind and status;
//! an agency's admins also see its drafts here, with a link to start a call.

use super::texts::use_call_texts;
use super::types::{CallKind, CallStatus, CallSummary};
use crate::accounts::form::RedirectNotice;
use crate::components::{CodeSelect, PageHead};
use crate::error::AppError;
use crate::errors::ErrorPage;
use crate::i18n::use_locale;
use crate::listing::FilterForm;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallList {
    pub calls: Vec<CallSummary>,
    /// The viewer runs calls for some agency: offer to start one.
    pub may_create: bool,
}

fn filter(query: &[(String, String)]) -> Result<(Option<CallKind>, Option<CallStatus>), AppError> {
    let param = |name: &str| {
        query
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    };
    let kind = param("kind")
        .map(|code| {
            CallKind::from_code(code).ok_or(AppError::InvalidParameter {
                param: "kind".into(),
            })
        })
        .transpose()?;
    let status = param("status")
        .map(|code| {
            CallStatus::from_code(code).ok_or(AppError::InvalidParameter {
                param: "status".into(),
            })
        })
        .transpose()?;
    Ok((kind, status))
}

#[component]
pub fn CallListPage() -> impl IntoView {
    let t = use_call_texts();
    let query = crate::components::request_query();
    let chosen = filter(&query);
    let list = Resource::new_blocking(move || (), move |_| load(filter(&query)));
    view! {
        <PageHead title=|m| m.calls_title description=|m| m.calls_description />
        <h1>{t.calls}</h1>
        <p class="lead">{t.calls_lead}</p>
        <p><a href="/notices">{crate::submissions::texts::use_workflow_texts().see_notices}</a></p>
        <RedirectNotice />
        {chosen.ok().map(|(kind, status)| view! {
            <FilterForm action="/calls" chosen=vec![
                ("kind", kind.map(|k| k.code().to_owned()).unwrap_or_default()),
                ("status", status.map(|s| s.code().to_owned()).unwrap_or_default()),
            ]>
                <CodeSelect name="kind" label=t.kind selected=kind />
                <CodeSelect name="status" label=t.status selected=status />
            </FilterForm>
        })}
        <Suspense>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <CallListView list /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CallListView(list: CallList) -> impl IntoView {
    let t = use_call_texts();
    view! {
        {list.may_create.then(|| view! {
            <p><a class="button" href="/calls/new">{t.new_call}</a></p>
        })}
        {if list.calls.is_empty() {
            view! { <p data-testid="no-calls">{t.no_calls}</p> }.into_any()
        } else {
            view! {
                <ul class="cards" data-testid="call-list">
                    {list.calls.into_iter().map(|call| view! { <CallCard call /> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
pub fn CallCard(call: CallSummary) -> impl IntoView {
    let t = use_call_texts();
    let locale = use_locale();
    view! {
        <li class="card" data-testid="call-card">
            <h2><a href=format!("/calls/{}", call.id)>{call.title}</a></h2>
            <p>
                <span class="badge" data-testid="call-status">{call.status.label(locale)}</span>
                " " {call.kind.label(locale)} " · " <code>{call.code}</code>
            </p>
            <p>{t.agency} ": " {call.agency}</p>
            <p>{t.period} ": " {call.opens_on.to_string()} " – " {call.closes_on.to_string()}</p>
        </li>
    }
}

async fn load(
    chosen: Result<(Option<CallKind>, Option<CallStatus>), AppError>,
) -> Result<CallList, AppError> {
    #[cfg(feature = "ssr")]
    {
        let (kind, status) = chosen?;
        let state = crate::state::app_state()?;
        let caller = crate::accounts::use_caller();
        let managed: Vec<_> = match caller.signed_in() {
            Some(_) => super::server::managed_agencies(&state, &caller)
                .await?
                .into_iter()
                .map(|(id, _)| id)
                .collect(),
            None => Vec::new(),
        };
        let calls = super::db::list_calls(&state.pool, kind, status, None, &managed).await?;
        Ok(CallList {
            calls,
            may_create: !managed.is_empty(),
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = chosen;
        Err(AppError::Internal)
    }
}
