//! What the organisation forms do: register an organisation (its creator becomes its
//! admin; it stays unverified and unlisted until a platform admin verifies it), ask to
//! join one or claim one that has no admin, decide requests, set members' roles, remove
//! members. Each checks the permission table first and writes its audit entry in the same
//! transaction; entries name ids and fields, never personal values.

use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::validate::{check_email, check_phone, collect};
use crate::accounts::server::{refuse_if_any, Refusal};
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::{check, Action, Caller, Role, Target};
use crate::domain::credit_code::{CreditCode, CreditCodeError};
use crate::domain::{Location, OrganisationId, OrganisationKind, UserId};
use crate::error::AppError;
use crate::state::AppState;
use sqlx::PgConnection;

/// What the registration form sends.
#[derive(Debug, Clone, Default)]
pub struct NewOrganisation {
    pub kind: String,
    pub name: String,
    pub credit_code: String,
    /// Why a code that fails its check characters is right anyway (registered before
    /// 2016); empty otherwise.
    pub override_reason: String,
    pub location: String,
    pub public_phone: String,
    pub public_email: String,
    pub website: String,
    pub description: String,
}

/// The account a caller is, when it may take `action` on `target`.
fn acting(caller: &Caller, action: Action, target: &Target) -> Result<UserId, AppError> {
    check(caller, action, target)?;
    caller
        .signed_in()
        .map(|account| account.user)
        .ok_or(AppError::Unauthorized)
}

fn audit_entry<'a>(
    user: UserId,
    subject_kind: &'a str,
    subject_id: i64,
    action: &'a str,
    changed_fields: &'a [&'a str],
    reason: Option<&'a str>,
    now: chrono::DateTime<chrono::Utc>,
) -> AuditEntry<'a> {
    AuditEntry {
        actor: Actor::User(user),
        subject_kind,
        subject_id,
        action,
        from_state: None,
        to_state: None,
        reason,
        changed_fields,
        at: now,
    }
}

/// Whether a credit code error is only about its check characters (a code an admin may
/// accept with a reason), not its form.
fn is_checksum_error(error: &CreditCodeError) -> bool {
    matches!(
        error,
        CreditCodeError::CheckCharacter { .. } | CreditCodeError::OrganisationCodeCheck
    )
}

