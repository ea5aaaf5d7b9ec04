//! Tasks. Every write answers 202 with a task summary, as in Meilisearch. The mock does the
//! work when the task is enqueued (a later read sees it at once), but reports the task the
//! way the real server does: `GET /tasks/{uid}` says `succeeded` or `failed` with `details`,
//! `error`, `duration` and the timestamps (fixtures 04, 05, 09, 27, 31); a test can make new
//! tasks look `processing` for their first polls, like a busy server (fixture 04).

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::{json, Value};

use super::errors::MeiliError;
use super::routes::{Reply, Req};
use super::state::Store;

pub struct Task {
    pub uid: u64,
    pub index_uid: Option<String>,
    pub kind: &'static str,
    pub details: Value,
    /// `details` while `processing` (counts not known yet are `null`).
    pub processing_details: Value,
    pub error: Option<MeiliError>,
    pub enqueued_at: DateTime<Utc>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// Polls of `GET /tasks/{uid}` left that still report `processing`.
    pub polls_left: usize,
    /// Whether a poll has reported it done (until then its sender has it in flight).
    pub reported_done: bool,
}

/// What a task did: its details, or its details and why it failed.
pub type Outcome = Result<Value, (Value, MeiliError)>;

impl Task {
    fn processing(&self) -> bool {
        self.polls_left > 0
    }

    pub fn status(&self) -> &'static str {
        if self.processing() {
            "processing"
        } else if self.error.is_some() {
            "failed"
        } else {
            "succeeded"
        }
    }

    pub fn view(&self) -> Value {
        let done = !self.processing();
        json!({
            "uid": self.uid,
            "batchUid": self.uid,
            "indexUid": self.index_uid,
            "status": self.status(),
            "type": self.kind,
            "canceledBy": null,
            "details": if done { &self.details } else { &self.processing_details },
            "error": self.error.as_ref().filter(|_| done).map(MeiliError::body),
            "duration": done.then(|| iso_duration(self.finished_at - self.started_at)),
            "enqueuedAt": timestamp(self.enqueued_at),
            "startedAt": timestamp(self.started_at),
            "finishedAt": done.then(|| timestamp(self.finished_at)),
        })
    }

    pub fn summary(&self) -> Value {
        json!({
            "taskUid": self.uid,
            "indexUid": self.index_uid,
            "status": "enqueued",
            "type": self.kind,
            "enqueuedAt": timestamp(self.enqueued_at),
        })
    }
}

impl Store {
    /// Logs a task whose work is already done and answers the 202 the client gets.
    pub fn enqueue(
        &mut self,
        index_uid: Option<&str>,
        kind: &'static str,
        processing_details: Value,
        outcome: Outcome,
    ) -> (u16, Value) {
        let enqueued_at = Utc::now();
        // Plausible timings: the real server starts a task within a millisecond.
        let started_at = enqueued_at + Duration::microseconds(450);
        let finished_at = started_at + Duration::microseconds(1_100);
        let (details, error) = match outcome {
            Ok(details) => (details, None),
            Err((details, error)) => (details, Some(error)),
        };
        let task = Task {
            uid: self.tasks.len() as u64,
            index_uid: index_uid.map(str::to_string),
            kind,
            details,
            processing_details,
            error,
            enqueued_at,
            started_at,
            finished_at,
            polls_left: self.task_polls_before_done,
            reported_done: false,
        };
        let summary = task.summary();
        self.tasks.push(task);
        let in_flight = self.tasks.iter().filter(|t| !t.reported_done).count();
        self.most_tasks_in_flight = self.most_tasks_in_flight.max(in_flight);
        (202, summary)
    }
}

