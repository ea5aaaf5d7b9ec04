//! The organisation forms' POST handlers: registering, asking to join, and the members
//! page's actions. The pages are the Leptos pages at the same addresses.

use super::accounts::reply::{reply, reply_on, Posted};
use super::listed::Listed;
use app::accounts::form::FieldLabels;
use app::accounts::server::Refusal;
use app::auth::Role;
use app::domain::{OrganisationId, UserId};
use app::organisations::members::server::{self as members, NewOrganisation};
use app::organisations::members::{join_labels, new_organisation_labels, roles_labels};
use app::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use http::Method;

pub fn router() -> Listed<AppState> {
    Listed::default()
        .route(Method::POST, "/organisations/new", post(create))
        .route(Method::POST, "/organisations/join", post(join))
        .route(
            Method::POST,
            "/organisations/{id}/requests/{request}/{decision}",
            post(decide),
        )
        .route(
            Method::POST,
            "/organisations/{id}/members/{user}/roles",
            post(set_roles),
        )
        .route(
            Method::POST,
            "/organisations/{id}/members/{user}/remove",
            post(remove),
        )
}

async fn create(State(state): State<AppState>, posted: Posted) -> Response {
    let result = async {
        let input = NewOrganisation {
            kind: posted.get("kind").to_owned(),
            name: posted.get("name").to_owned(),
            credit_code: posted.get("credit_code").to_owned(),
            override_reason: posted.get("override_reason").to_owned(),
            location: posted.get("location").to_owned(),
            public_phone: posted.get("public_phone").to_owned(),
            public_email: posted.get("public_email").to_owned(),
            website: posted.get("website").to_owned(),
            description: posted.get("description").to_owned(),
        };
        let id = members::create_organisation(&state, &posted.caller(), input).await?;
        Ok(format!(
            "/organisations/{id}/members?notice=organisation_created"
        ))
    }
    .await;
    reply(&state, posted, new_organisation_labels, result).await
}

async fn join(State(state): State<AppState>, posted: Posted) -> Response {
    let result = async {
        let evidence = posted.upload("evidence").map(|upload| members::Evidence {
            file_name: upload.file_name.clone(),
            bytes: upload.bytes.to_vec(),
        });
        let requested = members::ask_to_join(
            &state,
            &posted.caller(),
            posted.get("credit_code"),
            posted.get("message"),
            evidence,
        )
        .await?;
        Ok(if requested.is_claim {
            "/account?notice=claim_requested".to_owned()
        } else {
            "/account?notice=join_requested".to_owned()
        })
    }
    .await;
    reply(&state, posted, join_labels, result).await
}

async fn decide(
    State(state): State<AppState>,
    Path((id, request, decision)): Path<(String, i64, String)>,
    posted: Posted,
) -> Response {
    let result = async {
        let accept = match decision.as_str() {
            "accept" => true,
            "refuse" => false,
            _ => return Err(app::error::AppError::NotFound.into()),
        };
        let expected = id.parse().map_err(|_| app::error::AppError::NotFound)?;
        let organisation =
            members::decide_request(&state, &posted.caller(), request, Some(expected), accept)
                .await?;
        Ok::<_, Refusal>(format!(
            "/organisations/{organisation}/members?notice=request_decided"
        ))
    }
    .await;
    reply(&state, posted, |_| FieldLabels::default(), result).await
}

fn ids(id: &str, user: &str) -> Result<(OrganisationId, UserId), Refusal> {
    let organisation = id.parse().map_err(|_| app::error::AppError::NotFound)?;
    let user = user
        .parse::<i64>()
        .map(UserId)
        .map_err(|_| app::error::AppError::NotFound)?;
    Ok((organisation, user))
}

async fn set_roles(
    State(state): State<AppState>,
    Path((id, user)): Path<(String, String)>,
    posted: Posted,
) -> Response {
    let page = format!("/organisations/{id}/members");
    let result = async {
        let (organisation, member) = ids(&id, &user)?;
        let mut roles = Vec::new();
        for code in posted.get_all("roles") {
            roles.push(Role::from_membership_code(code).ok_or_else(|| {
                Refusal::Invalid(vec![app::accounts::form::FieldError {
                    field: "roles",
                    problem: app::accounts::form::Problem::InvalidChoice,
                }])
            })?);
        }
        members::set_roles(&state, &posted.caller(), organisation, member, &roles).await?;
        Ok(format!("{page}?notice=roles_saved"))
    }
    .await;
    reply_on(&state, posted, Some(&page), roles_labels, result).await
}

async fn remove(
    State(state): State<AppState>,
    Path((id, user)): Path<(String, String)>,
    posted: Posted,
) -> Response {
    let page = format!("/organisations/{id}/members");
    let result = async {
        let (organisation, member) = ids(&id, &user)?;
        let caller = posted.caller();
        let leaving = caller
            .signed_in()
            .is_some_and(|account| account.user == member);
        members::remove_member(&state, &caller, organisation, member).await?;
        Ok(if leaving {
            "/account?notice=left".to_owned()
        } else {
            format!("{page}?notice=member_removed")
        })
    }
    .await;
    reply_on(&state, posted, Some(&page), roles_labels, result).await
}
