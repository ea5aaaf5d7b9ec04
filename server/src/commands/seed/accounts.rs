//! The demo accounts: one confirmed account per role, each a member of a demo
//! organisation (the first verified one of the right kind), all with one password
//! (`app::accounts::demo`).
//! Created only by `catalogue seed --demo-accounts`, which `scripts/site` runs on its
//! private database alone (never on a database named by `DATABASE_URL`), and the test
//! script on its own. Adding them again changes nothing.

use anyhow::{Context, Result};
use app::accounts::demo::{demo_email, DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET};
use app::auth::password::PasswordHasher;
use sqlx::PgPool;

/// Adds the demo accounts that are missing (confirmed, consented to the current privacy
/// policy). Errors: a demo catalogue without an organisation of a needed kind.
pub async fn add_demo_accounts(pool: &PgPool, now: chrono::DateTime<chrono::Utc>) -> Result<usize> {
    let hash = PasswordHasher::new(1).hash(DEMO_PASSWORD).await?;
    let mut tx = pool.begin().await?;
    let mut added = 0;
    for account in DEMO_ACCOUNTS {
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO users (email, display_name, real_name, password_hash, email_confirmed_at,
                                privacy_consent_at, privacy_version, password_changed_at,
                                created_at, is_demo)
             VALUES ($1, $2, $3, $4, $5, $5, $6, $5, $5, true)
             ON CONFLICT ((lower(email))) DO NOTHING
             RETURNING id",
        )
        .bind(demo_email(account))
        .bind(account.display_name)
        .bind(account.real_name)
        .bind(&hash)
        .bind(now)
        .bind(app::accounts::PRIVACY_VERSION)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else { continue };
        added += 1;
        if let Some(kind) = account.organisation_kind {
            let organisation: i64 = sqlx::query_scalar(
                "SELECT id FROM organisations
                 WHERE kind = $1::organisation_kind AND is_demo AND verified_at IS NOT NULL
                 ORDER BY id LIMIT 1",
            )
            .bind(kind)
            .fetch_optional(&mut *tx)
            .await?
            .with_context(|| format!("the demo catalogue has no verified {kind}"))?;
            sqlx::query(
                "INSERT INTO memberships (user_id, organisation_id, roles)
                 VALUES ($1, $2, $3::text[]::membership_role[])",
            )
            .bind(id)
            .bind(organisation)
            .bind(account.roles)
            .execute(&mut *tx)
            .await?;
        }
        // The accounts with admin powers must use the second factor: theirs is published.
        if account.platform_role == Some("admin")
            || account.roles.contains(&"admin")
                && account.organisation_kind == Some("government_agency")
        {
            sqlx::query(
                "INSERT INTO second_factors (user_id, secret_base32, confirmed_at) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(DEMO_TOTP_SECRET)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(role) = account.platform_role {
            sqlx::query(
                "INSERT INTO platform_roles (user_id, role) VALUES ($1, $2::platform_role)",
            )
            .bind(id)
            .bind(role)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(added)
}
