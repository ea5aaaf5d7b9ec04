//! Small helpers shared by the seed modules: dates, money and random picks. Every random
//! choice goes through the one seeded ChaCha stream, so the catalogue is the same on every
//! run and machine for the same day.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub type SeedRng = ChaCha8Rng;

/// The demo catalogue's calendar. Its texts and tables are written around one day, the
/// anchor (2026-11-25: notices ending "in a few days", batches valid "now", deadlines
/// "next year"); loaded on another day, every date moves by the same number of days, so
/// the demo looks alive whenever it is seeded (notices still running, batches still
/// valid, deadlines ahead) and the same day always gives the same catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoCalendar {
    shift: Duration,
    zone: Tz,
}

impl DemoCalendar {
    /// The day the demo's tables were written for.
    pub const ANCHOR: (i32, u32, u32) = (2026, 11, 25);

    /// The calendar of a catalogue loaded on `today` (the deployment's day, in `zone`).
    pub fn new(today: NaiveDate, zone: Tz) -> DemoCalendar {
        let (year, month, day) = Self::ANCHOR;
        let anchor = NaiveDate::from_ymd_opt(year, month, day).expect("a valid anchor");
        DemoCalendar {
            shift: today - anchor,
            zone,
        }
    }

    /// The day the tables call `year-month-day`, moved to the day of loading.
    pub fn date(&self, year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("a valid calendar date") + self.shift
    }

    /// The day of loading ("today" in the texts).
    pub fn today(&self) -> NaiveDate {
        let (year, month, day) = Self::ANCHOR;
        self.date(year, month, day)
    }

    /// The year a text of the tables means by `year` ("2025年营业收入" is last year's
    /// revenue), counted from the year of loading.
    pub fn year(&self, year: i32) -> i32 {
        year + (self.today().year() - Self::ANCHOR.0)
    }

    /// 10:00 on `day` in the deployment's time zone.
    pub fn morning(&self, day: NaiveDate) -> DateTime<Utc> {
        let local = day.and_hms_opt(10, 0, 0).expect("a valid time");
        self.zone
            .from_local_datetime(&local)
            .earliest()
            .map_or_else(
                || Utc.from_utc_datetime(&local),
                |at| at.with_timezone(&Utc),
            )
    }

    /// An office-hours moment (09:00–16:59) on `day` in the deployment's time zone.
    pub fn office_hours(&self, day: NaiveDate, rng: &mut SeedRng) -> DateTime<Utc> {
        let local = day
            .and_hms_opt(rng.random_range(9..17), rng.random_range(0..60), 0)
            .expect("a valid time");
        self.zone
            .from_local_datetime(&local)
            .earliest()
            .map_or_else(
                || Utc.from_utc_datetime(&local),
                |at| at.with_timezone(&Utc),
            )
    }
}

/// A uniformly chosen date in `from..=until` (or `from` when the range is empty).
pub fn date_between(rng: &mut SeedRng, from: NaiveDate, until: NaiveDate) -> NaiveDate {
    let days = (until - from).num_days();
    if days <= 0 {
        return from;
    }
    from + Duration::days(rng.random_range(0..=days))
}

/// An amount in fen between two amounts in 万元, rounded to 1,000 元 as quotes are.
pub fn wan_to_fen(rng: &mut SeedRng, min_wan: u32, max_wan: u32) -> i64 {
    let thousands = rng.random_range(i64::from(min_wan) * 10..=i64::from(max_wan) * 10);
    thousands * 100_000
}

/// A price or budget range in fen inside `min_wan..=max_wan`; sometimes a single price.
pub fn fen_range(rng: &mut SeedRng, min_wan: u32, max_wan: u32) -> (i64, i64) {
    let a = wan_to_fen(rng, min_wan, max_wan);
    if rng.random_bool(0.2) {
        return (a, a);
    }
    let b = wan_to_fen(rng, min_wan, max_wan);
    (a.min(b), a.max(b))
}

pub fn pick<'a, T>(rng: &mut SeedRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Chinese patent number (ZL + 12-digit application number + check digit): the check
/// digit is Σ(digit × 2,3,…,9,2,3,4,5) mod 11, with 10 written X.
pub fn patent_number(rng: &mut SeedRng) -> String {
    let year = rng.random_range(2019..=2025);
    let kind = if rng.random_bool(0.7) { 1 } else { 2 };
    let digits = format!(
        "{year}{kind}{}{:06}",
        rng.random_range(0..=1),
        rng.random_range(0..1_000_000)
    );
    let weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
    let sum: u32 = digits
        .bytes()
        .zip(weights)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    let check = match sum % 11 {
        10 => 'X',
        digit => char::from(b'0' + digit as u8),
    };
    format!("ZL{digits}.{check}")
}

/// A public office line: Changzhou numbers are 0519-8xxxxxxx.
pub fn office_phone(rng: &mut SeedRng, area_code: &str) -> String {
    let first = if area_code == "0519" { 8 } else { 5 };
    format!(
        "{area_code}-{first}{}{:06}",
        rng.random_range(1..10),
        rng.random_range(0..1_000_000)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn patent_numbers_carry_their_check_digit() {
        let mut rng = SeedRng::seed_from_u64(1);
        for _ in 0..20 {
            let number = patent_number(&mut rng);
            assert_eq!(number.len(), 16, "{number}");
            assert!(number.starts_with("ZL20"), "{number}");
        }
    }

    #[test]
    fn the_calendar_moves_every_date_by_the_days_since_the_anchor() {
        let today = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap();
        let cal = DemoCalendar::new(today, chrono_tz::Asia::Shanghai);
        assert_eq!(cal.today(), today);
        assert_eq!(cal.date(2026, 11, 27), today + Duration::days(2));
        assert_eq!(cal.year(2026), 2028);
        let mut rng = SeedRng::seed_from_u64(1);
        let at = cal.office_hours(today, &mut rng);
        assert_eq!(
            at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive(),
            today
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_stream() {
        let mut a = SeedRng::seed_from_u64(2021);
        let mut b = SeedRng::seed_from_u64(2021);
        assert_eq!(wan_to_fen(&mut a, 5, 300), wan_to_fen(&mut b, 5, 300));
    }
}
