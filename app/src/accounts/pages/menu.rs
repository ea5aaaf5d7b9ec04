//! The header's account menu: sign in and sign up for visitors; for a signed-in person
//! their name, what their roles allow, and signing out (a POST, so a link cannot sign
//! anyone out).

use crate::accounts::form::CSRF_FIELD;
use crate::accounts::texts::use_account_texts;
use crate::accounts::viewer::use_viewer;
use crate::auth::{check, Action, Target};
use leptos::prelude::*;

#[component]
pub fn AccountMenu() -> impl IntoView {
    let t = use_account_texts();
    let Some(viewer) = use_viewer() else {
        return view! {
            <div class="account-menu">
                <a href="/sign-in">{t.sign_in}</a>
                <a href="/sign-up">{t.sign_up}</a>
            </div>
        }
        .into_any();
    };
    let allowed = |action| check(&viewer.caller, action, &Target::none()).is_ok();
    let mailbox = allowed(Action::ReadDemoMailbox);
    let verify = allowed(Action::VerifyOrganisation);
    let suspend = allowed(Action::SuspendAccount);
    let audit = allowed(Action::ReadAuditLog);
    // The organisations the person manages.
    let managed: Vec<i64> = viewer
        .caller
        .signed_in()
        .map(|account| {
            account
                .memberships
                .iter()
                .filter(|m| {
                    check(
                        &viewer.caller,
                        Action::ManageMembers,
                        &Target::organisation(m.organisation),
                    )
                    .is_ok()
                })
                .map(|m| m.organisation.0)
                .collect()
        })
        .unwrap_or_default();
    let confirmed = allowed(Action::CreateOrganisation);
    let calendar = allowed(Action::EditHolidayCalendar);
    let writes = viewer.caller.signed_in().is_some_and(|account| {
        account.memberships.iter().any(|m| {
            check(
                &viewer.caller,
                Action::PrepareDraft,
                &Target::organisation(m.organisation),
            )
            .is_ok()
        })
    });
    let w = crate::submissions::texts::use_workflow_texts();
    let runs_calls = viewer.caller.signed_in().is_some_and(|account| {
        account.memberships.iter().any(|m| {
            check(
                &viewer.caller,
                Action::ManageCall,
                &Target {
                    call_agency: Some(m.organisation),
                    ..Target::none()
                },
            )
            .is_ok()
        })
    });
    view! {
        <details class="account-menu" data-testid="account-menu">
            <summary aria-label=t.account_menu>{viewer.display_name.clone()}</summary>
            <ul>
                <li><a href="/account">{t.account}</a></li>
                <li><a href="/account/sessions">{t.sessions}</a></li>
                <li><a href="/account/second-factor">{t.second_factor}</a></li>
                <li><a href="/account/notifications">{w.notifications}</a></li>
                {writes.then(|| view! { <li><a href="/account/submissions">{w.submissions}</a></li> })}
                {confirmed.then(|| view! { <li><a href="/review">{w.review_queue}</a></li> })}
                {runs_calls.then(|| view! { <li><a href="/agency">{w.agency}</a></li> })}
                {managed.into_iter().map(|id| view! {
                    <li><a href=format!("/organisations/{id}/members")>{t.members_title}</a></li>
                }).collect_view()}
                {confirmed.then(|| view! {
                    <li><a href="/organisations/new">{t.new_organisation}</a></li>
                    <li><a href="/organisations/join">{t.ask_to_join}</a></li>
                })}
                {verify.then(|| view! { <li><a href="/admin/organisations">{t.admin_organisations}</a></li> })}
                {suspend.then(|| view! { <li><a href="/admin/users">{t.admin_users}</a></li> })}
                {audit.then(|| view! { <li><a href="/admin/audit">{t.admin_audit}</a></li> })}
                {calendar.then(|| view! { <li><a href="/admin/calendar">{w.holiday_calendar}</a></li> })}
                {calendar.then(|| view! {
                    <li><a href="/admin/first-purchase-rule">{w.first_purchase_rule}</a></li>
                    <li><a href="/admin/first-purchase-disputes">{w.first_purchase_disputes}</a></li>
                })}
                {mailbox.then(|| view! { <li><a href="/admin/mailbox">{t.mailbox_title}</a></li> })}
                <li>
                    <form method="post" action="/sign-out">
                        <input type="hidden" name=CSRF_FIELD value=viewer.csrf_token.clone() />
                        <button type="submit" class="link">{t.sign_out}</button>
                    </form>
                </li>
            </ul>
        </details>
    }
    .into_any()
}

/// Says, on every page, that the signed-in person's admin powers wait for the second
/// factor, with the way to set it up.
#[component]
pub fn SecondFactorBanner() -> impl IntoView {
    let t = use_account_texts();
    use_viewer()
        .filter(|viewer| viewer.needs_second_factor)
        .map(|_| {
            view! {
                <p class="status-banner" role="status" data-testid="second-factor-required">
                    {t.second_factor_required} " "
                    <a href="/account/second-factor">{t.set_up_second_factor}</a>
                </p>
            }
        })
}
