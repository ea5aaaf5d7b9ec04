//! The agency admin's call forms (create, edit, announce, delete, reviewers). The pages
//! are the Leptos pages at the same addresses; each handler answers with a redirect, or
//! the page again with the errors.

use super::accounts::reply::{reply_on, Posted};
use super::listed::Listed;
use app::accounts::server::Refusal;
use app::calls::server::{self as calls, ReviewerChange};
use app::calls::{call_form_labels, call_page_labels};
use app::domain::{CallId, UserId};
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use http::Method;

pub fn router() -> Listed<AppState> {
    Listed::default()
        .route(Method::POST, "/calls/new", post(create))
        .route(Method::POST, "/calls/{id}/edit", post(edit))
        .route(Method::POST, "/calls/{id}/announce", post(announce))
        .route(Method::POST, "/calls/{id}/delete", post(delete))
        .route(Method::POST, "/calls/{id}/reviewers", post(add_reviewer))
        .route(
            Method::POST,
            "/calls/{id}/reviewers/{user}/{change}",
            post(change_reviewer),
        )
}

fn call_id(id: &str) -> Result<CallId, Refusal> {
    id.parse().map_err(|_| AppError::NotFound.into())
}

async fn create(State(state): State<AppState>, posted: Posted) -> Response {
    let result = calls::create(&state, &posted.caller(), &posted.fields)
        .await
        .map(|id| format!("/calls/{id}?notice=call_created"));
    reply_on(&state, posted, None, |t| call_form_labels(t.locale), result).await
}

async fn edit(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    let result = async {
        let call = call_id(&id)?;
        calls::update(&state, &posted.caller(), call, &posted.fields).await?;
        Ok(format!("/calls/{call}?notice=call_saved"))
    }
    .await;
    reply_on(&state, posted, None, |t| call_form_labels(t.locale), result).await
}

async fn announce(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let page = format!("/calls/{id}");
    let result = async {
        let call = call_id(&id)?;
        calls::announce(&state, &posted.caller(), call).await?;
        Ok(format!("/calls/{call}?notice=call_announced"))
    }
    .await;
    reply_on(
        &state,
        posted,
        Some(&page),
        |t| call_page_labels(t.locale),
        result,
    )
    .await
}

async fn delete(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    let page = format!("/calls/{id}");
    let result = async {
        calls::delete_draft(&state, &posted.caller(), call_id(&id)?).await?;
        Ok("/calls?notice=call_deleted".to_owned())
    }
    .await;
    reply_on(
        &state,
        posted,
        Some(&page),
        |t| call_page_labels(t.locale),
        result,
    )
    .await
}

async fn add_reviewer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let page = format!("/calls/{id}");
    let result = async {
        let call = call_id(&id)?;
        let lead = posted.get("lead") == "yes";
        calls::add_reviewer(&state, &posted.caller(), call, posted.get("email"), lead).await?;
        Ok(format!("/calls/{call}?notice=reviewers_changed"))
    }
    .await;
    reply_on(
        &state,
        posted,
        Some(&page),
        |t| call_page_labels(t.locale),
        result,
    )
    .await
}

async fn change_reviewer(
    State(state): State<AppState>,
    Path((id, user, change)): Path<(String, String, String)>,
    posted: Posted,
) -> Response {
    let page = format!("/calls/{id}");
    let result = async {
        let call = call_id(&id)?;
        let reviewer: UserId = user.parse().map_err(|_| AppError::NotFound)?;
        let change = match change.as_str() {
            "lead" => ReviewerChange::MakeLead,
            "remove" => ReviewerChange::Remove,
            _ => return Err(AppError::NotFound.into()),
        };
        calls::change_reviewer(&state, &posted.caller(), call, reviewer, change).await?;
        Ok(format!("/calls/{call}?notice=reviewers_changed"))
    }
    .await;
    reply_on(
        &state,
        posted,
        Some(&page),
        |t| call_page_labels(t.locale),
        result,
    )
    .await
}
