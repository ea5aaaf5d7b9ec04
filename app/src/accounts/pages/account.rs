//! `/account`: the signed-in person's profile, organisations and roles, sign-ins, data
//! and deletion.

use super::guard::{require, AccessDenied};
use crate::accounts::form::{Field, FieldLabels, PostForm, RedirectNotice};
use crate::accounts::texts::{use_account_texts, AccountTexts};
use crate::auth::{Action, Role, Target};
use crate::components::PageTitle;
use crate::error::AppError;
use crate::errors::ErrorPage;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub fn account_labels(t: &AccountTexts) -> FieldLabels {
    FieldLabels(vec![
        ("display_name", t.display_name),
        ("real_name", t.real_name),
    ])
}

pub fn delete_labels(t: &AccountTexts) -> FieldLabels {
    FieldLabels(vec![("password", t.current_password)])
}

/// What the account page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub email: String,
    pub confirmed: bool,
    pub display_name: String,
    pub real_name: String,
    /// (organisation id, name, verified, roles)
    pub memberships: Vec<(i64, String, bool, Vec<Role>)>,
    pub platform_roles: Vec<Role>,
    /// The account's id (for the "leave" forms).
    pub user: i64,
    /// The confirmed mobile number, masked (`138****5678`).
    pub mobile: Option<String>,
    /// The number a live SMS code was sent to, masked.
    pub pending_mobile: Option<String>,
    /// Whether this deployment can send SMS codes.
    pub sms: bool,
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let t = use_account_texts();
    let mut labels = account_labels(t);
    labels.0.extend(delete_labels(t).0);
    provide_context(labels);
    let viewer = match require(Action::ManageOwnAccount, &Target::none()) {
        Ok(viewer) => viewer,
        Err(error) => return view! { <AccessDenied error /> }.into_any(),
    };
    let summary = Resource::new_blocking(|| (), move |_| load_summary());
    let _ = viewer;
    view! {
        <PageTitle text=t.account />
        <Suspense>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(summary) => view! { <AccountContent summary /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn AccountContent(summary: AccountSummary) -> impl IntoView {
    let t = use_account_texts();
    let role_name = move |role: &Role| role_label(t, *role);
    view! {
        <section class="account">
            <h1>{t.account}</h1>
            <RedirectNotice />
            <section aria-labelledby="profile-heading">
                <h2 id="profile-heading">{t.profile}</h2>
                <p>
                    {t.email} ": " <span data-testid="account-email">{summary.email.clone()}</span> " "
                    {if summary.confirmed {
                        view! { <span class="badge ok" data-testid="email-status">{t.confirmed}</span> }.into_any()
                    } else {
                        view! { <span class="badge" data-testid="email-status">{t.not_confirmed}</span> }.into_any()
                    }}
                </p>
                {(!summary.confirmed).then(|| view! {
                    <p class="hint">{t.unconfirmed_note}</p>
                    <PostForm action="/account/confirmation".to_owned() label=t.resend_confirmation class="inline">
                        <button type="submit" class="secondary">{t.resend_confirmation}</button>
                    </PostForm>
                })}
                {summary.mobile.clone().map(|mobile| view! {
                    <p>{t.mobile} ": " <span data-testid="account-mobile">{mobile}</span> " "
                        <span class="badge ok">{t.confirmed}</span></p>
                })}
                {summary.sms.then(|| view! {
                    <PostForm action="/account/mobile".to_owned() label=t.send_code>
                        <Field name="mobile" label=t.mobile kind="tel" hint=t.mobile_hint autocomplete="tel" maxlength=20 />
                        <button type="submit" class="secondary">{t.send_code}</button>
                    </PostForm>
                })}
                {summary.pending_mobile.clone().map(|mobile| view! {
                    <PostForm action="/account/mobile/confirm".to_owned() label=t.confirm_mobile>
                        <p>{mobile}</p>
                        <Field name="code" label=t.sms_code autocomplete="one-time-code" maxlength=6 />
                        <button type="submit">{t.confirm_mobile}</button>
                    </PostForm>
                })}
                <PostForm action="/account/profile".to_owned() label=t.profile>
                    <Field name="display_name" label=t.display_name hint=t.display_name_hint value=summary.display_name.clone() maxlength=60 />
                    <Field name="real_name" label=t.real_name hint=t.real_name_hint value=summary.real_name.clone() maxlength=60 />
                    <button type="submit">{t.save}</button>
                </PostForm>
            </section>
            <section aria-labelledby="roles-heading">
                <h2 id="roles-heading">{t.organisations_and_roles}</h2>
                {if summary.memberships.is_empty() {
                    view! { <p>{t.no_organisations}</p> }.into_any()
                } else {
                    view! {
                        <ul data-testid="memberships">
                            {summary.memberships.iter().map(|(id, name, verified, roles)| {
                                let user = summary.user;
                                view! {
                                    <li>
                                        {if *verified {
                                            view! { <a href=format!("/organisations/{id}")>{name.clone()}</a> }.into_any()
                                        } else {
                                            view! { <span>{name.clone()}</span> }.into_any()
                                        }}
                                        " (" {if *verified { t.verified } else { t.unverified }} "): "
                                        {roles.iter().map(role_name).collect::<Vec<_>>().join("、")}
                                        {roles.contains(&Role::Admin).then(|| view! {
                                            " · " <a href=format!("/organisations/{id}/members")>{t.members_title}</a>
                                        })}
                                        <PostForm action=format!("/organisations/{id}/members/{user}/remove") label=format!("{} {}", t.leave, name) class="inline">
                                            <button type="submit" class="secondary">{t.leave}</button>
                                        </PostForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                {summary.confirmed.then(|| view! {
                    <p>
                        <a href="/organisations/new">{t.new_organisation}</a> " · "
                        <a href="/organisations/join">{t.ask_to_join}</a>
                    </p>
                })}
                {(!summary.platform_roles.is_empty()).then(|| view! {
                    <p data-testid="platform-roles">
                        {t.platform_roles} ": "
                        {summary.platform_roles.iter().map(role_name).collect::<Vec<_>>().join("、")}
                    </p>
                })}
            </section>
            <section aria-labelledby="sessions-heading">
                <h2 id="sessions-heading">{t.sessions}</h2>
                <p><a href="/account/sessions">{t.manage_sessions}</a></p>
                <p class="hint">{t.sign_out_everywhere_text}</p>
                <PostForm action="/account/sign-out-everywhere".to_owned() label=t.sign_out_everywhere class="inline">
                    <button type="submit" class="secondary">{t.sign_out_everywhere}</button>
                </PostForm>
            </section>
            <section aria-labelledby="data-heading">
                <h2 id="data-heading">{t.your_data}</h2>
                <p>{t.your_data_text}</p>
                <p><a href="/account/data" download="personal-data.json">{t.download_data}</a></p>
            </section>
            <section aria-labelledby="delete-heading" class="danger-zone">
                <h2 id="delete-heading">{t.delete_account}</h2>
                <p>{t.delete_account_text}</p>
                <PostForm action="/account/delete".to_owned() label=t.delete_account>
                    <Field name="password" label=t.delete_confirm_label kind="password" autocomplete="current-password" maxlength=128 />
                    <button type="submit" class="danger">{t.delete_account}</button>
                </PostForm>
            </section>
        </section>
    }
}

/// A role's name in the reader's language.
pub fn role_label(t: &AccountTexts, role: Role) -> &'static str {
    match role {
        Role::Admin => t.role_admin,
        Role::Member => t.role_member,
        Role::Buyer => t.role_buyer,
        Role::PlatformReviewer => t.role_platform_reviewer,
        Role::PlatformAdmin => t.role_platform_admin,
    }
}

async fn load_summary() -> Result<AccountSummary, AppError> {
    #[cfg(feature = "ssr")]
    {
        let viewer = require(Action::ManageOwnAccount, &Target::none())?;
        let state = crate::state::app_state()?;
        let crate::auth::Caller::SignedIn(account) = &viewer.caller else {
            return Err(AppError::Unauthorized);
        };
        let row = sqlx::query!(
            "SELECT email, display_name, real_name, mobile, mobile_confirmed_at IS NOT NULL AS mobile_confirmed
             FROM users WHERE id = $1 AND deleted_at IS NULL",
            account.user.0,
        )
        .fetch_optional(&state.pool)
        .await?
        .ok_or(AppError::Unauthorized)?;
        let names = sqlx::query!(
            "SELECT o.id, o.name FROM memberships m JOIN organisations o ON o.id = m.organisation_id
             WHERE m.user_id = $1",
            account.user.0,
        )
        .fetch_all(&state.pool)
        .await?;
        let memberships = account
            .memberships
            .iter()
            .map(|membership| {
                let name = names
                    .iter()
                    .find(|row| row.id == membership.organisation.0)
                    .map(|row| row.name.clone())
                    .unwrap_or_default();
                (
                    membership.organisation.0,
                    name,
                    membership.verified,
                    membership.roles.clone(),
                )
            })
            .collect();
        Ok(AccountSummary {
            email: row.email.unwrap_or_default(),
            confirmed: account.confirmed,
            display_name: row.display_name,
            real_name: row.real_name.unwrap_or_default(),
            memberships,
            platform_roles: account.platform_roles.clone(),
            user: account.user.0,
            mobile: row
                .mobile
                .filter(|_| row.mobile_confirmed == Some(true))
                .map(|mobile| crate::accounts::sms::masked(&mobile)),
            pending_mobile: crate::accounts::server::tokens::pending_mobile(
                &state.pool,
                account.user,
                state.clock.now(),
            )
            .await?
            .map(|mobile| crate::accounts::sms::masked(&mobile)),
            sms: state.accounts.sms.is_some(),
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::Internal)
    }
}
