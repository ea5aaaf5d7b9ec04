//! Keeping the holiday calendar (`calendar_days`, `calendar_years`) that working-day notice
//! windows follow: a platform admin enters each year's arrangements when the State Council
//! publishes them (国务院办公厅关于某年部分节假日安排的通知, usually in November).

use crate::accounts::form::{FieldError, Problem};
use crate::accounts::server::Refusal;
use crate::audit::{self, Actor, AuditEntry};
use crate::auth::{check, Action, Caller, Target};
use crate::calls::notice_window::DayKind;
use crate::error::AppError;
use crate::state::AppState;
use chrono::{Datelike, NaiveDate};

fn admin(caller: &Caller) -> Result<crate::domain::UserId, AppError> {
    check(caller, Action::EditHolidayCalendar, &Target::none())?;
    caller
        .signed_in()
        .map(|account| account.user)
        .ok_or(AppError::Unauthorized)
}

fn invalid(field: &'static str, problem: Problem) -> Refusal {
    Refusal::Invalid(vec![FieldError { field, problem }])
}

/// Records `day` as a public holiday or an adjusted working day named `name` (replacing
/// what the calendar said of it). Returns the day.
///
/// Errors: [`Refusal::Invalid`] on `day` (not a date, outside 2000–2100), `kind`, `name`
/// (empty, over 50 characters); 401/403.
pub async fn set_day(
    state: &AppState,
    caller: &Caller,
    day: &str,
    kind: &str,
    name: &str,
) -> Result<NaiveDate, Refusal> {
    let user = admin(caller)?;
    let day = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .ok()
        .filter(|day| (2000..=2100).contains(&day.year()))
        .ok_or_else(|| invalid("day", Problem::InvalidDate))?;
    let kind = DayKind::from_code(kind).ok_or_else(|| invalid("kind", Problem::InvalidChoice))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid("name", Problem::Required));
    }
    if name.chars().count() > 50 {
        return Err(invalid("name", Problem::TooLong));
    }
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "INSERT INTO calendar_days (day, kind, name, updated_by, updated_at)
         VALUES ($1, ($2::text)::calendar_day_kind, $3, $4, $5)
         ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name,
             updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at",
        day,
        kind.code(),
        name,
        user.0,
        now
    )
    .execute(&mut *tx)
    .await?;
    let reason = format!("{day} {} {name}", kind.code());
    record(&mut tx, user, day.year(), "set_calendar_day", &reason, now).await?;
    tx.commit().await?;
    Ok(day)
}

/// Removes `day` from the calendar (it becomes an ordinary day again). Errors: 404 when
/// the calendar does not name it; 401/403.
pub async fn remove_day(state: &AppState, caller: &Caller, day: NaiveDate) -> Result<(), Refusal> {
    let user = admin(caller)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let removed = sqlx::query!("DELETE FROM calendar_days WHERE day = $1", day)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if removed == 0 {
        return Err(AppError::NotFound.into());
    }
    record(
        &mut tx,
        user,
        day.year(),
        "remove_calendar_day",
        &day.to_string(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Marks `year`'s arrangements as entered in full, from the notice `source` (its number,
/// e.g. 国办发明电〔2026〕x号). Returns the year.
///
/// Errors: [`Refusal::Invalid`] on `year` (2000–2100) or `source` (1–200 characters);
/// 401/403.
pub async fn enter_year(
    state: &AppState,
    caller: &Caller,
    year: &str,
    source: &str,
) -> Result<i32, Refusal> {
    let user = admin(caller)?;
    let year: i32 = year
        .trim()
        .parse()
        .ok()
        .filter(|year| (2000..=2100).contains(year))
        .ok_or_else(|| {
            invalid(
                "year",
                Problem::OutOfRange {
                    min: 2000,
                    max: 2100,
                },
            )
        })?;
    let source = source.trim();
    if source.is_empty() {
        return Err(invalid("source", Problem::Required));
    }
    if source.chars().count() > 200 {
        return Err(invalid("source", Problem::TooLong));
    }
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "INSERT INTO calendar_years (year, source, updated_by, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (year) DO UPDATE SET source = EXCLUDED.source,
             updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at",
        year,
        source,
        user.0,
        now
    )
    .execute(&mut *tx)
    .await?;
    record(&mut tx, user, year, "enter_calendar_year", source, now).await?;
    tx.commit().await?;
    Ok(year)
}

async fn record(
    tx: &mut sqlx::PgConnection,
    user: crate::domain::UserId,
    year: i32,
    action: &str,
    reason: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), sqlx::Error> {
    audit::record(
        tx,
        AuditEntry {
            actor: Actor::User(user),
            subject_kind: "calendar",
            subject_id: year.into(),
            action,
            from_state: None,
            to_state: None,
            reason: Some(reason),
            changed_fields: &[],
            at: now,
        },
    )
    .await
}
