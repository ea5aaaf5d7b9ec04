//! `/review`: a reviewer's queue (assigned calls' submissions, never their own
//! organisation's; the shared queue for platform reviewers), what waits for their decision
//! (lead reviewers, agency admins), open objections to rule on, and what they reviewed.

use crate::accounts::form::RedirectNotice;
use crate::accounts::AccessDenied;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::submissions::state::SubmissionState;
use crate::submissions::texts::use_workflow_texts;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueLine {
    pub id: i64,
    pub name: String,
    pub organisation: String,
    pub call: String,
    pub state: SubmissionState,
    pub reviews: i64,
    pub required: i16,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewQueue {
    pub to_review: Vec<QueueLine>,
    pub to_decide: Vec<QueueLine>,
    pub objections: Vec<QueueLine>,
    pub reviewed: Vec<QueueLine>,
}

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let t = use_workflow_texts();
    let queue = Resource::new_blocking(|| (), |_| load());
    view! {
        <PageTitle text=t.review_queue />
        <Suspense>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(queue) => view! { <QueueView queue /> }.into_any(),
                    Err(error) => view! { <AccessDenied error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QueueView(queue: ReviewQueue) -> impl IntoView {
    let t = use_workflow_texts();
    view! {
        <section class="account" data-testid="review-queue">
            <h1>{t.review_queue}</h1>
            <p>{t.review_lead}</p>
            <RedirectNotice />
            <Lines heading=t.to_review lines=queue.to_review test_id="to-review" />
            <Lines heading=t.to_decide lines=queue.to_decide test_id="to-decide" />
            <Lines heading=t.open_objections lines=queue.objections test_id="to-rule" />
            <Lines heading=t.reviewed lines=queue.reviewed test_id="reviewed" />
        </section>
    }
}

#[component]
fn Lines(heading: &'static str, lines: Vec<QueueLine>, test_id: &'static str) -> impl IntoView {
    let t = use_workflow_texts();
    let locale = use_locale();
    view! {
        <h2>{heading}</h2>
        {if lines.is_empty() {
            view! { <p>{t.nothing_here}</p> }.into_any()
        } else {
            view! {
                <ul class="queue" data-testid=test_id>
                    {lines.into_iter().map(|line| view! {
                        <li>
                            <a href=format!("/review/{}", line.id)>{line.name}</a>
                            " · " {line.organisation} " · " {if line.call.is_empty() { t.no_call.to_owned() } else { line.call }} " · " {line.state.label(locale)}
                            " · " {format!("{} {}/{}", t.reviews_in, line.reviews, line.required)}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

async fn load() -> Result<ReviewQueue, AppError> {
    #[cfg(feature = "ssr")]
    {
        use crate::auth::{check, Action};
        let caller = crate::accounts::use_caller();
        let account = caller.signed_in().ok_or(AppError::Unauthorized)?;
        let state = crate::state::app_state()?;
        let agencies: Vec<i64> = account
            .memberships
            .iter()
            .map(|m| m.organisation.0)
            .collect();
        let platform_reviewer = account.has_platform_role(crate::auth::Role::PlatformReviewer);
        // Candidates: submissions of calls the person reviews or whose agency they belong
        // to, and the shared queue for platform reviewers. Each is then checked against
        // the permission table.
        let rows = sqlx::query!(
            r#"SELECT s.id, COALESCE(s.snapshot->>'name', s.snapshot->>'title', '') AS "name!",
                      o.name AS organisation, COALESCE(c.title, '') AS "call!",
                      s.state AS "state: SubmissionState", s.required_reviews, s.round,
                      s.organisation_id, s.call_id, c.organisation_id AS "agency?",
                      (SELECT count(*) FROM reviews r WHERE r.submission_id = s.id
                         AND r.round = s.round) AS "reviews!",
                      EXISTS (SELECT 1 FROM reviews r WHERE r.submission_id = s.id
                         AND r.round = s.round AND r.reviewer_id = $1) AS "mine!",
                      EXISTS (SELECT 1 FROM objections b WHERE b.submission_id = s.id
                         AND b.state = 'open') AS "objected!",
                      EXISTS (SELECT 1 FROM reviews r WHERE r.submission_id = s.id
                         AND r.reviewer_id = $1) AS "reviewed_ever!"
               FROM submissions s
               JOIN organisations o ON o.id = s.organisation_id
               LEFT JOIN calls c ON c.id = s.call_id
               WHERE (s.state IN ('submitted', 'in_review', 'in_notice')
                      AND ((s.call_id IS NOT NULL
                            AND (EXISTS (SELECT 1 FROM call_reviewers cr
                                         WHERE cr.call_id = s.call_id AND cr.user_id = $1)
                                 OR c.organisation_id = ANY($2)))
                           OR (s.call_id IS NULL AND $3)
                           -- An agency's own submission into its call: platform
                           -- reviewers take it.
                           OR (s.organisation_id = c.organisation_id AND $3)))
                  -- What they reviewed, whatever became of it.
                  OR EXISTS (SELECT 1 FROM reviews r WHERE r.submission_id = s.id
                             AND r.reviewer_id = $1)
               ORDER BY s.submitted_at, s.id
               LIMIT 2000"#,
            account.user.0,
            &agencies,
            platform_reviewer
        )
        .fetch_all(&state.pool)
        .await?;
        let mut reviewers_of = std::collections::HashMap::new();
        let mut queue = ReviewQueue::default();
        for row in rows {
            let reviewers = match row.call_id {
                Some(call) => match reviewers_of.get(&call) {
                    Some(found) => Clone::clone(found),
                    None => {
                        let mut conn = state.pool.acquire().await?;
                        let found = crate::submissions::server::target::call_reviewers(
                            &mut conn,
                            crate::domain::CallId(call),
                        )
                        .await?;
                        reviewers_of.insert(call, found.clone());
                        found
                    }
                },
                None => Vec::new(),
            };
            let target = crate::auth::Target {
                organisation: Some(crate::domain::OrganisationId(row.organisation_id)),
                call_agency: row.agency.map(crate::domain::OrganisationId),
                reviewers,
            };
            let line = QueueLine {
                id: row.id,
                name: row.name,
                organisation: row.organisation,
                call: row.call,
                state: row.state,
                reviews: row.reviews,
                required: row.required_reviews,
            };
            let in_review = matches!(
                row.state,
                SubmissionState::Submitted | SubmissionState::InReview
            );
            // What they reviewed stays listed after the decision, while they may see it.
            let reviewed_before = row.reviewed_ever
                && (row.mine || !in_review)
                && check(&caller, Action::ViewUnpublished, &target).is_ok();
            if reviewed_before {
                queue.reviewed.push(line.clone());
            }
            if row.state == SubmissionState::InNotice {
                if row.objected && check(&caller, Action::RuleOnObjection, &target).is_ok() {
                    queue.objections.push(line);
                }
                continue;
            }
            if in_review && !row.mine && check(&caller, Action::ReviewSubmission, &target).is_ok() {
                queue.to_review.push(line.clone());
            }
            if row.state == SubmissionState::InReview
                && row.reviews >= i64::from(row.required_reviews)
                && check(&caller, Action::DecideSubmission, &target).is_ok()
            {
                queue.to_decide.push(line);
            }
        }
        Ok(queue)
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::Internal)
    }
}
