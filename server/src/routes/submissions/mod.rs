//! The workflow's forms: drafts (create, save, submit, delete), withdrawing a submission,
//! reviews and decisions, objections and their rulings. The pages are the Leptos pages at
//! the same addresses; each handler redirects (303) or renders the page again with the
//! errors (422).

use super::accounts::reply::{reply_on, Posted};
use super::listed::Listed;
use app::accounts::server::Refusal;
use app::error::AppError;
use app::publication::Subject;
use app::state::AppState;
use app::submissions::forms::RecordKind;
use app::submissions::pages::{draft_labels, objection_labels, review_labels};
use app::submissions::server::{decide, drafts, notice, review, submit, withdraw};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use http::Method;

pub fn router() -> Listed<AppState> {
    Listed::default()
        .route(Method::POST, "/drafts", post(create_draft))
        .route(Method::POST, "/drafts/{id}", post(save_draft))
        .route(Method::POST, "/drafts/{id}/submit", post(submit_draft))
        .route(Method::POST, "/drafts/{id}/delete", post(delete_draft))
        .route(
            Method::POST,
            "/submissions/{id}/withdraw",
            post(withdraw_submission),
        )
        .route(Method::POST, "/review/{id}", post(save_review))
        .route(Method::POST, "/review/{id}/decide", post(decide))
        .route(
            Method::POST,
            "/notices/{id}/objections",
            post(file_objection),
        )
        .route(Method::POST, "/objections/{id}/rule", post(rule))
        .route(
            Method::POST,
            "/products/{id}/revise",
            post(|state, path, posted| start_revision(RecordKind::Product, state, path, posted)),
        )
        .route(
            Method::POST,
            "/scenarios/{id}/revise",
            post(|state, path, posted| start_revision(RecordKind::Scenario, state, path, posted)),
        )
        .route(
            Method::POST,
            "/projects/{id}/revise",
            post(|state, path, posted| start_revision(RecordKind::Project, state, path, posted)),
        )
        .route(
            Method::POST,
            "/products/{id}/withdraw",
            post(|state, path, posted| withdraw_record(RecordKind::Product, state, path, posted)),
        )
        .route(
            Method::POST,
            "/scenarios/{id}/withdraw",
            post(|state, path, posted| withdraw_record(RecordKind::Scenario, state, path, posted)),
        )
        .route(
            Method::POST,
            "/projects/{id}/withdraw",
            post(|state, path, posted| withdraw_record(RecordKind::Project, state, path, posted)),
        )
}

/// The owner starts changing a published record from its page: to the draft holding its
/// published text.
async fn start_revision(
    kind: RecordKind,
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let page = format!("/{}s/{id}", kind.code());
    let result = async {
        let subject = Subject::from_kind(kind.code(), id_of(&id)?).ok_or(AppError::NotFound)?;
        let draft = drafts::start_revision(&state, &posted.caller(), subject).await?;
        Ok(format!("/drafts/{draft}"))
    }
    .await;
    reply_on(
        &state,
        posted,
        Some(&page),
        |t| draft_labels(t.locale),
        result,
    )
    .await
}

/// The owner (or a platform admin) withdraws a published record from its page.
async fn withdraw_record(
    kind: RecordKind,
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let page = format!("/{}s/{id}", kind.code());
    let result = async {
        let id = id_of(&id)?;
        let subject = Subject::from_kind(kind.code(), id).ok_or(AppError::NotFound)?;
        withdraw::withdraw_published(&state, &posted.caller(), subject, posted.get("reason"))
            .await?;
        Ok(format!("{}?notice=record_withdrawn", kind.page(id)))
    }
    .await;
    reply_on(
        &state,
        posted,
        Some(&page),
        |t| app::submissions::pages::withdraw_labels(t.locale),
        result,
    )
    .await
}

/// A record's id from the address: a positive whole number, or 404.
fn id_of(id: &str) -> Result<i64, Refusal> {
    app::domain::parse_id(id).map_err(|_| AppError::NotFound.into())
}

async fn create_draft(State(state): State<AppState>, posted: Posted) -> Response {
    let result = async {
        let organisation = posted
            .get("organisation")
            .parse::<i64>()
            .ok()
            .map(app::domain::OrganisationId);
        let id = drafts::create_draft(&state, &posted.caller(), organisation, posted.get("kind"))
            .await?;
        Ok(format!("/drafts/{id}"))
    }
    .await;
    reply_on(
        &state,
        posted,
        Some("/account/submissions"),
        |t| draft_labels(t.locale),
        result,
    )
    .await
}

