//! The account's own profile: display name and real name.

use super::validate::{check_name, collect};
use super::{refuse_if_any, Refusal};
use crate::audit::{self, Actor, AuditEntry};
use crate::domain::UserId;
use crate::state::AppState;

/// Saves new names for `user`. Errors: [`Refusal::Invalid`] for `display_name` or
/// `real_name`. The audit entry names the fields that changed, not their values.
pub async fn update_profile(
    state: &AppState,
    user: UserId,
    display_name: &str,
    real_name: &str,
) -> Result<(), Refusal> {
    let mut errors = Vec::new();
    let display_name = collect(&mut errors, "display_name", check_name(display_name));
    let real_name = collect(&mut errors, "real_name", check_name(real_name));
    refuse_if_any(errors)?;
    let (Some(display_name), Some(real_name)) = (display_name, real_name) else {
        unreachable!("names were checked above")
    };
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let before = sqlx::query!(
        "SELECT display_name, real_name FROM users WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
        user.0,
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut changed: Vec<&str> = Vec::new();
    if before.display_name != display_name {
        changed.push("display_name");
    }
    if before.real_name.as_deref() != Some(real_name.as_str()) {
        changed.push("real_name");
    }
    if changed.is_empty() {
        return Ok(());
    }
    sqlx::query!(
        "UPDATE users SET display_name = $2, real_name = $3 WHERE id = $1",
        user.0,
        display_name,
        real_name,
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "user",
            subject_id: user.0,
            action: "update_profile",
            from_state: None,
            to_state: None,
            reason: None,
            changed_fields: &changed,
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
