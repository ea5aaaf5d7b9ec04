//! Reading the caller from the database: the account, its memberships and platform roles.

use super::{Caller, Membership, Role, SignedIn};
use crate::domain::{OrganisationId, OrganisationKind, UserId};
use crate::error::AppError;
use sqlx::PgPool;

/// The caller that account `user` is now: [`Caller::Anonymous`] when the account does not
/// exist, was deleted or is suspended (a session that outlived either grants nothing),
/// else the account with every membership (its organisation's kind and verification, its
/// set of roles) and its platform roles.
///
/// Errors: [`AppError::Unavailable`] when the database cannot answer.
pub async fn load_caller(pool: &PgPool, user: UserId) -> Result<Caller, AppError> {
    let Some(account) = sqlx::query!(
        r#"SELECT (email_confirmed_at IS NOT NULL OR mobile_confirmed_at IS NOT NULL) AS "confirmed!"
           FROM users
           WHERE id = $1 AND deleted_at IS NULL AND suspended_at IS NULL"#,
        user.0,
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(Caller::Anonymous);
    };
    let memberships = sqlx::query!(
        r#"SELECT m.organisation_id, o.kind::text AS "kind!",
                  o.verified_at IS NOT NULL AS "verified!", m.roles::text[] AS "roles!"
           FROM memberships m JOIN organisations o ON o.id = m.organisation_id
           WHERE m.user_id = $1
           ORDER BY m.organisation_id"#,
        user.0,
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| {
        Ok(Membership {
            organisation: OrganisationId(row.organisation_id),
            kind: OrganisationKind::from_code(&row.kind).ok_or(AppError::Internal)?,
            verified: row.verified,
            roles: row
                .roles
                .iter()
                .map(|code| Role::from_membership_code(code).ok_or(AppError::Internal))
                .collect::<Result<_, _>>()?,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let platform_roles = sqlx::query_scalar!(
        r#"SELECT role::text AS "role!" FROM platform_roles WHERE user_id = $1 ORDER BY role"#,
        user.0,
    )
    .fetch_all(pool)
    .await?
    .iter()
    .map(|code| platform_role(code).ok_or(AppError::Internal))
    .collect::<Result<_, _>>()?;
    Ok(Caller::SignedIn(SignedIn {
        user,
        confirmed: account.confirmed,
        memberships,
        platform_roles,
    }))
}

/// A `platform_role` value (`reviewer`, `admin`) as the permission table's role.
fn platform_role(code: &str) -> Option<Role> {
    match code {
        "reviewer" => Some(Role::PlatformReviewer),
        "admin" => Some(Role::PlatformAdmin),
        _ => None,
    }
}