/// Registers an organisation for the caller, who becomes its admin. Errors:
/// [`Refusal::Invalid`] naming `kind`, `name`, `credit_code` (malformed, failing its check
/// characters without a reason, or registered already: [`Problem::CreditCodeTaken`]),
/// `location`, `public_phone`, `public_email`, `website`, `description`; 401/403 from the
/// permission table (an unconfirmed account may not).
pub async fn create_organisation(
    state: &AppState,
    caller: &Caller,
    input: NewOrganisation,
) -> Result<OrganisationId, Refusal> {
    let user = acting(caller, Action::CreateOrganisation, &Target::none())?;
    let mut errors: Vec<FieldError> = Vec::new();
    let kind = collect(
        &mut errors,
        "kind",
        OrganisationKind::from_code(&input.kind).ok_or(Problem::InvalidChoice),
    );
    let name = input.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        errors.push(FieldError {
            field: "name",
            problem: Problem::Required,
        });
    } else if name.chars().count() > 200 {
        errors.push(FieldError {
            field: "name",
            problem: Problem::TooLong,
        });
    }
    let override_reason = input.override_reason.trim().to_owned();
    let code = match CreditCode::parse(&input.credit_code) {
        Ok(code) => Some((code, None)),
        Err(error) if is_checksum_error(&error) && !override_reason.is_empty() => {
            CreditCode::parse_with_override(&input.credit_code)
                .ok()
                .map(|code| (code, Some(override_reason.clone())))
        }
        Err(error) => {
            errors.push(FieldError {
                field: "credit_code",
                problem: Problem::CreditCode(error),
            });
            None
        }
    };
    let location = collect(
        &mut errors,
        "location",
        Location::from_code(&input.location).ok_or(Problem::InvalidChoice),
    );
    let optional = |value: &str| {
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_owned())
    };
    let phone = optional(&input.public_phone);
    if let Some(phone) = &phone {
        collect(&mut errors, "public_phone", check_phone(phone));
    }
    let email = optional(&input.public_email).map(|email| email.to_lowercase());
    if let Some(email) = &email {
        collect(&mut errors, "public_email", check_email(email));
    }
    let website = optional(&input.website);
    if website
        .as_deref()
        .is_some_and(|url| !crate::url::is_http_url(url))
    {
        errors.push(FieldError {
            field: "website",
            problem: Problem::InvalidUrl,
        });
    }
    let description = input.description.trim().to_owned();
    if description.chars().count() > 2000 {
        errors.push(FieldError {
            field: "description",
            problem: Problem::TooLong,
        });
    }
    refuse_if_any(errors)?;
    let (Some(kind), Some((code, override_reason)), Some(location)) = (kind, code, location) else {
        unreachable!("checked above")
    };
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let taken = sqlx::query_scalar!(
        "SELECT id FROM organisations WHERE credit_code = $1",
        code.as_str()
    )
    .fetch_optional(&mut *tx)
    .await?;
    if taken.is_some() {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "credit_code",
            problem: Problem::CreditCodeTaken,
        }]));
    }
    let id = sqlx::query_scalar!(
        "INSERT INTO organisations (kind, name, credit_code, location, description, website,
                                    public_phone, public_email, credit_code_override_reason,
                                    created_by, created_at, updated_at)
         VALUES (($1::text)::organisation_kind, $2, $3, ($4::text)::location_code, $5, $6, $7, $8, $9, $10, $11, $11)
         ON CONFLICT (credit_code) DO NOTHING
         RETURNING id",
        kind.code(),
        name,
        code.as_str(),
        location.code(),
        description,
        website,
        phone,
        email,
        override_reason,
        user.0,
        now,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        // Registered by someone else a moment ago.
        return Err(Refusal::Invalid(vec![FieldError {
            field: "credit_code",
            problem: Problem::CreditCodeTaken,
        }]));
    };
    sqlx::query!(
        "INSERT INTO memberships (user_id, organisation_id, roles, created_at)
         VALUES ($1, $2, '{admin,member}', $3)",
        user.0,
        id,
        now,
    )
    .execute(&mut *tx)
    .await?;
    let fields: &[&str] = if override_reason.is_some() {
        &["credit_code_override_reason"]
    } else {
        &[]
    };
    audit::record(
        &mut tx,
        AuditEntry {
            to_state: Some("unverified"),
            ..audit_entry(
                user,
                "organisation",
                id,
                "register_organisation",
                fields,
                override_reason.as_deref(),
                now,
            )
        },
    )
    .await?;
    audit::record(
        &mut tx,
        audit_entry(
            user,
            "organisation",
            id,
            "grant_roles",
            &["roles"],
            None,
            now,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(OrganisationId(id))
}

/// A file sent with a request to join or a claim (an authorisation letter).
#[derive(Debug, Clone)]
pub struct Evidence {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The largest evidence file: 5 MiB.
pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;

/// The type of an evidence file, read from its first bytes (never from its name or the
/// type the browser claims): PDF, JPEG or PNG. Errors: [`Problem::InvalidEvidence`].
pub fn evidence_type(bytes: &[u8]) -> Result<&'static str, Problem> {
    if bytes.is_empty() || bytes.len() > MAX_EVIDENCE_BYTES {
        return Err(Problem::InvalidEvidence);
    }
    if bytes.starts_with(b"%PDF-") {
        Ok("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok("image/png")
    } else {
        Err(Problem::InvalidEvidence)
    }
}

/// The result of asking to join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JoinRequested {
    pub organisation: OrganisationId,
    /// The organisation has no admin: the request is a claim a platform admin decides.
    pub is_claim: bool,
}

/// Asks to join the organisation registered with `credit_code` (a claim when it has no
/// admin). Asking again while a request is open changes nothing. Errors:
/// [`Refusal::Invalid`] for `credit_code` (malformed, no such organisation, already a
/// member) or `message` (too long).
pub async fn ask_to_join(
    state: &AppState,
    caller: &Caller,
    credit_code: &str,
    message: &str,
    evidence: Option<Evidence>,
) -> Result<JoinRequested, Refusal> {
    let user = acting(caller, Action::AskToJoin, &Target::none())?;
    let evidence = match evidence {
        Some(evidence) => match evidence_type(&evidence.bytes) {
            Ok(kind) => Some((evidence, kind)),
            Err(problem) => {
                return Err(Refusal::Invalid(vec![FieldError {
                    field: "evidence",
                    problem,
                }]))
            }
        },
        None => None,
    };
    let invalid = |problem| {
        Refusal::Invalid(vec![FieldError {
            field: "credit_code",
            problem,
        }])
    };
    let code = CreditCode::parse_with_override(credit_code)
        .map_err(|e| invalid(Problem::CreditCode(e)))?;
    let message = message.trim();
    if message.chars().count() > 2000 {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "message",
            problem: Problem::TooLong,
        }]));
    }
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let organisation = sqlx::query!(
        r#"SELECT id, verified_at IS NOT NULL AS "verified!",
                  EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = o.id
                          AND 'admin' = ANY (m.roles)) AS "has_admin!",
                  EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = o.id
                          AND m.user_id = $2) AS "member!"
           FROM organisations o WHERE credit_code = $1 FOR UPDATE"#,
        code.as_str(),
        user.0,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| invalid(Problem::UnknownOrganisation))?;
    if organisation.member {
        return Err(invalid(Problem::AlreadyMember));
    }
    // An organisation without an admin, or not verified yet (its admin may not be who
    // they claim to be), is the platform admins' to decide.
    let is_claim = !organisation.has_admin || !organisation.verified;
    // The file first, under a random name; it is removed again if the request is not
    // written, so a file is kept only with its request.
    let stored = match &evidence {
        Some((file, kind)) => {
            let name = uuid::Uuid::new_v4().to_string();
            let dir = state.accounts.evidence_dir.clone();
            let path = dir.join(&name);
            let bytes = file.bytes.clone();
            tokio::task::spawn_blocking(move || {
                std::fs::create_dir_all(&dir)?;
                std::fs::write(&path, bytes)
            })
            .await
            .map_err(|_| AppError::Internal)?
            .map_err(|error| {
                tracing::error!(%error, "cannot store an evidence file");
                AppError::Unavailable
            })?;
            // Only the last part of the name the browser sent, and not too much of it.
            let shown: String = file
                .file_name
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_control())
                .take(120)
                .collect();
            Some((name, *kind, shown))
        }
        None => None,
    };
    let created = sqlx::query_scalar!(
        "INSERT INTO join_requests (organisation_id, user_id, is_claim, message, created_at,
                                    evidence_file, evidence_type, evidence_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (organisation_id, user_id) WHERE status = 'pending' DO NOTHING
         RETURNING id",
        organisation.id,
        user.0,
        is_claim,
        message,
        now,
        stored.as_ref().map(|(name, _, _)| name.clone()),
        stored.as_ref().map(|(_, kind, _)| (*kind).to_owned()),
        stored.as_ref().map(|(_, _, shown)| shown.clone()),
    )
    .fetch_optional(&mut *tx)
    .await;
    let created = match created {
        Ok(Some(id)) => Some(id),
        other => {
            // Not written (asked already, or a failure): the file goes.
            if let Some((name, _, _)) = &stored {
                let _ = std::fs::remove_file(state.accounts.evidence_dir.join(name));
            }
            other?
        }
    };
    // Asked again while a request is open: that request stands, as it is now judged.
    if let Some(request) = created {
        let action = if is_claim {
            "claim_organisation"
        } else {
            "ask_to_join"
        };
        audit::record(
            &mut tx,
            audit_entry(
                user,
                "organisation",
                organisation.id,
                action,
                &[],
                None,
                now,
            ),
        )
        .await?;
        let _ = request;
    }
    tx.commit().await?;
    Ok(JoinRequested {
        organisation: OrganisationId(organisation.id),
        is_claim,
    })
}

