//! `/admin/mailbox`: in a demo or test deployment without SMTP, the mail the site sent,
//! kept as `.eml` files under the data folder, readable by platform admins only. Any
//! other deployment answers 404: the page does not exist there.

use super::guard::AccessDenied;
use crate::accounts::texts::use_account_texts;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::errors::ErrorPage;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// One message: its file name (its id), recipient, subject, time (Beijing) and text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxMessage {
    pub name: String,
    pub to: String,
    pub subject: String,
    pub date: String,
    pub body: String,
}

#[component]
pub fn MailboxPage() -> impl IntoView {
    let t = use_account_texts();
    let messages = Resource::new_blocking(|| (), |_| load_messages(None));
    view! {
        <PageTitle text=t.mailbox_title />
        <Suspense>
            {move || Suspend::new(async move {
                match messages.await {
                    Ok(messages) => view! {
                        <section class="account">
                            <h1>{t.mailbox_title}</h1>
                            <p>{t.mailbox_lead}</p>
                            {if messages.is_empty() {
                                view! { <p>{t.mailbox_empty}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll">
                                        <table data-testid="mailbox">
                                            <thead><tr>
                                                <th scope="col">{t.mail_received}</th>
                                                <th scope="col">{t.mail_to}</th>
                                                <th scope="col">{t.mail_subject}</th>
                                            </tr></thead>
                                            <tbody>
                                                {messages.into_iter().map(|message| view! {
                                                    <tr>
                                                        <td>{message.date}</td>
                                                        <td>{message.to}</td>
                                                        <td><a href=format!("/admin/mailbox/{}", message.name)>{message.subject}</a></td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                    Err(error) => view! { <MailboxError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn MailboxMessagePage() -> impl IntoView {
    let t = use_account_texts();
    let name = use_params_map().with_untracked(|params| params.get("name").unwrap_or_default());
    let message = Resource::new_blocking(move || name.clone(), |name| load_messages(Some(name)));
    view! {
        <PageTitle text=t.mailbox_title />
        <Suspense>
            {move || Suspend::new(async move {
                match message.await.map(|mut found| found.pop()) {
                    Ok(Some(message)) => view! {
                        <article class="account mail-message">
                            <h1>{message.subject}</h1>
                            <p>{t.mail_to} ": " {message.to}</p>
                            <p>{t.mail_received} ": " {message.date}</p>
                            <pre data-testid="mail-body">{message.body}</pre>
                            <p><a href="/admin/mailbox">{t.mailbox_title}</a></p>
                        </article>
                    }.into_any(),
                    Ok(None) => view! { <ErrorPage error=AppError::NotFound /> }.into_any(),
                    Err(error) => view! { <MailboxError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MailboxError(error: AppError) -> impl IntoView {
    view! { <AccessDenied error /> }
}

/// All messages, newest first, or the one named `name`. Errors: 404 when this deployment
/// has no mailbox, 401/403 for anyone but a platform admin.
async fn load_messages(name: Option<String>) -> Result<Vec<MailboxMessage>, AppError> {
    #[cfg(feature = "ssr")]
    {
        let state = crate::state::app_state()?;
        let Some(folder) = state.accounts.mailbox.clone() else {
            return Err(AppError::NotFound);
        };
        super::guard::require(
            crate::auth::Action::ReadDemoMailbox,
            &crate::auth::Target::none(),
        )?;
        let zone = state.clock.zone();
        tokio::task::spawn_blocking(move || read_mailbox(&folder, name.as_deref(), zone))
            .await
            .map_err(|_| AppError::Internal)?
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = name;
        Err(AppError::Internal)
    }
}

/// Reads the `.eml` files of `folder` (one, when `only` names it).
#[cfg(feature = "ssr")]
fn read_mailbox(
    folder: &std::path::Path,
    only: Option<&str>,
    zone: chrono_tz::Tz,
) -> Result<Vec<MailboxMessage>, AppError> {
    // A name is a file of the folder, never a path elsewhere.
    if let Some(name) = only {
        let plain = name.ends_with(".eml")
            && name.len() <= 80
            && name[..name.len() - 4]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !plain {
            return Err(AppError::NotFound);
        }
    }
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(_) => return Err(AppError::Internal),
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".eml") || only.is_some_and(|only| only != name) {
            continue;
        }
        let Ok(raw) = std::fs::read(entry.path()) else {
            continue;
        };
        let modified = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .map(chrono::DateTime::<chrono::Utc>::from)
            .unwrap_or_default();
        let Some(parsed) = mail_parser::MessageParser::default().parse(&raw) else {
            continue;
        };
        let to = parsed
            .to()
            .and_then(|to| to.first())
            .and_then(|address| address.address())
            .unwrap_or_default()
            .to_owned();
        found.push((
            modified,
            MailboxMessage {
                name,
                to,
                subject: parsed.subject().unwrap_or_default().to_owned(),
                date: modified
                    .with_timezone(&zone)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
                body: parsed
                    .body_text(0)
                    .map(|body| body.into_owned())
                    .unwrap_or_default(),
            },
        ));
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.name.cmp(&a.1.name)));
    Ok(found.into_iter().map(|(_, message)| message).collect())
}
