//! Deleting an account (PIPL art. 47): the person's name, email address, mobile number,
//! password, second factor, sign-ins, tokens and queued mail are erased from the database; the row stays
//! with its id, so the audit log (which holds ids, never personal values) still reads.
//! Organisations' public records stay and name the organisation.

use super::sign_ins;
use super::Refusal;
use crate::accounts::form::{FieldError, Problem};
use crate::audit::{self, Actor, AuditEntry};
use crate::domain::UserId;
use crate::state::AppState;

/// Deletes `user` after checking `password`. Errors: [`Refusal::Invalid`] for `password`
/// when it is wrong, or when the account is the only admin of an organisation that has
/// other members (it cannot be left without one).
pub async fn delete_account(state: &AppState, user: UserId, password: &str) -> Result<(), Refusal> {
    // The organisation rule first: while the account cannot be deleted anyway, a right
    // password is answered as a wrong one would be (the form is no password oracle).
    if is_sole_admin(&state.pool, user).await? {
        return Err(last_admin());
    }
    let stored = sqlx::query_scalar!(
        "SELECT password_hash FROM users WHERE id = $1 AND deleted_at IS NULL",
        user.0,
    )
    .fetch_optional(&state.pool)
    .await?
    .flatten();
    if !state
        .accounts
        .hasher
        .verify(password, stored.as_deref())
        .await?
    {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "password",
            problem: Problem::WrongPassword,
        }]));
    }
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    // The organisations it administers, locked: no other admin leaves meanwhile.
    sqlx::query!(
        "SELECT o.id FROM organisations o JOIN memberships m ON m.organisation_id = o.id
         WHERE m.user_id = $1 AND 'admin' = ANY (m.roles)
         ORDER BY o.id FOR UPDATE OF o",
        user.0
    )
    .fetch_all(&mut *tx)
    .await?;
    let email = sqlx::query_scalar!(
        "SELECT email FROM users WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
        user.0,
    )
    .fetch_optional(&mut *tx)
    .await?
    .flatten();
    if is_sole_admin(&mut *tx, user).await? {
        return Err(last_admin());
    }
    // What the person wrote when asking to join (their post, who vouches for them), and
    // the files they sent with it (removed once the deletion is committed).
    let evidence = sqlx::query_scalar!(
        r#"DELETE FROM join_requests WHERE user_id = $1 RETURNING evidence_file AS "file""#,
        user.0
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM memberships WHERE user_id = $1", user.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM platform_roles WHERE user_id = $1", user.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM account_tokens WHERE user_id = $1", user.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM second_factors WHERE user_id = $1", user.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM recovery_codes WHERE user_id = $1", user.0)
        .execute(&mut *tx)
        .await?;
    if let Some(email) = &email {
        sqlx::query!(
            "DELETE FROM mail_outbox WHERE lower(recipient) = lower($1)",
            email
        )
        .execute(&mut *tx)
        .await?;
    }
    sign_ins::end_all(&mut tx, user, None).await?;
    sqlx::query!(
        "UPDATE users SET email = NULL, mobile = NULL, display_name = '', real_name = NULL,
                          password_hash = NULL, email_confirmed_at = NULL,
                          mobile_confirmed_at = NULL, deleted_at = $2
         WHERE id = $1",
        user.0,
        now,
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "user",
            subject_id: user.0,
            action: "delete_account",
            from_state: Some("active"),
            to_state: Some("deleted"),
            reason: None,
            changed_fields: &["email", "mobile", "display_name", "real_name"],
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    for file in evidence.into_iter().flatten() {
        let _ = std::fs::remove_file(state.accounts.evidence_dir.join(file));
    }
    Ok(())
}

fn last_admin() -> Refusal {
    Refusal::Invalid(vec![FieldError {
        field: "password",
        problem: Problem::LastAdmin,
    }])
}

/// Whether `user` is the only admin of an organisation that has other members.
async fn is_sole_admin<'e>(
    executor: impl sqlx::PgExecutor<'e>,
    user: UserId,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (
             SELECT 1 FROM memberships m
             WHERE m.user_id = $1 AND 'admin' = ANY (m.roles)
               AND NOT EXISTS (SELECT 1 FROM memberships o
                               WHERE o.organisation_id = m.organisation_id AND o.user_id <> $1
                                 AND 'admin' = ANY (o.roles))
               AND EXISTS (SELECT 1 FROM memberships o
                           WHERE o.organisation_id = m.organisation_id AND o.user_id <> $1)
           ) AS "sole!""#,
        user.0,
    )
    .fetch_one(executor)
    .await
}
