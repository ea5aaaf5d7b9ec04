//! `/account/sessions`: the account's active sign-ins, each of which can be ended.

use super::guard::{require, AccessDenied};
use crate::accounts::form::{PostForm, RedirectNotice};
use crate::accounts::texts::use_account_texts;
use crate::auth::{Action, Target};
use crate::components::PageTitle;
use crate::error::AppError;
use crate::errors::ErrorPage;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One sign-in as the page shows it; times are Beijing time (the deployment's zone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    pub id: String,
    pub started: String,
    pub last_seen: String,
    pub user_agent: String,
    pub client_ip: String,
    pub current: bool,
}

#[component]
pub fn SessionsPage() -> impl IntoView {
    let t = use_account_texts();
    if let Err(error) = require(Action::ManageOwnAccount, &Target::none()) {
        return view! { <AccessDenied error /> }.into_any();
    }
    let rows = Resource::new_blocking(|| (), |_| load_sessions());
    view! {
        <PageTitle text=t.sessions />
        <section class="account">
            <h1>{t.sessions}</h1>
            <RedirectNotice />
            <p>{t.sessions_lead}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) => view! { <SessionTable rows /> }.into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a href="/account">{t.account}</a></p>
        </section>
    }
    .into_any()
}

#[component]
fn SessionTable(rows: Vec<SessionRow>) -> impl IntoView {
    let t = use_account_texts();
    view! {
        <div class="table-scroll">
            <table data-testid="sessions">
                <thead>
                    <tr>
                        <th scope="col">{t.session_started}</th>
                        <th scope="col">{t.session_last_seen}</th>
                        <th scope="col">{t.session_device}</th>
                        <th scope="col">{t.session_address}</th>
                        <th scope="col"><span class="sr-only">{t.end_session}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>
                            <td>{row.started}</td>
                            <td>{row.last_seen}</td>
                            <td>{row.user_agent}</td>
                            <td>{row.client_ip}</td>
                            <td>
                                {if row.current {
                                    view! { <strong>{t.this_session}</strong> }.into_any()
                                } else {
                                    view! {
                                        <PostForm action=format!("/account/sessions/{}/end", row.id) label=t.end_session class="inline">
                                            <button type="submit" class="secondary">{t.end_session}</button>
                                        </PostForm>
                                    }.into_any()
                                }}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

async fn load_sessions() -> Result<Vec<SessionRow>, AppError> {
    #[cfg(feature = "ssr")]
    {
        let viewer = require(Action::ManageOwnAccount, &Target::none())?;
        let state = crate::state::app_state()?;
        let crate::auth::Caller::SignedIn(account) = &viewer.caller else {
            return Err(AppError::Unauthorized);
        };
        let zone = state.clock.zone();
        let show = |at: chrono::DateTime<chrono::Utc>| {
            at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
        };
        Ok(
            crate::accounts::server::sign_ins::list(&state.pool, account.user)
                .await?
                .into_iter()
                .map(|row| SessionRow {
                    current: row.id.to_string() == viewer.sign_in,
                    id: row.id.to_string(),
                    started: show(row.created_at),
                    last_seen: show(row.last_seen_at),
                    user_agent: row.user_agent,
                    client_ip: row.client_ip,
                })
                .collect(),
        )
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::Internal)
    }
}
