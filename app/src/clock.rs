//! The one clock of the server: every "now" and "today" of a business rule comes from
//! here (first-purchase eligibility, scenario deadlines, public-notice windows, expiry,
//! "published on" dates, the daily fair order of search results).
//!
//! "Today" is the calendar day in the deployment's time zone (`DATABASE_TIMEZONE`,
//! `Asia/Shanghai` by default), never the UTC day: something published at 00:30 in
//! Changzhou was published on that day, although it was still the day before in UTC.
//! SQL receives "today" as a parameter rather than calling `current_date`.
//!
//! Operational timers (retry back-off of the search outbox, request timeouts) measure real
//! elapsed time and do not use this clock: moving the business day must not make the
//! server retry faster or slower.
//!
//! Tests pin the clock (`Clock::fixed`) and move it (`advance`, `set`). A running test or
//! demo deployment may be started with an offset and, for tests, moved while it runs
//! (`CLOCK_OFFSET`, `POST /_test/clock`; see the README); production refuses both.

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use std::sync::{Arc, RwLock};

/// Cheap to clone: clones share one time source.
#[derive(Clone)]
pub struct Clock {
    inner: Arc<Inner>,
}

struct Inner {
    zone: Tz,
    source: Source,
}

enum Source {
    /// The system clock moved by an offset. Only test and demo deployments start with an
    /// offset other than zero, and only tests may change it while running.
    System {
        offset: RwLock<TimeDelta>,
        adjustable: bool,
    },
    /// Stands still until told otherwise (tests).
    Fixed(RwLock<DateTime<Utc>>),
}

/// Why the clock refused to move.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error("this clock follows the system time and cannot be moved (production deployment)")]
    NotAdjustable,
    #[error("a clock may be moved at most {MAX_OFFSET_DAYS} days from the system time")]
    OutOfRange,
}

/// How far a clock may be moved from the system time, in days (about a century): far
/// enough for any test, near enough that no date computation overflows.
pub const MAX_OFFSET_DAYS: i64 = 36_525;

fn within_range(offset: TimeDelta) -> Result<TimeDelta, ClockError> {
    if offset.abs() <= TimeDelta::days(MAX_OFFSET_DAYS) {
        Ok(offset)
    } else {
        Err(ClockError::OutOfRange)
    }
}

impl Clock {
    /// The system time, in `zone`. Production uses this.
    pub fn system(zone: Tz) -> Clock {
        Clock::system_with_offset(zone, TimeDelta::zero(), false)
    }

    /// The system time moved by `offset` (at most [`MAX_OFFSET_DAYS`] either way; more is
    /// cut to that); `adjustable` lets `set_offset` move it later. Configuration allows an
    /// offset only for test and demo deployments.
    pub fn system_with_offset(zone: Tz, offset: TimeDelta, adjustable: bool) -> Clock {
        let limit = TimeDelta::days(MAX_OFFSET_DAYS);
        Clock::from_source(
            zone,
            Source::System {
                offset: RwLock::new(offset.clamp(-limit, limit)),
                adjustable,
            },
        )
    }

    /// A clock that shows `at` until moved (tests).
    pub fn fixed(zone: Tz, at: DateTime<Utc>) -> Clock {
        Clock::from_source(zone, Source::Fixed(RwLock::new(at)))
    }

    /// A fixed clock at a wall time in `zone`, e.g. 2026-11-30 00:30 in Changzhou.
    ///
    /// # Panics
    /// When that wall time does not exist or is ambiguous in `zone` (a daylight-saving
    /// gap); China has no daylight saving.
    pub fn fixed_local(zone: Tz, day: NaiveDate, hour: u32, minute: u32) -> Clock {
        let local = day
            .and_hms_opt(hour, minute, 0)
            .expect("an hour below 24 and a minute below 60");
        let at = zone
            .from_local_datetime(&local)
            .single()
            .expect("a wall time that exists once in the zone")
            .with_timezone(&Utc);
        Clock::fixed(zone, at)
    }

    fn from_source(zone: Tz, source: Source) -> Clock {
        Clock {
            inner: Arc::new(Inner { zone, source }),
        }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.inner.source {
            Source::System { offset, .. } => Utc::now() + read(offset),
            Source::Fixed(at) => read(at),
        }
    }

    /// The current calendar day in the deployment's time zone.
    pub fn today(&self) -> NaiveDate {
        self.date_of(self.now())
    }