async fn save_draft(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let result = async {
        let id = id_of(&id)?;
        drafts::save_draft(&state, &posted.caller(), id, &posted.fields).await?;
        Ok(format!("/drafts/{id}?notice=draft_saved"))
    }
    .await;
    reply_on(&state, posted, None, |t| draft_labels(t.locale), result).await
}

async fn submit_draft(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let page = format!("/drafts/{id}");
    let result = async {
        let id = id_of(&id)?;
        submit::submit_draft(&state, &posted.caller(), id, &posted.fields).await?;
        Ok("/account/submissions?notice=submitted".to_owned())
    }
    .await;
    reply_on(
        &state,
        posted,
        Some(&page),
        |t| draft_labels(t.locale),
        result,
    )
    .await
}

async fn delete_draft(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let page = format!("/drafts/{id}");
    let result = async {
        let id = id_of(&id)?;
        let keys = drafts::delete_draft(&state, &posted.caller(), id).await?;
        for key in keys {
            if let Err(error) = state.attachments.delete(&key).await {
                tracing::warn!(%error, key, "removing a deleted draft's file failed");
            }
        }
        Ok("/account/submissions?notice=draft_deleted".to_owned())
    }
    .await;
    reply_on(
        &state,
        posted,
        Some(&page),
        |t| draft_labels(t.locale),
        result,
    )
    .await
}

async fn withdraw_submission(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let result = async {
        withdraw::withdraw_submission(&state, &posted.caller(), id_of(&id)?).await?;
        Ok("/account/submissions?notice=withdrawn".to_owned())
    }
    .await;
    reply_on(
        &state,
        posted,
        Some("/account/submissions"),
        |t| draft_labels(t.locale),
        result,
    )
    .await
}

async fn save_review(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let result = async {
        let id = id_of(&id)?;
        review::save_review(&state, &posted.caller(), id, &posted.fields).await?;
        Ok(format!("/review/{id}?notice=review_saved"))
    }
    .await;
    reply_on(&state, posted, None, |t| review_labels(t.locale), result).await
}

async fn decide(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    let page = format!("/review/{id}");
    let result = async {
        let id = id_of(&id)?;
        let decision = decide::Decision::from_code(posted.get("decision")).ok_or_else(|| {
            Refusal::Invalid(vec![app::accounts::form::FieldError {
                field: "decision",
                problem: app::accounts::form::Problem::InvalidChoice,
            }])
        })?;
        decide::decide(
            &state,
            &posted.caller(),
            id,
            decision,
            posted.get("reason"),
            posted.get("substantive") == "yes",
        )
        .await?;
        Ok(format!("/review/{id}?notice=decided"))
    }
    .await;
    reply_on(
        &state,
        posted,
        Some(&page),
        |t| review_labels(t.locale),
        result,
    )
    .await
}

async fn file_objection(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let page = format!("/notices/{id}");
    let result = async {
        let id = id_of(&id)?;
        notice::file_objection(&state, &posted.caller(), id, posted.get("reason")).await?;
        Ok(format!("/notices/{id}?notice=objection_filed"))
    }
    .await;
    reply_on(
        &state,
        posted,
        Some(&page),
        |t| objection_labels(t.locale),
        result,
    )
    .await
}

async fn rule(State(state): State<AppState>, Path(id): Path<String>, posted: Posted) -> Response {
    let result = async {
        let id = id_of(&id)?;
        let uphold = match posted.get("outcome") {
            "uphold" => true,
            "dismiss" => false,
            _ => {
                return Err(Refusal::Invalid(vec![app::accounts::form::FieldError {
                    field: "ruling",
                    problem: app::accounts::form::Problem::InvalidChoice,
                }]))
            }
        };
        notice::rule_on_objection(&state, &posted.caller(), id, uphold, posted.get("ruling"))
            .await?;
        let submission: i64 =
            sqlx::query_scalar!("SELECT submission_id FROM objections WHERE id = $1", id)
                .fetch_one(&state.pool)
                .await
                .map_err(AppError::from)?;
        Ok(format!("/review/{submission}?notice=ruled"))
    }
    .await;
    let page = sqlx::query_scalar!(
        "SELECT submission_id FROM objections WHERE id = $1",
        id.parse::<i64>().unwrap_or(0)
    )
    .fetch_optional(&state.pool)
    .await
    .ok()
    .flatten()
    .map(|submission| format!("/review/{submission}"));
    reply_on(
        &state,
        posted,
        page.as_deref(),
        |t| review_labels(t.locale),
        result,
    )
    .await
}