/// Accepts or refuses an open request. Whether it is a claim is decided now, not when it
/// was made: while the organisation has an admin and is verified, its admins decide (the
/// person becomes a member); otherwise platform admins do (the claimant becomes an admin).
/// `expected` is the organisation the address names. Returns the organisation. Errors:
/// 404 for a request that is not open, of another organisation, or of an account since
/// deleted or suspended; 401/403 from the permission table.
pub async fn decide_request(
    state: &AppState,
    caller: &Caller,
    request: i64,
    expected: Option<OrganisationId>,
    accept: bool,
) -> Result<OrganisationId, AppError> {
    if caller.signed_in().is_none() {
        return Err(AppError::Unauthorized);
    }
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let row = sqlx::query!(
        r#"SELECT r.organisation_id, r.user_id, r.evidence_file
           FROM join_requests r JOIN users u ON u.id = r.user_id
           WHERE r.id = $1 AND r.status = 'pending'
             AND u.deleted_at IS NULL AND u.suspended_at IS NULL
           FOR UPDATE OF r"#,
        request,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let organisation = OrganisationId(row.organisation_id);
    if expected.is_some_and(|expected| expected != organisation) {
        return Err(AppError::NotFound);
    }
    let (verified, has_admin) = lock_organisation(&mut tx, organisation).await?;
    let is_claim = !(verified && has_admin);
    let user = if is_claim {
        acting(caller, Action::DecideClaim, &Target::none())?
    } else {
        acting(
            caller,
            Action::ManageMembers,
            &Target::organisation(organisation),
        )?
    };
    sqlx::query!(
        "UPDATE join_requests SET status = ($2::text)::join_request_status, decided_at = $3,
                                  decided_by = $4
         WHERE id = $1",
        request,
        if accept { "accepted" } else { "refused" },
        now,
        user.0,
    )
    .execute(&mut *tx)
    .await?;
    if accept {
        // Admin only for the claimant of an organisation that has none; a colleague asking
        // to join an unverified organisation becomes a member.
        let roles: &[&str] = if !has_admin {
            &["admin", "member"]
        } else {
            &["member"]
        };
        let roles: Vec<String> = roles.iter().map(|r| (*r).to_owned()).collect();
        sqlx::query!(
            "INSERT INTO memberships (user_id, organisation_id, roles, created_at)
             VALUES ($1, $2, $3::text[]::membership_role[], $4)
             ON CONFLICT (user_id, organisation_id) DO UPDATE
                 SET roles = ARRAY(SELECT DISTINCT r FROM unnest(memberships.roles || EXCLUDED.roles) AS r)",
            row.user_id,
            organisation.0,
            &roles,
            now,
        )
        .execute(&mut *tx)
        .await?;
    }
    let action = match (is_claim, accept) {
        (true, true) => "accept_claim",
        (true, false) => "refuse_claim",
        (false, true) => "accept_member",
        (false, false) => "refuse_member",
    };
    audit::record(
        &mut tx,
        AuditEntry {
            reason: None,
            ..audit_entry(user, "organisation", organisation.0, action, &[], None, now)
        },
    )
    .await?;
    tx.commit().await?;
    // Decided: the evidence has served its purpose (the audit log keeps the decision).
    if let Some(file) = &row.evidence_file {
        let _ = std::fs::remove_file(state.accounts.evidence_dir.join(file));
    }
    Ok(organisation)
}

/// Locks `organisation`'s row until `tx` ends, so two changes of its members (two admins
/// demoting each other at once) run one after the other and the last-admin rule holds.
/// Returns whether it is verified and whether it has an admin.
async fn lock_organisation(
    tx: &mut PgConnection,
    organisation: OrganisationId,
) -> Result<(bool, bool), AppError> {
    let row = sqlx::query!(
        r#"SELECT verified_at IS NOT NULL AS "verified!",
                  EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = o.id
                          AND 'admin' = ANY (m.roles)) AS "has_admin!"
           FROM organisations o WHERE id = $1 FOR UPDATE"#,
        organisation.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((row.verified, row.has_admin))
}

/// Counts the admins of `organisation` once the change in `tx` is made.
async fn admins(tx: &mut PgConnection, organisation: OrganisationId) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM memberships
           WHERE organisation_id = $1 AND 'admin' = ANY (roles)"#,
        organisation.0
    )
    .fetch_one(tx)
    .await
}

