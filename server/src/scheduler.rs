//! The scheduler: steps that change public facts when a date passes, run inside the
//! server. Every step is idempotent and driven by the server's clock (`app::clock`), and
//! every change of what is public goes through `app::publication` (audit and search-outbox
//! rows in the same transaction).
//!
//! Several servers may run it: each step has a row in `scheduler_steps`, locked while the
//! step runs (`FOR UPDATE SKIP LOCKED`), so one server runs it and the others skip; the row
//! then records the business day it ran for, so it runs once a day however many servers
//! tick. A step that fails leaves its day unrecorded and is tried again at the next tick.
//!
//! Later features add their steps to [`Step`].

use crate::indexer;
use anyhow::{Context, Result};
use app::clock::Clock;
use app::publication;
use app::search::SearchBackend;
use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use serde::Serialize;
use sqlx::PgPool;
use std::time::Duration;

/// How often the scheduler looks for due steps (moving a test deployment's clock also runs
/// a tick at once).
pub const TICK: Duration = Duration::from_secs(30);
/// Processed search-outbox rows are kept this long (rebuilds replay recent ones).
pub const OUTBOX_RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Opens announced calls on their opening day.
    OpenCalls,
    /// Closes open calls after their last day.
    CloseCalls,
    /// Publishes what leaves public notice (the notice's last day has passed).
    EndNotices,
    /// Expires published products past their own validity.
    ExpireProducts,
    /// Re-indexes products whose first-purchase eligibility changed with the date (a batch
    /// started or lapsed, grace days ran out).
    EligibilityChanges,
    /// Writes the day's fair order of ties into an index that stores it (Meilisearch).
    FairOrder,
    /// Deletes search-outbox rows processed more than a week ago.
    PruneOutbox,
    /// Writes the day's open-data dump (`open_data`), after the day's changes.
    OpenDataDump,
}

enum Cadence {
    /// Once per business day (deployment time zone).
    Daily,
    Every(TimeDelta),
}

impl Step {
    /// In the order they run within a tick: notices end before eligibility is compared,
    /// so a product published today is indexed with today's eligibility.
    pub const ALL: [Step; 8] = [
        Step::OpenCalls,
        Step::CloseCalls,
        Step::EndNotices,
        Step::ExpireProducts,
        Step::EligibilityChanges,
        Step::FairOrder,
        Step::PruneOutbox,
        Step::OpenDataDump,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Step::OpenCalls => "open_calls",
            Step::CloseCalls => "close_calls",
            Step::EndNotices => "end_notices",
            Step::ExpireProducts => "expire_products",
            Step::EligibilityChanges => "eligibility_changes",
            Step::FairOrder => "fair_order",
            Step::PruneOutbox => "prune_outbox",
            Step::OpenDataDump => "open_data_dump",
        }
    }

    fn cadence(self) -> Cadence {
        match self {
            Step::PruneOutbox => Cadence::Every(TimeDelta::hours(1)),
            _ => Cadence::Daily,
        }
    }
}

/// What the scheduler needs.
#[derive(Clone)]
pub struct Scheduler {
    pub pool: PgPool,
    pub clock: Clock,
    pub search: SearchBackend,
    /// Where the site is reached (links in the mail a published submission sends).
    pub site: app::state::Site,
    /// Where the open-data dump goes (`None`: not written).
    pub open_data_dir: Option<std::path::PathBuf>,
}

/// What one step did in a tick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ran {
    /// Not due, or another server is running it.
    Skipped,
    Done(String),
    Failed(String),
}

struct StepRow {
    last_day: Option<NaiveDate>,
    last_finished_at: Option<DateTime<Utc>>,
}

impl Scheduler {
    pub fn from_state(state: &app::state::AppState) -> Scheduler {
        Scheduler {
            pool: state.pool.clone(),
            clock: state.clock.clone(),
            search: state.search.clone(),
            site: state.site.clone(),
            open_data_dir: state.open_data_dir.clone(),
        }
    }

    /// Runs for the life of the server.
    pub async fn run(self) {
        loop {
            for (step, ran) in self.tick().await {
                match ran {
                    Ran::Done(outcome) => {
                        tracing::info!(step = step.name(), outcome, "scheduled step ran")
                    }
                    Ran::Failed(error) => tracing::warn!(
                        step = step.name(),
                        error,
                        "scheduled step failed; it will be tried again"
                    ),
                    Ran::Skipped => {}
                }
            }
            tokio::time::sleep(TICK).await;
        }
    }

    /// Runs every due step once, in order.
    pub async fn tick(&self) -> Vec<(Step, Ran)> {
        let mut report = Vec::with_capacity(Step::ALL.len());
        for step in Step::ALL {
            let ran = match self.run_step(step).await {
                Ok(ran) => ran,
                Err(error) => {
                    let message = format!("{error:#}");
                    let _ = self.record_failure(step, &message).await;
                    Ran::Failed(message)
                }
            };
            report.push((step, ran));
        }
        report
    }

