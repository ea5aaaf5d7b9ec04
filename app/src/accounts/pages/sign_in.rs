//! `/sign-in`: address and password. `?next=/path` says where to go afterwards (a path on
//! this site only).

use crate::accounts::form::{Field, FieldLabels, PostForm, RedirectNotice};
use crate::accounts::texts::{use_account_texts, AccountTexts};
use crate::components::PageTitle;
use leptos::prelude::*;

pub fn sign_in_labels(t: &AccountTexts) -> FieldLabels {
    FieldLabels(vec![("email", t.email), ("password", t.password)])
}

/// Where to go after signing in: `next` when it is a path on this site (never another
/// site: `//evil.example` and `/\evil.example` are refused), else `/account`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/account".to_owned(),
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let t = use_account_texts();
    provide_context(sign_in_labels(t));
    let next = crate::components::request_query()
        .into_iter()
        .find(|(name, _)| name == "next")
        .map(|(_, value)| value);
    let action = match &next {
        Some(next) => format!("/sign-in?next={}", crate::url::encode_query_value(next)),
        None => "/sign-in".to_owned(),
    };
    view! {
        <PageTitle text=t.sign_in />
        <section class="account-form narrow">
            <h1>{t.sign_in}</h1>
            <RedirectNotice />
            <PostForm action label=t.sign_in>
                <Field name="email" label=t.email kind="email" autocomplete="username" maxlength=254 />
                <Field name="password" label=t.password kind="password" autocomplete="current-password" maxlength=128 />
                <button type="submit">{t.sign_in}</button>
            </PostForm>
            <p>
                <a href="/reset">{t.forgot_password}</a>
            </p>
            <p>
                {t.no_account} " " <a href="/sign-up">{t.sign_up}</a>
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_on_this_site_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/products/3?x=1")), "/products/3?x=1");
        assert_eq!(safe_next(Some("//evil.example/")), "/account");
        assert_eq!(safe_next(Some("/\\evil.example")), "/account");
        assert_eq!(safe_next(Some("https://evil.example/")), "/account");
        assert_eq!(safe_next(Some("/a\r\nSet-Cookie: x")), "/account");
        assert_eq!(safe_next(None), "/account");
    }
}
