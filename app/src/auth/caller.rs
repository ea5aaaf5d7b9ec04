//! The caller of a server function or an API route, as the permission table sees it.

use super::Role;
use crate::domain::{OrganisationId, OrganisationKind, UserId};
use serde::{Deserialize, Serialize};

/// Who is asking: nobody signed in, or an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Caller {
    Anonymous,
    SignedIn(SignedIn),
}

/// A signed-in account, with what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub user: UserId,
    /// Whether the email address (or mobile number) is confirmed. Until it is, the
    /// account may sign in and manage itself but not act for any organisation: its
    /// memberships grant nothing.
    pub confirmed: bool,
    pub memberships: Vec<Membership>,
    /// `PlatformReviewer` and/or `PlatformAdmin`; never an organisation role.
    pub platform_roles: Vec<Role>,
}

/// One organisation the account belongs to, with the set of roles it holds there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub organisation: OrganisationId,
    pub kind: OrganisationKind,
    /// Verified by a platform admin (listed, and its members may submit for review).
    pub verified: bool,
    /// `Admin`, `Member`, and in a government agency or public institution `Buyer`.
    pub roles: Vec<Role>,
}

impl Membership {
    /// An admin of a government agency or public institution.
    pub fn is_agency_admin(&self) -> bool {
        self.roles.contains(&Role::Admin)
            && matches!(
                self.kind,
                OrganisationKind::GovernmentAgency | OrganisationKind::PublicInstitution
            )
    }
}

impl Caller {
    /// The account, if one is signed in.
    pub fn signed_in(&self) -> Option<&SignedIn> {
        match self {
            Caller::Anonymous => None,
            Caller::SignedIn(account) => Some(account),
        }
    }
}

impl SignedIn {
    /// Whether the account holds a power that needs the second factor: platform admin, or
    /// admin of a government agency or public institution (the agency admin).
    pub fn holds_admin_powers(&self) -> bool {
        self.has_platform_role(Role::PlatformAdmin)
            || self.memberships.iter().any(|m| m.is_agency_admin())
    }

    /// The same account without the powers that need the second factor: for a sign-in
    /// that did not pass it. (An agency admin keeps its other roles there.)
    pub fn without_admin_powers(mut self) -> SignedIn {
        self.platform_roles
            .retain(|role| *role != Role::PlatformAdmin);
        for membership in &mut self.memberships {
            if membership.is_agency_admin() {
                membership.roles.retain(|role| *role != Role::Admin);
            }
        }
        self
    }

    /// The membership in `organisation`, if the account may act for it (confirmed).
    pub fn acting_for(&self, organisation: OrganisationId) -> Option<&Membership> {
        if !self.confirmed {
            return None;
        }
        self.memberships
            .iter()
            .find(|membership| membership.organisation == organisation)
    }

    /// Whether the account holds a platform role.
    pub fn has_platform_role(&self, role: Role) -> bool {
        self.platform_roles.contains(&role)
    }
}

/// The one way an API route or server function gets its caller: the viewer the session
/// middleware resolved for this request (`server::sessions`), else anonymous. In a server
/// function, `leptos_axum::extract::<Caller>()`; in an axum handler, an argument.
#[cfg(feature = "ssr")]
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<crate::accounts::Viewer>()
            .map_or(Caller::Anonymous, |viewer| viewer.caller.clone()))
    }
}
