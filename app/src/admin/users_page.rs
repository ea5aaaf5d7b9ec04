//! `/admin/users?email=…`: finding accounts by address, suspending them and lifting the
//! suspension.

use crate::accounts::form::{Field, FieldLabels, PostForm, RedirectNotice};
use crate::accounts::texts::{use_account_texts, AccountTexts};
use crate::accounts::AccessDenied;
use crate::components::PageTitle;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub fn admin_user_labels(t: &AccountTexts) -> FieldLabels {
    FieldLabels(vec![("reason", t.reason)])
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub suspended: bool,
    pub created: String,
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let t = use_account_texts();
    provide_context(admin_user_labels(t));
    let email = crate::components::request_query()
        .into_iter()
        .find(|(name, _)| name == "email")
        .map(|(_, value)| value.trim().to_owned())
        .unwrap_or_default();
    let rows = Resource::new_blocking(
        {
            let email = email.clone();
            move || email.clone()
        },
        load,
    );
    view! {
        <PageTitle text=t.admin_users />
        <Suspense>
            {move || {
                let email = email.clone();
                Suspend::new(async move {
                    match rows.await {
                        Ok(rows) => view! {
                            <section class="account">
                                <h1>{t.admin_users}</h1>
                                <p>{t.admin_users_lead}</p>
                                <RedirectNotice />
                                <form method="get" action="/admin/users" class="inline" role="search">
                                    <label for="find-email">{t.email}</label>
                                    " "
                                    <input id="find-email" type="search" name="email" value=email.clone() maxlength="254" />
                                    " "
                                    <button type="submit">{t.find}</button>
                                </form>
                                {(!email.is_empty() && rows.is_empty()).then(|| view! { <p>{t.no_accounts_found}</p> })}
                                <ul class="queue" data-testid="accounts">
                                    {rows.into_iter().map(|row| view! {
                                        <li>
                                            <strong>{row.display_name.clone()}</strong> " " {row.email.clone()} " · #" {row.id} " · " {row.created.clone()} " · "
                                            {if row.suspended { t.suspended } else { t.active }}
                                            {if row.suspended {
                                                view! {
                                                    <PostForm action=format!("/admin/users/{}/lift", row.id) label=format!("{} {}", t.lift_suspension, row.email)>
                                                        <button type="submit">{t.lift_suspension}</button>
                                                    </PostForm>
                                                }.into_any()
                                            } else {
                                                view! {
                                                    <PostForm action=format!("/admin/users/{}/suspend", row.id) label=format!("{} {}", t.suspend, row.email)>
                                                        <Field name="reason" label=t.reason maxlength=500 />
                                                        <button type="submit" class="danger">{t.suspend}</button>
                                                    </PostForm>
                                                }.into_any()
                                            }}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        }.into_any(),
                        Err(error) => view! { <AccessDenied error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Accounts whose address contains `email` (at most 50). Errors: 401/403.
async fn load(email: String) -> Result<Vec<AccountRow>, AppError> {
    #[cfg(feature = "ssr")]
    {
        crate::accounts::require(
            crate::auth::Action::SuspendAccount,
            &crate::auth::Target::none(),
        )?;
        if email.is_empty() {
            return Ok(Vec::new());
        }
        let state = crate::state::app_state()?;
        let zone = state.clock.zone();
        // LIKE's wildcards in the address are matched as themselves.
        let pattern = format!(
            "%{}%",
            email
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        Ok(sqlx::query!(
            "SELECT id, email, display_name, suspended_at IS NOT NULL AS suspended, created_at
             FROM users WHERE deleted_at IS NULL AND lower(email) LIKE $1
             ORDER BY email LIMIT 50",
            pattern
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|row| AccountRow {
            id: row.id,
            email: row.email.unwrap_or_default(),
            display_name: row.display_name,
            suspended: row.suspended == Some(true),
            created: row
                .created_at
                .with_timezone(&zone)
                .format("%Y-%m-%d")
                .to_string(),
        })
        .collect())
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = email;
        Err(AppError::Internal)
    }
}