/// Sets the roles of `member` in `organisation`. Errors: [`Refusal::Invalid`] for
/// `roles` (none chosen, `buyer` outside an agency or public institution, or taking the
/// last admin's admin role); 404 for someone who is not a member; 401/403.
pub async fn set_roles(
    state: &AppState,
    caller: &Caller,
    organisation: OrganisationId,
    member: UserId,
    roles: &[Role],
) -> Result<(), Refusal> {
    let user = acting(
        caller,
        Action::ManageMembers,
        &Target::organisation(organisation),
    )?;
    let invalid = |problem| {
        Refusal::Invalid(vec![FieldError {
            field: "roles",
            problem,
        }])
    };
    if roles.is_empty() {
        return Err(invalid(Problem::Required));
    }
    if roles.iter().any(|role| role.is_platform_role()) {
        return Err(invalid(Problem::InvalidChoice));
    }
    let kind = sqlx::query_scalar!(
        r#"SELECT kind::text AS "kind!" FROM organisations WHERE id = $1"#,
        organisation.0
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let agency = kind == "government_agency" || kind == "public_institution";
    if roles.contains(&Role::Buyer) && !agency {
        return Err(invalid(Problem::InvalidChoice));
    }
    let mut codes: Vec<String> = roles.iter().map(|role| role.code().to_owned()).collect();
    codes.sort();
    codes.dedup();
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    lock_organisation(&mut tx, organisation).await?;
    let updated = sqlx::query!(
        "UPDATE memberships SET roles = $3::text[]::membership_role[]
         WHERE user_id = $1 AND organisation_id = $2",
        member.0,
        organisation.0,
        &codes,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(AppError::NotFound.into());
    }
    if admins(&mut tx, organisation).await? == 0 {
        return Err(invalid(Problem::LastAdmin));
    }
    audit::record(
        &mut tx,
        audit_entry(
            user,
            "organisation",
            organisation.0,
            "set_roles",
            &["roles"],
            None,
            now,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes `member` from `organisation`: by an admin, or the member leaving. The last
/// admin cannot leave or be removed. Errors: [`Refusal::Invalid`] (`member`,
/// [`Problem::LastAdmin`]); 404 for someone who is not a member; 401/403.
pub async fn remove_member(
    state: &AppState,
    caller: &Caller,
    organisation: OrganisationId,
    member: UserId,
) -> Result<(), Refusal> {
    let leaving = caller
        .signed_in()
        .is_some_and(|account| account.user == member);
    let user = if leaving {
        caller
            .signed_in()
            .map(|account| account.user)
            .ok_or(AppError::Unauthorized)?
    } else {
        acting(
            caller,
            Action::ManageMembers,
            &Target::organisation(organisation),
        )?
    };
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    lock_organisation(&mut tx, organisation).await?;
    let removed = sqlx::query!(
        "DELETE FROM memberships WHERE user_id = $1 AND organisation_id = $2",
        member.0,
        organisation.0,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if removed == 0 {
        return Err(AppError::NotFound.into());
    }
    if admins(&mut tx, organisation).await? == 0 {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "member",
            problem: Problem::LastAdmin,
        }]));
    }
    let action = if leaving { "leave" } else { "remove_member" };
    audit::record(
        &mut tx,
        audit_entry(
            user,
            "organisation",
            organisation.0,
            action,
            &["roles"],
            None,
            now,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_telephone_numbers_are_accepted_and_others_refused() {
        for ok in [
            "0519-85681234",
            "+86 519 8568 1234",
            "(0519) 85681234",
            "12345",
        ] {
            assert_eq!(check_phone(ok), Ok(()), "{ok}");
        }
        for bad in [
            "1234",
            "call me",
            "0519-8568-1234-5678-9012-3456",
            "<script>",
        ] {
            assert_eq!(check_phone(bad), Err(Problem::InvalidPhone), "{bad}");
        }
    }
}