/// `GET /tasks/{uid}`.
pub fn get(store: &mut Store, req: &Req, uid: &str) -> Reply {
    let scope = store.authorize(req.headers, "tasks.get")?;
    let Ok(number) = uid.parse::<u64>() else {
        return Err(MeiliError::bad(
            "invalid_task_uids",
            format!("Task uid `{uid}` is invalid. It should only contain numeric characters."),
        ));
    };
    let not_found =
        || MeiliError::invalid(404, "task_not_found", format!("Task `{number}` not found."));
    let task = store.tasks.get_mut(number as usize).ok_or_else(not_found)?;
    if task.index_uid.as_deref().is_some_and(|i| !scope.allows(i)) {
        return Err(not_found());
    }
    let view = task.view();
    task.reported_done |= !task.processing();
    task.polls_left = task.polls_left.saturating_sub(1);
    Ok((200, view))
}

/// `GET /tasks?uids=&indexUids=&statuses=&types=&limit=&from=&reverse=`, newest first.
pub fn list(store: &mut Store, req: &Req) -> Reply {
    let scope = store.authorize(req.headers, "tasks.get")?;
    let list = |name: &str| -> Option<Vec<String>> {
        req.query(name)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .collect::<Vec<_>>()
            })
            .filter(|items| !items.iter().any(|i| i == "*"))
    };
    let number = |name: &str| -> Result<Option<u64>, MeiliError> {
        req.query(name)
            .map(|v| {
                v.parse::<u64>().map_err(|_| {
                    MeiliError::bad(
                        &format!("invalid_task_{name}"),
                        format!("Invalid value in parameter `{name}`: could not parse `{v}` as a positive integer"),
                    )
                })
            })
            .transpose()
    };
    let (uids, indexes, statuses, types) = (
        list("uids"),
        list("indexUids"),
        list("statuses"),
        list("types"),
    );
    let limit = number("limit")?.unwrap_or(20) as usize;
    let from = number("from")?;
    let reverse = req.query("reverse") == Some("true");

    let keep = |items: &Option<Vec<String>>, value: &str| {
        items
            .as_ref()
            .is_none_or(|items| items.iter().any(|i| i == value))
    };
    let mut tasks: Vec<&Task> = store
        .tasks
        .iter()
        .filter(|t| t.index_uid.as_deref().is_none_or(|i| scope.allows(i)))
        .filter(|t| keep(&uids, &t.uid.to_string()))
        .filter(|t| keep(&indexes, t.index_uid.as_deref().unwrap_or("")))
        .filter(|t| keep(&statuses, t.status()))
        .filter(|t| keep(&types, t.kind))
        .collect();
    if !reverse {
        tasks.reverse();
    }
    let total = tasks.len();
    if let Some(from) = from {
        tasks.retain(|t| {
            if reverse {
                t.uid >= from
            } else {
                t.uid <= from
            }
        });
    }
    let results: Vec<Value> = tasks.iter().take(limit).map(|t| t.view()).collect();
    Ok((
        200,
        json!({
            "results": results,
            "total": total,
            "limit": limit,
            "from": tasks.first().map(|t| t.uid),
            "next": tasks.get(limit).map(|t| t.uid),
        }),
    ))
}

/// RFC 3339 with nanoseconds, trailing zeros dropped, as the real server writes them
/// (`2026-11-25T22:47:35.24989228Z`).
pub fn timestamp(at: DateTime<Utc>) -> String {
    let full = at.to_rfc3339_opts(SecondsFormat::Nanos, true);
    match full.split_once('.') {
        Some((seconds, fraction)) => {
            let digits = fraction.trim_end_matches('Z').trim_end_matches('0');
            if digits.is_empty() {
                format!("{seconds}Z")
            } else {
                format!("{seconds}.{digits}Z")
            }
        }
        None => full,
    }
}

/// ISO 8601, as in `"duration": "PT0.009295567S"`.
pub fn iso_duration(duration: Duration) -> String {
    let nanos = duration.num_nanoseconds().unwrap_or(0).max(0);
    let (seconds, fraction) = (nanos / 1_000_000_000, nanos % 1_000_000_000);
    if fraction == 0 {
        format!("PT{seconds}S")
    } else {
        let digits = format!("{fraction:09}");
        format!("PT{seconds}.{}S", digits.trim_end_matches('0'))
    }
}