    async fn run_step(&self, step: Step) -> Result<Ran> {
        sqlx::query!(
            "INSERT INTO scheduler_steps (step) VALUES ($1) ON CONFLICT (step) DO NOTHING",
            step.name()
        )
        .execute(&self.pool)
        .await?;
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query_as!(
            StepRow,
            "SELECT last_day, last_finished_at FROM scheduler_steps
             WHERE step = $1 FOR UPDATE SKIP LOCKED",
            step.name()
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(Ran::Skipped); // another server is running it
        };
        let (now, today) = (self.clock.now(), self.clock.today());
        if !is_due(step, &row, now, today) {
            // At once, not when the pool gets round to it: the row lock goes with it.
            tx.rollback().await?;
            return Ok(Ran::Skipped);
        }
        let outcome = match step {
            Step::OpenCalls => {
                let opened = app::calls::due::open_due_calls(&mut tx, today, now).await?;
                format!("{} calls opened", opened.len())
            }
            Step::CloseCalls => {
                let closed = app::calls::due::close_due_calls(&mut tx, today, now).await?;
                let finished = app::calls::due::finish_done_calls(&mut tx, now).await?;
                format!("{} calls closed, {} finished", closed.len(), finished.len())
            }
            Step::EndNotices => {
                // Submissions first (their records are published with them), then records
                // in notice without a submission (loaded by the demo catalogue).
                let accepted = app::submissions::server::notice::end_due_notices(
                    &mut tx, &self.site, today, now,
                )
                .await?;
                let published = publication::end_due_notices(&mut tx, today, now).await?;
                format!(
                    "{} submissions accepted, {} other records published",
                    accepted.len(),
                    published.len()
                )
            }
            Step::ExpireProducts => {
                let expired = publication::expire_lapsed_products(&mut tx, today, now).await?;
                format!("{} products expired", expired.len())
            }
            Step::EligibilityChanges => {
                // The day it last ran for, before or (a clock moved back) after today.
                let from = row.last_day.unwrap_or_else(|| today - TimeDelta::days(1));
                let changed =
                    publication::eligibility_changed_between(&mut tx, from, today, now).await?;
                format!(
                    "{} products changed eligibility since {from}",
                    changed.len()
                )
            }
            Step::FairOrder => {
                let written = self
                    .search
                    .refresh_fair_order(&self.pool)
                    .await
                    .context("writing the day's fair order")?;
                format!("{written} documents given the order of {today}")
            }
            Step::PruneOutbox => {
                let pruned = indexer::prune_processed(&self.pool, OUTBOX_RETENTION).await?;
                format!("{pruned} processed outbox rows deleted")
            }
            Step::OpenDataDump => match &self.open_data_dir {
                Some(folder) => {
                    let info =
                        crate::open_data::write_dump(&self.pool, &self.site, &self.clock, folder)
                            .await?;
                    let records: u64 = info.records.values().sum();
                    format!("{records} records in {} ({} bytes)", info.file, info.bytes)
                }
                None => "no open-data folder: nothing written".to_owned(),
            },
        };
        sqlx::query!(
            "UPDATE scheduler_steps
             SET last_day = $2, last_started_at = $3, last_finished_at = $4,
                 last_outcome = $5, last_error = NULL, runs = runs + 1
             WHERE step = $1",
            step.name(),
            today,
            now,
            self.clock.now(),
            outcome
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ran::Done(outcome))
    }

    async fn record_failure(&self, step: Step, error: &str) -> Result<()> {
        sqlx::query!(
            "UPDATE scheduler_steps SET last_error = $2, last_started_at = $3 WHERE step = $1",
            step.name(),
            error,
            self.clock.now()
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

fn is_due(step: Step, row: &StepRow, now: DateTime<Utc>, today: NaiveDate) -> bool {
    match step.cadence() {
        // Any other day than today, before or after: a clock moved back (a test or demo
        // deployment) must not leave the daily steps asleep until the day it came from.
        Cadence::Daily => row.last_day != Some(today),
        Cadence::Every(interval) => row
            .last_finished_at
            // A clock moved back (tests) must not stop the step for the distance moved.
            .is_none_or(|last| now - last >= interval || last > now),
    }
}

/// A step's state, for `/healthz`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StepState {
    pub step: &'static str,
    /// The business day it last ran for (deployment time zone).
    pub last_day: Option<NaiveDate>,
    pub last_run_at: Option<DateTime<Utc>>,
    pub last_outcome: Option<String>,
    pub last_error: Option<String>,
    /// When it is due: it runs at the first tick after this moment. A moment minutes in the
    /// past means it did not run when it should have (`/healthz` then says `degraded`).
    pub next_run_at: DateTime<Utc>,
}

/// Every step's last and next run.
pub async fn states(pool: &PgPool, clock: &Clock) -> Result<Vec<StepState>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT step, last_day, last_finished_at, last_outcome, last_error FROM scheduler_steps"
    )
    .fetch_all(pool)
    .await?;
    let (now, today) = (clock.now(), clock.today());
    Ok(Step::ALL
        .iter()
        .map(|step| {
            let row = rows.iter().find(|row| row.step == step.name());
            let last_day = row.and_then(|row| row.last_day);
            let last_run_at = row.and_then(|row| row.last_finished_at);
            // When it is (or was) due: in the past when it should have run already.
            let next_run_at = match step.cadence() {
                Cadence::Daily if last_day == Some(today) => {
                    start_of_day(clock, today + TimeDelta::days(1))
                }
                // Due since today began (or since now, if it never ran: it runs at start).
                Cadence::Daily => match last_day {
                    Some(_) => start_of_day(clock, today).min(now),
                    None => now,
                },
                Cadence::Every(interval) => last_run_at.map_or(now, |at| at + interval),
            };
            StepState {
                step: step.name(),
                last_day,
                last_run_at,
                last_outcome: row.and_then(|row| row.last_outcome.clone()),
                last_error: row.and_then(|row| row.last_error.clone()),
                next_run_at,
            }
        })
        .collect())
}

/// Midnight at the start of `day` in the deployment's time zone.
fn start_of_day(clock: &Clock, day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    clock
        .zone()
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(
            || Utc.from_utc_datetime(&midnight),
            |at| at.with_timezone(&Utc),
        )
}