    /// The calendar day of an instant in the deployment's time zone ("published on").
    pub fn date_of(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.inner.zone).date_naive()
    }

    /// The deployment's time zone.
    pub fn zone(&self) -> Tz {
        self.inner.zone
    }

    /// How far this clock is from the system time (zero in production).
    pub fn offset(&self) -> TimeDelta {
        match &self.inner.source {
            Source::System { offset, .. } => read(offset),
            Source::Fixed(at) => read(at) - Utc::now(),
        }
    }

    /// Sets the distance from the system time (test deployments), or moves a fixed clock
    /// to the system time plus `offset`.
    ///
    /// # Errors
    /// [`ClockError::NotAdjustable`] on a production clock, [`ClockError::OutOfRange`]
    /// beyond [`MAX_OFFSET_DAYS`].
    pub fn set_offset(&self, new_offset: TimeDelta) -> Result<(), ClockError> {
        let new_offset = within_range(new_offset)?;
        match &self.inner.source {
            Source::System {
                offset,
                adjustable: true,
            } => write(offset, new_offset),
            Source::System { .. } => return Err(ClockError::NotAdjustable),
            Source::Fixed(at) => write(at, Utc::now() + new_offset),
        }
        Ok(())
    }

    /// Moves a fixed or adjustable clock forward (or back, with a negative `by`).
    ///
    /// # Errors
    /// [`ClockError::NotAdjustable`] on a production clock.
    pub fn advance(&self, by: TimeDelta) -> Result<(), ClockError> {
        match &self.inner.source {
            Source::Fixed(at) => {
                let moved = read(at)
                    .checked_add_signed(within_range(by)?)
                    .ok_or(ClockError::OutOfRange)?;
                write(at, moved);
                Ok(())
            }
            Source::System { .. } => self.set_offset(self.offset() + by),
        }
    }

    /// Whether `set_offset` and `advance` work on this clock.
    pub fn is_adjustable(&self) -> bool {
        matches!(
            &self.inner.source,
            Source::Fixed(_)
                | Source::System {
                    adjustable: true,
                    ..
                }
        )
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clock")
            .field("zone", &self.inner.zone)
            .field("now", &self.now())
            .field("adjustable", &self.is_adjustable())
            .finish()
    }
}

// A poisoned lock still holds a valid time: a panic elsewhere must not stop the clock.
fn read<T: Copy>(lock: &RwLock<T>) -> T {
    *lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>, value: T) {
    *lock
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = value;
}

/// Reads a clock offset as configured: a signed whole number with a unit, `d` (days),
/// `h`, `m` or `s`, e.g. `+30d`, `-400d`, `90m`.
///
/// # Errors
/// A message saying what the value should look like.
pub fn parse_offset(text: &str) -> Result<TimeDelta, String> {
    let text = text.trim();
    let invalid = || format!("{text:?} is not an offset such as +30d, -400d, 12h, 90m or 45s");
    let (number, unit) = text.split_at(text.len().saturating_sub(1));
    let amount: i64 = number
        .strip_prefix('+')
        .unwrap_or(number)
        .parse()
        .map_err(|_| invalid())?;
    let delta = match unit {
        "d" => TimeDelta::try_days(amount),
        "h" => TimeDelta::try_hours(amount),
        "m" => TimeDelta::try_minutes(amount),
        "s" => TimeDelta::try_seconds(amount),
        _ => None,
    };
    let delta = delta.ok_or_else(invalid)?;
    within_range(delta).map_err(|error| format!("{text:?}: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai() -> Tz {
        chrono_tz::Asia::Shanghai
    }

    #[test]
    fn today_is_the_day_in_the_deployment_zone_not_in_utc() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let clock = Clock::fixed_local(shanghai(), day, 0, 30);
        assert_eq!(clock.now().date_naive(), day.pred_opt().unwrap(), "UTC");
        assert_eq!(clock.today(), day);
        assert_eq!(clock.date_of(clock.now()), day);
    }

    #[test]
    fn a_fixed_clock_moves_only_when_told() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        let clock = Clock::fixed_local(shanghai(), day, 12, 0);
        let copy = clock.clone();
        assert_eq!(clock.now(), copy.now());
        clock.advance(TimeDelta::days(400)).unwrap();
        assert_eq!(copy.today(), NaiveDate::from_ymd_opt(2027, 3, 7).unwrap());
        clock.advance(TimeDelta::days(-800)).unwrap();
        assert_eq!(copy.today(), NaiveDate::from_ymd_opt(2024, 12, 27).unwrap());
    }

    #[test]
    fn a_production_clock_refuses_to_move() {
        let clock = Clock::system(shanghai());
        assert!(!clock.is_adjustable());
        assert_eq!(
            clock.set_offset(TimeDelta::days(3)),
            Err(ClockError::NotAdjustable)
        );
        assert_eq!(
            clock.advance(TimeDelta::days(3)),
            Err(ClockError::NotAdjustable)
        );
        assert_eq!(clock.offset(), TimeDelta::zero());
    }

    #[test]
    fn an_adjustable_system_clock_keeps_its_offset() {
        let clock = Clock::system_with_offset(shanghai(), TimeDelta::days(10), true);
        let expected = Utc::now() + TimeDelta::days(10);
        assert!((clock.now() - expected).abs() < TimeDelta::seconds(5));
        clock.advance(TimeDelta::days(-10)).unwrap();
        assert!((clock.now() - Utc::now()).abs() < TimeDelta::seconds(5));
    }

    #[test]
    fn offsets_are_read_with_their_unit() {
        assert_eq!(parse_offset("+30d"), Ok(TimeDelta::days(30)));
        assert_eq!(parse_offset("-400d"), Ok(TimeDelta::days(-400)));
        assert_eq!(parse_offset("12h"), Ok(TimeDelta::hours(12)));
        assert_eq!(parse_offset("90m"), Ok(TimeDelta::minutes(90)));
        assert_eq!(parse_offset("45s"), Ok(TimeDelta::seconds(45)));
        for bad in [
            "",
            "d",
            "30",
            "+30x",
            "1.5d",
            "--3d",
            "99999999999999d",
            "+100000000d",
            "36526d",
        ] {
            assert!(parse_offset(bad).is_err(), "{bad:?}");
        }
    }
}
