//! `catalogue admin …`: what only an operator at the command line may do.

use anyhow::{bail, Result};
use app::audit::{Actor, AuditEntry};
use app::clock::Clock;
use app::domain::UserId;
use sqlx::PgPool;

/// What granting did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granted {
    /// The account now holds the role (audited).
    Now(UserId),
    /// It held it already; nothing changed.
    Already(UserId),
}

/// Gives the platform admin role to the existing account with this email address
/// (compared without regard to case), audited with the actor `cli`. The first platform
/// admin can be made only this way.
///
/// Errors: no account (or only a deleted one) has this address; the database failed.
pub async fn grant_platform_admin(pool: &PgPool, clock: &Clock, email: &str) -> Result<Granted> {
    let mut tx = pool.begin().await?;
    let Some(user) = sqlx::query_scalar!(
        "SELECT id FROM users WHERE lower(email) = lower($1) AND deleted_at IS NULL",
        email.trim()
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        bail!("no account has the email address {:?}", email.trim());
    };
    let inserted = sqlx::query!(
        "INSERT INTO platform_roles (user_id, role) VALUES ($1, 'admin') ON CONFLICT DO NOTHING",
        user
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(Granted::Already(UserId(user)));
    }
    app::audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::Cli,
            subject_kind: "user",
            subject_id: user,
            action: "grant_platform_role",
            from_state: None,
            to_state: Some("platform_admin"),
            reason: None,
            changed_fields: &[],
            at: clock.now(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Granted::Now(UserId(user)))
}
