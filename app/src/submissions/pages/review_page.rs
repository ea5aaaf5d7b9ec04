//! `/review/{id}`: one submission as its reviewers, its lead and its agency see it: the
//! text submitted, the criteria to score, the caller's review, the reviews in (for those
//! who decide), the decision, and the objections of its public notice with their rulings.

use super::{RecordFacts, RecordTexts};
use crate::accounts::form::{Field, FieldLabels, PostForm, RedirectNotice, TextAreaField};
use crate::accounts::AccessDenied;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::submissions::forms::RecordForm;
#[cfg(feature = "ssr")]
use crate::submissions::forms::RecordKind;
use crate::submissions::state::SubmissionState;
use crate::submissions::texts::{use_workflow_texts, workflow_texts};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// The labels of the review page's forms.
pub fn review_labels(locale: crate::i18n::Locale) -> FieldLabels {
    let t = workflow_texts(locale);
    let mut labels = vec![
        ("comment", t.comment),
        ("reason", t.decision_reason),
        ("decision", t.decision),
        ("ruling", t.ruling),
    ];
    // A criterion's title is the call's; the summary names it by its position.
    for (position, label) in t.score_labels.iter().enumerate() {
        labels.push((
            crate::submissions::review_score_field(position as i16 + 1),
            *label,
        ));
    }
    FieldLabels(labels)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewLine {
    pub reviewer: String,
    pub score: Option<i16>,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionLine {
    pub id: i64,
    pub signed_name: String,
    pub reason: String,
    pub state: String,
    pub ruling: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub id: i64,
    pub organisation: String,
    pub call: String,
    pub state: SubmissionState,
    pub round: i16,
    pub revision: bool,
    /// The record's public page (a revision changes a published record).
    pub record_page: String,
    pub record: RecordForm,
    /// (position, title, weight); one overall criterion in the shared queue.
    pub criteria: Vec<(i16, String, i16)>,
    pub my_scores: Vec<(i16, i16)>,
    pub my_comment: String,
    pub can_review: bool,
    pub can_decide: bool,
    pub can_rule: bool,
    pub required: i16,
    /// Every review of this round, for those who decide.
    pub reviews: Vec<ReviewLine>,
    pub reviews_in: i64,
    pub objections: Vec<ObjectionLine>,
    pub notice_until: Option<String>,
    pub decision_reason: Option<String>,
    pub attachments: Vec<super::AttachmentLine>,
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    provide_context(review_labels(use_locale()));
    let view_data = Resource::new_blocking(move || id.clone(), load);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(review) => view! { <ReviewBody review /> }.into_any(),
                    Err(error) => view! { <AccessDenied error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReviewBody(review: ReviewView) -> impl IntoView {
    let t = use_workflow_texts();
    let locale = use_locale();
    let id = review.id;
    let record = review.record.clone();
    let title = record.title().to_owned();
    let my_scores = review.my_scores.clone();
    let score_of = move |position: i16| {
        my_scores
            .iter()
            .find(|(p, _)| *p == position)
            .map(|(_, s)| s.to_string())
            .unwrap_or_default()
    };
    view! {
        <PageTitle text=title.clone() />
        <article class="account" data-testid="review-detail">
            <h1>{title}</h1>
            <RedirectNotice />
            <dl class="facts">
                <dt>{t.submitted_by}</dt><dd>{review.organisation.clone()}</dd>
                <dt>{t.call}</dt><dd>{if review.call.is_empty() { t.no_call.to_owned() } else { review.call.clone() }}</dd>
                <dt>{t.state}</dt><dd data-testid="submission-state">{review.state.label(locale)}</dd>
                <dt>{t.round}</dt><dd>{review.round}</dd>
                {review.revision.then(|| view! {
                    <dt>{t.purpose_revision}</dt>
                    <dd><a href=review.record_page.clone()>{t.view_published}</a></dd>
                })}
                {review.notice_until.clone().map(|day| view! { <dt>{t.notice_until}</dt><dd>{day}</dd> })}
                <RecordFacts record=record.clone() />
            </dl>
            <RecordTexts record=record />
            <h2>{t.attachments}</h2>
            <super::AttachmentList files=review.attachments.clone() />
            {review.can_review.then(|| view! {
                <section aria-labelledby="my-review">
                    <h2 id="my-review">{t.your_review}</h2>
                    <PostForm action=format!("/review/{id}") label=t.your_review>
                        {review.criteria.iter().map(|(position, title, weight)| {
                            let field = crate::submissions::review_score_field(*position);
                            view! {
                                <div class="field">
                                    <label for=format!("field-{field}")>{match locale {
                                        crate::i18n::Locale::ZhCn => format!("{title}（权重 {weight}%）{}", t.score_for),
                                        crate::i18n::Locale::En => format!("{title} (weight {weight}%) {}", t.score_for),
                                    }}</label>
                                    <p class="field-error" id=format!("field-{field}-error") data-error-for=field hidden=true></p>
                                    <input id=format!("field-{field}") name=field type="number" min="0" max="100" value=score_of(*position) aria-describedby=format!("field-{field}-error") />
                                </div>
                            }
                        }).collect_view()}
                        <TextAreaField name="comment" label=t.comment maxlength=5000 required=true value=review.my_comment.clone() />
                        <button type="submit">{t.save_review}</button>
                    </PostForm>
                </section>
            })}
            {review.can_decide.then(|| view! {
                <section aria-labelledby="reviews-in">
                    <h2 id="reviews-in">{match locale {
                        crate::i18n::Locale::ZhCn => format!("{}（{}/{}）", t.reviews, review.reviews_in, review.required),
                        crate::i18n::Locale::En => format!("{} ({}/{})", t.reviews, review.reviews_in, review.required),
                    }}</h2>
                    <ul class="queue" data-testid="reviews">
                        {review.reviews.iter().map(|line| view! {
                            <li>{line.reviewer.clone()} " · " {line.score.map(|s| s.to_string()).unwrap_or_default()} " · " {line.comment.clone()}</li>
                        }).collect_view()}
                    </ul>
                    {(review.state == SubmissionState::InReview).then(|| view! {
                        <PostForm action=format!("/review/{id}/decide") label=t.decision>
                            <fieldset id="field-decision">
                                <legend>{t.decision}</legend>
                                <p class="field-error" data-error-for="decision" hidden=true></p>
                                <div class="checkbox"><input type="radio" id="decision-approve" name="decision" value="approve" checked=true /><label for="decision-approve">{t.approve}</label></div>
                                <div class="checkbox"><input type="radio" id="decision-return" name="decision" value="return" /><label for="decision-return">{t.return_for_revision}</label></div>
                                <div class="checkbox"><input type="radio" id="decision-reject" name="decision" value="reject" /><label for="decision-reject">{t.reject}</label></div>
                            </fieldset>
                            <TextAreaField name="reason" label=t.decision_reason hint=t.decision_reason_hint maxlength=5000 />
                            {review.revision.then(|| view! {
                                <div class="field checkbox">
                                    <input type="checkbox" id="field-substantive" name="substantive" value="yes" />
                                    <label for="field-substantive">{t.substantive}</label>
                                </div>
                            })}
                            <button type="submit">{t.decide}</button>
                        </PostForm>
                    })}
                </section>
            })}
            {(!review.objections.is_empty() || review.can_rule).then(|| view! {
                <section aria-labelledby="objections">
                    <h2 id="objections">{t.objections}</h2>
                    {if review.objections.is_empty() {
                        view! { <p>{t.no_objections}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="queue" data-testid="objections">
                                {review.objections.iter().map(|objection| {
                                    let open = objection.state == "open";
                                    view! {
                                        <li>
                                            <p><strong>{objection.signed_name.clone()}</strong> " · " {objection_state(&objection.state, t)}</p>
                                            <p>{objection.reason.clone()}</p>
                                            {objection.ruling.clone().map(|r| view! { <p>{t.ruling} ": " {r}</p> })}
                                            {(open && review.can_rule).then(|| view! {
                                                <PostForm action=format!("/objections/{}/rule", objection.id) label=format!("{} {}", t.rule_on, objection.id)>
                                                    <Field name="ruling" label=t.ruling maxlength=2000 />
                                                    <button type="submit" name="outcome" value="dismiss">{t.dismiss}</button>
                                                    <button type="submit" name="outcome" value="uphold" class="secondary">{t.uphold}</button>
                                                </PostForm>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            })}
            <p><a href="/review">{t.review_queue}</a></p>
        </article>
    }
}

/// An objection's state in the reader's language.
fn objection_state(state: &str, t: &crate::submissions::texts::WorkflowTexts) -> &'static str {
    match state {
        "open" => t.objection_open,
        "dismissed" => t.objection_dismissed,
        "upheld" => t.objection_upheld,
        _ => "",
    }
}

async fn load(id: String) -> Result<ReviewView, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    #[cfg(feature = "ssr")]
    {
        use crate::auth::{check, Action};
        let caller = crate::accounts::use_caller();
        let account = caller.signed_in().ok_or(AppError::Unauthorized)?;
        let state = crate::state::app_state()?;
        let mut conn = state.pool.acquire().await?;
        let locked = crate::submissions::server::target::read_submission(&mut conn, id).await?;
        check(&caller, Action::ViewUnpublished, &locked.target).map_err(|_| AppError::NotFound)?;
        let row = sqlx::query!(
            r#"SELECT o.name AS organisation, COALESCE(c.title, '') AS "call!", s.snapshot,
                      s.decision_reason
               FROM submissions s JOIN organisations o ON o.id = s.organisation_id
               LEFT JOIN calls c ON c.id = s.call_id WHERE s.id = $1"#,
            id
        )
        .fetch_one(&state.pool)
        .await?;
        let criteria = match locked.call {
            Some(call) => sqlx::query!(
                "SELECT position, title, weight FROM call_criteria WHERE call_id = $1 ORDER BY position",
                call.0
            )
            .fetch_all(&state.pool)
            .await?
            .into_iter()
            .map(|c| (c.position, c.title, c.weight))
            .collect(),
            None => vec![(1, workflow_texts(crate::i18n::use_locale()).overall_score.to_owned(), 100)],
        };
        let mine = sqlx::query!(
            "SELECT id, comment FROM reviews WHERE submission_id = $1 AND round = $2 AND reviewer_id = $3",
            id,
            locked.round,
            account.user.0
        )
        .fetch_optional(&state.pool)
        .await?;
        let my_scores = match &mine {
            Some(review) => sqlx::query!(
                "SELECT position, score FROM review_scores WHERE review_id = $1",
                review.id
            )
            .fetch_all(&state.pool)
            .await?
            .into_iter()
            .map(|s| (s.position, s.score))
            .collect(),
            None => Vec::new(),
        };
        let under_review = matches!(
            locked.state,
            SubmissionState::Submitted | SubmissionState::InReview
        );
        let can_review =
            under_review && check(&caller, Action::ReviewSubmission, &locked.target).is_ok();
        let can_decide = check(&caller, Action::DecideSubmission, &locked.target).is_ok();
        // Open objections are ruled on whatever the state (one left from before an earlier
        // one sent the item back to review too).
        let can_rule = check(&caller, Action::RuleOnObjection, &locked.target).is_ok();
        let reviews: Vec<ReviewLine> = if can_decide {
            sqlx::query!(
                "SELECT u.display_name, r.score, r.comment FROM reviews r
                 JOIN users u ON u.id = r.reviewer_id
                 WHERE r.submission_id = $1 AND r.round = $2 ORDER BY r.id",
                id,
                locked.round
            )
            .fetch_all(&state.pool)
            .await?
            .into_iter()
            .map(|r| ReviewLine {
                reviewer: r.display_name,
                score: r.score,
                comment: r.comment,
            })
            .collect()
        } else {
            Vec::new()
        };
        let reviews_in = sqlx::query_scalar!(
            r#"SELECT count(*) AS "count!" FROM reviews WHERE submission_id = $1 AND round = $2"#,
            id,
            locked.round
        )
        .fetch_one(&state.pool)
        .await?;
        // Objections name their signer: the call's reviewers and admins only, which is
        // who may open this page besides the submitter's organisation.
        let sees_objections = check(&caller, Action::ReviewSubmission, &locked.target).is_ok()
            || can_decide
            || can_rule;
        let objections = if sees_objections {
            sqlx::query!(
                "SELECT id, signed_name, reason, state::text AS \"state!\", ruling
                 FROM objections WHERE submission_id = $1 ORDER BY id",
                id
            )
            .fetch_all(&state.pool)
            .await?
            .into_iter()
            .map(|o| ObjectionLine {
                id: o.id,
                signed_name: o.signed_name,
                reason: o.reason,
                state: o.state,
                ruling: o.ruling,
            })
            .collect()
        } else {
            Vec::new()
        };
        // The record's files, and those a change to it brings (frozen when submitted).
        let mut attachments = crate::submissions::server::attachments::list(
            &state.pool,
            &locked.record_kind,
            locked.record_id,
        )
        .await?;
        attachments.extend(
            crate::submissions::server::attachments::list(&state.pool, "submission", locked.id)
                .await?,
        );
        Ok(ReviewView {
            attachments,
            id,
            organisation: row.organisation,
            call: row.call,
            state: locked.state,
            round: locked.round,
            revision: locked.purpose == "revision",
            record_page: format!("/{}s/{}", locked.record_kind, locked.record_id),
            record: RecordForm::from_snapshot(
                RecordKind::from_code(&locked.record_kind).ok_or(AppError::Internal)?,
                &row.snapshot,
            ),
            criteria,
            my_scores,
            my_comment: mine.map(|m| m.comment).unwrap_or_default(),
            can_review,
            can_decide,
            can_rule,
            required: locked.required_reviews,
            reviews,
            reviews_in,
            objections,
            notice_until: locked.notice_until.map(|d| d.to_string()),
            decision_reason: row.decision_reason,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = id;
        Err(AppError::Internal)
    }
}
