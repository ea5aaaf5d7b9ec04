//! The caller as the permission table sees it, read from the database: memberships with
//! their sets of roles, platform roles, and accounts that grant nothing (deleted,
//! suspended, unknown).

use crate::fixtures::organisation;
use app::auth::{check, load_caller, Action, Caller, Membership, Role, SignedIn, Target};
use app::domain::{OrganisationId, OrganisationKind, UserId};
use app::error::AppError;
use sqlx::PgPool;

async fn user(pool: &PgPool, email: &str, confirmed: bool) -> UserId {
    UserId(
        sqlx::query_scalar(
            "INSERT INTO users (email, display_name, email_confirmed_at)
             VALUES ($1, 'x', CASE WHEN $2 THEN now() END) RETURNING id",
        )
        .bind(email)
        .bind(confirmed)
        .fetch_one(pool)
        .await
        .unwrap(),
    )
}

async fn join(
    pool: &PgPool,
    user: UserId,
    organisation: i64,
    roles: &[&str],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO memberships (user_id, organisation_id, roles)
         VALUES ($1, $2, $3::text[]::membership_role[])",
    )
    .bind(user.0)
    .bind(organisation)
    .bind(roles)
    .execute(pool)
    .await
    .map(|_| ())
}

#[sqlx::test(migrations = "../migrations")]
async fn an_account_brings_its_memberships_role_sets_and_platform_roles(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市科学技术局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(
        &pool,
        "常州星辰智能装备有限公司",
        "enterprise",
        "320411",
        false,
    )
    .await;
    let person = user(&pool, "buyer@example.cn", true).await;
    join(&pool, person, agency, &["admin", "buyer"])
        .await
        .unwrap();
    join(&pool, person, firm, &["member"]).await.unwrap();
    sqlx::query("INSERT INTO platform_roles (user_id, role) VALUES ($1, 'reviewer')")
        .bind(person.0)
        .execute(&pool)
        .await
        .unwrap();

    let caller = load_caller(&pool, person).await.unwrap();
    assert_eq!(
        caller,
        Caller::SignedIn(SignedIn {
            user: person,
            confirmed: true,
            memberships: vec![
                Membership {
                    organisation: OrganisationId(agency),
                    kind: OrganisationKind::GovernmentAgency,
                    verified: true,
                    roles: vec![Role::Admin, Role::Buyer],
                },
                Membership {
                    organisation: OrganisationId(firm),
                    kind: OrganisationKind::Enterprise,
                    verified: false,
                    roles: vec![Role::Member],
                },
            ],
            platform_roles: vec![Role::PlatformReviewer],
        })
    );
    // The table then answers from what was read.
    let at_agency = Target::organisation(OrganisationId(agency));
    assert_eq!(
        check(&caller, Action::RecordFirstPurchase, &at_agency),
        Ok(())
    );
    let at_firm = Target::organisation(OrganisationId(firm));
    assert_eq!(check(&caller, Action::PrepareDraft, &at_firm), Ok(()));
    assert_eq!(
        check(&caller, Action::SubmitForReview, &at_firm),
        Err(AppError::Forbidden),
        "the firm is not verified yet"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_deleted_and_suspended_accounts_are_anonymous(pool: PgPool) {
    assert_eq!(
        load_caller(&pool, UserId(404)).await.unwrap(),
        Caller::Anonymous
    );
    let deleted = user(&pool, "gone@example.cn", true).await;
    sqlx::query("UPDATE users SET deleted_at = now() WHERE id = $1")
        .bind(deleted.0)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        load_caller(&pool, deleted).await.unwrap(),
        Caller::Anonymous
    );
    let suspended = user(&pool, "held@example.cn", true).await;
    sqlx::query("UPDATE users SET suspended_at = now() WHERE id = $1")
        .bind(suspended.0)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        load_caller(&pool, suspended).await.unwrap(),
        Caller::Anonymous
    );
    let unconfirmed = user(&pool, "new@example.cn", false).await;
    let Caller::SignedIn(account) = load_caller(&pool, unconfirmed).await.unwrap() else {
        panic!("an unconfirmed account is still signed in");
    };
    assert!(!account.confirmed);
}

