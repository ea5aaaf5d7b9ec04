//! `/account/data`: everything the site stores about the person, as one JSON document
//! (PIPL art. 45, the right to access and copy one's personal information).

use crate::domain::UserId;
use crate::error::AppError;
use serde_json::{json, Value};
use sqlx::PgPool;

/// The person's data: the account, memberships, platform roles, sign-ins and the audit
/// entries of their own actions. Errors: [`AppError::NotFound`] for a deleted account.
pub async fn personal_data(pool: &PgPool, user: UserId) -> Result<Value, AppError> {
    let account = sqlx::query!(
        "SELECT id, email, mobile, display_name, real_name, email_confirmed_at,
                mobile_confirmed_at, privacy_version, privacy_consent_at, created_at,
                password_changed_at
         FROM users WHERE id = $1 AND deleted_at IS NULL",
        user.0,
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let memberships = sqlx::query!(
        r#"SELECT m.organisation_id, o.name, m.roles::text[] AS "roles!", m.created_at
           FROM memberships m JOIN organisations o ON o.id = m.organisation_id
           WHERE m.user_id = $1 ORDER BY m.organisation_id"#,
        user.0,
    )
    .fetch_all(pool)
    .await?;
    let platform_roles = sqlx::query_scalar!(
        r#"SELECT role::text AS "role!" FROM platform_roles WHERE user_id = $1 ORDER BY role"#,
        user.0,
    )
    .fetch_all(pool)
    .await?;
    let sign_ins = super::sign_ins::list(pool, user).await?;
    let requests = sqlx::query!(
        r#"SELECT organisation_id, message, status::text AS "status!", created_at, decided_at
           FROM join_requests WHERE user_id = $1 ORDER BY id"#,
        user.0,
    )
    .fetch_all(pool)
    .await?;
    let second_factor = super::second_factor::is_enabled(pool, user).await?;
    let actions = sqlx::query!(
        r#"SELECT subject_kind::text AS "subject_kind!", subject_id, action, from_state,
                  to_state, changed_fields, at
           FROM audit_log WHERE actor_id = $1 ORDER BY at, id"#,
        user.0,
    )
    .fetch_all(pool)
    .await?;
    Ok(json!({
        "format": "innovation-catalogue personal data, version 1",
        "account": {
            "id": account.id,
            "email": account.email,
            "mobile": account.mobile,
            "display_name": account.display_name,
            "real_name": account.real_name,
            "email_confirmed_at": account.email_confirmed_at,
            "mobile_confirmed_at": account.mobile_confirmed_at,
            "privacy_policy_version": account.privacy_version,
            "privacy_consent_at": account.privacy_consent_at,
            "created_at": account.created_at,
            "password_changed_at": account.password_changed_at,
            // Whether it is on; its secret and recovery codes are never exported.
            "second_factor": second_factor,
        },
        "memberships": memberships.iter().map(|m| json!({
            "organisation_id": m.organisation_id,
            "organisation_name": m.name,
            "roles": m.roles,
            "since": m.created_at,
        })).collect::<Vec<_>>(),
        "platform_roles": platform_roles,
        "join_requests": requests.iter().map(|r| json!({
            "organisation_id": r.organisation_id,
            "message": r.message,
            "status": r.status,
            "asked_at": r.created_at,
            "decided_at": r.decided_at,
        })).collect::<Vec<_>>(),
        "sign_ins": sign_ins.iter().map(|s| json!({
            "started_at": s.created_at,
            "last_seen_at": s.last_seen_at,
            "user_agent": s.user_agent,
            "ip_address": s.client_ip,
        })).collect::<Vec<_>>(),
        "own_actions": actions.iter().map(|a| json!({
            "subject_kind": a.subject_kind,
            "subject_id": a.subject_id,
            "action": a.action,
            "from_state": a.from_state,
            "to_state": a.to_state,
            "changed_fields": a.changed_fields,
            "at": a.at,
        })).collect::<Vec<_>>(),
    }))
}
