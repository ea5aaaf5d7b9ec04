//! `/organisations/{id}/members`: the members of an organisation, their roles and the
//! open requests to join, for the organisation's admins.

use crate::accounts::form::{FieldLabels, PostForm, RedirectNotice};
use crate::accounts::texts::{use_account_texts, AccountTexts};
use crate::accounts::{role_label, use_viewer, AccessDenied};
use crate::auth::Role;
use crate::components::PageTitle;
use crate::domain::{OrganisationId, OrganisationKind};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

pub fn roles_labels(t: &AccountTexts) -> FieldLabels {
    FieldLabels(vec![("roles", t.roles), ("member", t.members)])
}

/// One member as the page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub user: i64,
    pub display_name: String,
    pub email: String,
    pub roles: Vec<Role>,
    pub since: String,
}

/// One open request to join.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRow {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub message: String,
    pub at: String,
}

/// What the page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersView {
    pub id: i64,
    pub name: String,
    pub kind: OrganisationKind,
    pub verified: bool,
    pub members: Vec<MemberRow>,
    pub requests: Vec<RequestRow>,
}

#[component]
pub fn MembersPage() -> impl IntoView {
    let t = use_account_texts();
    provide_context(roles_labels(t));
    let id = use_params_map().with_untracked(|params| {
        params
            .get("id")
            .and_then(|id| id.parse::<OrganisationId>().ok())
    });
    let view = Resource::new_blocking(move || id, load);
    view! {
        <PageTitle text=t.members_title />
        <Suspense>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(view) => view! { <MembersContent view /> }.into_any(),
                    Err(error) => view! { <AccessDenied error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MembersContent(view: MembersView) -> impl IntoView {
    let t = use_account_texts();
    let agency = matches!(
        view.kind,
        OrganisationKind::GovernmentAgency | OrganisationKind::PublicInstitution
    );
    let me = use_viewer()
        .and_then(|viewer| viewer.caller.signed_in().map(|account| account.user.0))
        .unwrap_or_default();
    let id = view.id;
    let choices: Vec<Role> = if agency {
        vec![Role::Admin, Role::Member, Role::Buyer]
    } else {
        vec![Role::Admin, Role::Member]
    };
    view! {
        <section class="account">
            <h1>{format!("{} · {}", view.name, t.members_title)}</h1>
            <p>
                {if view.verified { t.verified } else { t.unverified }}
            </p>
            <RedirectNotice />
            <h2>{t.requests}</h2>
            {if view.requests.is_empty() {
                view! { <p>{t.no_requests}</p> }.into_any()
            } else {
                view! {
                    <ul class="requests" data-testid="join-requests">
                        {view.requests.into_iter().map(|request| view! {
                            <li>
                                <strong>{request.display_name}</strong> " " {request.email} " · " {request.at}
                                <p>{request.message}</p>
                                <PostForm action=format!("/organisations/{id}/requests/{}/accept", request.id) label=t.accept class="inline">
                                    <button type="submit">{t.accept}</button>
                                </PostForm>
                                <PostForm action=format!("/organisations/{id}/requests/{}/refuse", request.id) label=t.refuse class="inline">
                                    <button type="submit" class="secondary">{t.refuse}</button>
                                </PostForm>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h2>{t.members}</h2>
            <div class="table-scroll">
                <table data-testid="members">
                    <thead><tr>
                        <th scope="col">{t.display_name}</th>
                        <th scope="col">{t.email}</th>
                        <th scope="col">{t.member_since}</th>
                        <th scope="col">{t.roles}</th>
                        <th scope="col"><span class="sr-only">{t.remove}</span></th>
                    </tr></thead>
                    <tbody>
                        {view.members.into_iter().map(|member| {
                            let user = member.user;
                            let choices = choices.clone();
                            let name = member.display_name.clone();
                            let roles_label = format!("{} · {}", t.roles, name);
                            let held = member.roles.clone();
                            view! {
                                <tr>
                                    <td>{member.display_name.clone()}</td>
                                    <td>{member.email.clone()}</td>
                                    <td>{member.since.clone()}</td>
                                    <td>
                                        <PostForm action=format!("/organisations/{id}/members/{user}/roles") label=roles_label.clone() class="inline roles">
                                            <fieldset>
                                                <legend class="sr-only">{roles_label.clone()}</legend>
                                                {choices.iter().map(|role| {
                                                    let checked = held.contains(role);
                                                    let input_id = format!("role-{user}-{}", role.code());
                                                    view! {
                                                        <label class="check" for=input_id.clone()>
                                                            <input type="checkbox" id=input_id.clone() name="roles" value=role.code() checked=checked />
                                                            {role_label(t, *role)}
                                                        </label>
                                                    }
                                                }).collect_view()}
                                            </fieldset>
                                            <button type="submit" class="secondary">{t.save_roles}</button>
                                        </PostForm>
                                    </td>
                                    <td>
                                        <PostForm action=format!("/organisations/{id}/members/{user}/remove") label=format!("{} {}", t.remove, name) class="inline">
                                            <button type="submit" class="secondary">{if user == me { t.leave } else { t.remove }}</button>
                                        </PostForm>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Errors: 404 for an unknown id, 401/403 for anyone but the organisation's admins.
async fn load(id: Option<OrganisationId>) -> Result<MembersView, AppError> {
    #[cfg(feature = "ssr")]
    {
        let id = id.ok_or(AppError::NotFound)?;
        crate::accounts::require(
            crate::auth::Action::ManageMembers,
            &crate::auth::Target::organisation(id),
        )?;
        let state = crate::state::app_state()?;
        let zone = state.clock.zone();
        let show = |at: chrono::DateTime<chrono::Utc>| {
            at.with_timezone(&zone).format("%Y-%m-%d").to_string()
        };
        let organisation = sqlx::query!(
            r#"SELECT id, name, kind AS "kind: OrganisationKind", verified_at IS NOT NULL AS "verified!"
               FROM organisations WHERE id = $1"#,
            id.0
        )
        .fetch_optional(&state.pool)
        .await?
        .ok_or(AppError::NotFound)?;
        let members = sqlx::query!(
            r#"SELECT u.id, u.display_name, u.email, m.roles::text[] AS "roles!", m.created_at
               FROM memberships m JOIN users u ON u.id = m.user_id
               WHERE m.organisation_id = $1 ORDER BY m.created_at, u.id"#,
            id.0
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|row| MemberRow {
            user: row.id,
            display_name: row.display_name,
            email: row.email.unwrap_or_default(),
            roles: row
                .roles
                .iter()
                .filter_map(|code| Role::from_membership_code(code))
                .collect(),
            since: show(row.created_at),
        })
        .collect();
        let requests = sqlx::query!(
            "SELECT r.id, u.display_name, u.email, r.message, r.created_at
             FROM join_requests r JOIN users u ON u.id = r.user_id
             JOIN organisations o ON o.id = r.organisation_id
             WHERE r.organisation_id = $1 AND r.status = 'pending'
               AND u.deleted_at IS NULL AND u.suspended_at IS NULL
               -- Claims (no admin, or not verified yet) are the platform admins' to decide.
               AND o.verified_at IS NOT NULL
             ORDER BY r.created_at, r.id",
            id.0
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|row| RequestRow {
            id: row.id,
            display_name: row.display_name,
            email: row.email.unwrap_or_default(),
            message: row.message,
            at: show(row.created_at),
        })
        .collect();
        Ok(MembersView {
            id: organisation.id,
            name: organisation.name,
            kind: organisation.kind,
            verified: organisation.verified,
            members,
            requests,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = id;
        Err(AppError::Internal)
    }
}
