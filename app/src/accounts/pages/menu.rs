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
    view! {
        <details class="account-menu" data-testid="account-menu">
            <summary aria-label=t.account_menu>{viewer.display_name.clone()}</summary>
            <ul>
                <li><a href="/account">{t.account}</a></li>
                <li><a href="/account/sessions">{t.sessions}</a></li>
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