#[sqlx::test(migrations = "../migrations")]
async fn roles_are_a_set_and_only_agencies_have_buyers(pool: PgPool) {
    let firm = organisation(&pool, "常州新材料有限公司", "enterprise", "320412", true).await;
    let institution = organisation(
        &pool,
        "常州市第一人民医院",
        "public_institution",
        "320402",
        true,
    )
    .await;
    let person = user(&pool, "someone@example.cn", true).await;
    let refused = join(&pool, person, firm, &["member", "buyer"])
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("only government agencies and public institutions have buyers"),
        "{refused}"
    );
    let twice = join(&pool, person, firm, &["member", "member"])
        .await
        .unwrap_err();
    assert!(
        twice.to_string().contains("memberships_roles_set"),
        "{twice}"
    );
    let none = join(&pool, person, firm, &[]).await.unwrap_err();
    assert!(none.to_string().contains("memberships_roles_set"), "{none}");
    join(&pool, person, institution, &["buyer"]).await.unwrap();
    // Granting the role later is checked too.
    join(&pool, person, firm, &["member"]).await.unwrap();
    let later = sqlx::query(
        "UPDATE memberships SET roles = '{member,buyer}' WHERE user_id = $1 AND organisation_id = $2",
    )
    .bind(person.0)
    .bind(firm)
    .execute(&pool)
    .await
    .unwrap_err();
    assert!(later.to_string().contains("buyers"), "{later}");
}

/// `catalogue admin grant-platform-admin EMAIL`: the only way to the first platform admin;
/// audited with the actor `cli`, once.
#[sqlx::test(migrations = "../migrations")]
async fn the_first_platform_admin_is_granted_at_the_command_line_and_audited(pool: PgPool) {
    use server::commands::admin::{grant_platform_admin, Granted};
    let clock = crate::helpers::test_clock();
    let person = user(&pool, "Ops@Example.cn", true).await;
    assert_eq!(
        grant_platform_admin(&pool, &clock, " ops@example.cn ")
            .await
            .unwrap(),
        Granted::Now(person)
    );
    assert_eq!(
        grant_platform_admin(&pool, &clock, "OPS@example.cn")
            .await
            .unwrap(),
        Granted::Already(person)
    );
    let Caller::SignedIn(account) = load_caller(&pool, person).await.unwrap() else {
        panic!("signed in");
    };
    assert_eq!(account.platform_roles, vec![Role::PlatformAdmin]);
    /// actor_id, actor_kind, subject_kind, subject_id, action, to_state
    type Entry = (Option<i64>, String, String, i64, String, Option<String>);
    let audit: Vec<Entry> = sqlx::query_as(
        "SELECT actor_id, actor_kind::text, subject_kind::text, subject_id, action, to_state
         FROM audit_log WHERE action = 'grant_platform_role'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        audit,
        vec![(
            None,
            "cli".to_owned(),
            "user".to_owned(),
            person.0,
            "grant_platform_role".to_owned(),
            Some("platform_admin".to_owned())
        )]
    );
    let unknown = grant_platform_admin(&pool, &clock, "nobody@example.cn")
        .await
        .unwrap_err();
    assert!(unknown.to_string().contains("no account"), "{unknown}");
    // The log says an account acted exactly when it names one.
    let inconsistent = sqlx::query(
        "INSERT INTO audit_log (actor_kind, subject_kind, subject_id, action)
         VALUES ('user', 'user', 1, 'x')",
    )
    .execute(&pool)
    .await
    .unwrap_err();
    assert!(
        inconsistent.to_string().contains("audit_log_actor_kind"),
        "{inconsistent}"
    );
}
