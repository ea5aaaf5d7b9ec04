//! Who is looking at the page: resolved once per request by the server's session
//! middleware (`server::sessions`) and put into the request's extensions, where pages,
//! server functions and API routes read it.

use crate::auth::Caller;

/// The signed-in person of this request, with the caller the permission table checks.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub caller: Caller,
    /// The account's display name, for the page header.
    pub display_name: String,
    /// The session's token that every form post carries (CSRF).
    pub csrf_token: String,
    /// The sign-in (one row of `sign_ins`) this request belongs to.
    pub sign_in: String,
    /// Admin powers the account holds but that do not count in this sign-in, because it
    /// did not pass the second factor (the page then says how to set it up).
    pub needs_second_factor: bool,
}

/// The signed-in person, when there is one. Only the server renders pages, so in the
/// browser this is always `None`.
pub fn use_viewer() -> Option<Viewer> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Viewer>().cloned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The caller of this request: [`Caller::Anonymous`] when nobody is signed in.
pub fn use_caller() -> Caller {
    use_viewer().map_or(Caller::Anonymous, |viewer| viewer.caller)
}
