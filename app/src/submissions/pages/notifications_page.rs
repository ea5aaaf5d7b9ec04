//! `/account/notifications`: what happened to the person's submissions and first-purchase
//! records, newest first, each linking where to look;
//! opening the page marks them read.

use crate::accounts::AccessDenied;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::submissions::texts::use_workflow_texts;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationLine {
    pub text: String,
    pub reason: Option<String>,
    /// What `reason` is ("理由", or "采购单位" for a new first-purchase record…).
    pub reason_label: String,
    pub at: String,
    pub unread: bool,
    /// Where to look (a path on this site), when it is not the submissions page.
    pub link: Option<String>,
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let t = use_workflow_texts();
    let lines = Resource::new_blocking(|| (), |_| load());
    view! {
        <PageTitle text=t.notifications />
        <section class="account">
            <h1>{t.notifications}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    match lines.await {
                        Ok(lines) if lines.is_empty() => view! { <p>{t.no_notifications}</p> }.into_any(),
                        Ok(lines) => view! {
                            <ul class="queue" data-testid="notifications">
                                {lines.into_iter().map(|line| view! {
                                    <li class:unread=line.unread>
                                        <p>{match line.link {
                                            Some(link) => view! { <a href=link>{line.text}</a> }.into_any(),
                                            None => line.text.into_any(),
                                        }}</p>
                                        {line.reason.map(|reason| view! { <p>{format!("{}: {reason}", line.reason_label)}</p> })}
                                        <p><small>{line.at}</small></p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <AccessDenied error /> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a href="/account/submissions">{t.submissions}</a></p>
        </section>
    }
}

async fn load() -> Result<Vec<NotificationLine>, AppError> {
    #[cfg(feature = "ssr")]
    {
        use crate::submissions::server::notify::Event;
        let caller = crate::accounts::use_caller();
        let account = caller.signed_in().ok_or(AppError::Unauthorized)?;
        let state = crate::state::app_state()?;
        let zone = state.clock.zone();
        let locale = crate::i18n::use_locale();
        let rows = sqlx::query!(
            "SELECT id, event, title, reason, link, created_at, read_at FROM notifications
             WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 200",
            account.user.0
        )
        .fetch_all(&state.pool)
        .await?;
        sqlx::query!(
            "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL",
            account.user.0,
            state.clock.now()
        )
        .execute(&state.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let event = Event::from_code(&row.event);
                let (zh, en) = event
                    .map(|event| event.sentence(&row.title))
                    .unwrap_or_else(|| (row.title.clone(), row.title.clone()));
                let (label_zh, label_en) = event.map_or(("理由", "Reason"), Event::detail_label);
                NotificationLine {
                    text: if locale == crate::i18n::Locale::ZhCn {
                        zh
                    } else {
                        en
                    },
                    reason: row.reason,
                    reason_label: if locale == crate::i18n::Locale::ZhCn {
                        label_zh
                    } else {
                        label_en
                    }
                    .to_owned(),
                    at: row
                        .created_at
                        .with_timezone(&zone)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                    unread: row.read_at.is_none(),
                    // A path on this site only (never `//host` or `/\\host`, which
                    // browsers read as another site).
                    link: row.link.filter(|link| {
                        link.starts_with('/')
                            && !matches!(link.as_bytes().get(1), Some(b'/' | b'\\'))
                    }),
                }
            })
            .collect())
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::Internal)
    }
}
