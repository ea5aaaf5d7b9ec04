//! `/_test/clock`, mounted only on test deployments (`CATALOGUE_ENVIRONMENT=test`): the
//! end-to-end tests move the running server's clock (a notice window ending, a batch
//! lapsing) and see the scheduler act on it. Production never has this route.
//!
//! - `GET /_test/clock`: `{"now", "today", "offset_seconds"}`.
//! - `POST /_test/clock?offset=+10d`: sets the clock to the system time plus the offset
//!   (`+10d`, `-400d`, `12h`, `0s`), runs the scheduler's due steps at once, and answers the
//!   new time with what each step did.

use crate::scheduler::{Ran, Scheduler};
use app::clock::{parse_offset, Clock};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct Move {
    offset: String,
}

#[derive(Serialize)]
struct Now {
    now: chrono::DateTime<chrono::Utc>,
    today: chrono::NaiveDate,
    offset_seconds: i64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    steps: Vec<(String, String)>,
}

fn now(clock: &Clock, steps: Vec<(String, String)>) -> Now {
    Now {
        now: clock.now(),
        today: clock.today(),
        offset_seconds: clock.offset().num_seconds(),
        steps,
    }
}

pub async fn show(State(scheduler): State<Scheduler>) -> Response {
    Json(now(&scheduler.clock, Vec::new())).into_response()
}

pub async fn set(State(scheduler): State<Scheduler>, Query(change): Query<Move>) -> Response {
    let offset = match parse_offset(&change.offset) {
        Ok(offset) => offset,
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    if let Err(error) = scheduler.clock.set_offset(offset) {
        return (StatusCode::CONFLICT, error.to_string()).into_response();
    }
    let steps = scheduler
        .tick()
        .await
        .into_iter()
        .filter_map(|(step, ran)| match ran {
            Ran::Skipped => None,
            Ran::Done(outcome) => Some((step.name().to_owned(), outcome)),
            Ran::Failed(error) => Some((step.name().to_owned(), format!("failed: {error}"))),
        })
        .collect();
    Json(now(&scheduler.clock, steps)).into_response()
}
