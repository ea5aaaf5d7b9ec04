//! The audit log: who did what to which record, when, from what state to what, and why.
//! Append-only (a trigger refuses updates and deletes). Entries hold ids, actions, states
//! and codes, never a person's name, email or other personal values, so deleting an
//! account never needs to touch the log.

use crate::domain::UserId;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in account.
    User(UserId),
    /// The server itself: the scheduler, the demo catalogue's loader.
    System,
    /// An operator at the command line (`catalogue admin …`).
    Cli,
}

impl Actor {
    fn code(self) -> &'static str {
        match self {
            Actor::User(_) => "user",
            Actor::System => "system",
            Actor::Cli => "cli",
        }
    }
}

/// An account when there is one, else the server itself.
impl From<Option<UserId>> for Actor {
    fn from(user: Option<UserId>) -> Actor {
        user.map_or(Actor::System, Actor::User)
    }
}

/// One entry of the log.
pub struct AuditEntry<'a> {
    pub actor: Actor,
    /// `organisation`, `product`, `scenario`, `project`, `call`, `first_purchase`, `user`.
    pub subject_kind: &'a str,
    pub subject_id: i64,
    /// What was done (`publish`, `verify`, `grant_platform_role`, …).
    pub action: &'a str,
    pub from_state: Option<&'a str>,
    pub to_state: Option<&'a str>,
    pub reason: Option<&'a str>,
    /// The names of the fields a change touched (`display_name`, `roles`), never their
    /// values.
    pub changed_fields: &'a [&'a str],
    /// From the server's clock.
    pub at: DateTime<Utc>,
}

/// Appends `entry` inside the caller's transaction, so the log and the change it records
/// commit together or not at all.
pub async fn record(tx: &mut PgConnection, entry: AuditEntry<'_>) -> Result<(), sqlx::Error> {
    let actor_id = match entry.actor {
        Actor::User(user) => Some(user.0),
        Actor::System | Actor::Cli => None,
    };
    sqlx::query!(
        "INSERT INTO audit_log (actor_id, actor_kind, subject_kind, subject_id, action,
                                from_state, to_state, reason, changed_fields, at)
         VALUES ($1, ($2::text)::audit_actor, ($3::text)::subject_kind, $4, $5, $6, $7, $8, $9, $10)",
        actor_id,
        entry.actor.code(),
        entry.subject_kind,
        entry.subject_id,
        entry.action,
        entry.from_state,
        entry.to_state,
        entry.reason,
        &entry
            .changed_fields
            .iter()
            .map(|field| (*field).to_owned())
            .collect::<Vec<_>>(),
        entry.at
    )
    .execute(tx)
    .await?;
    Ok(())
}
