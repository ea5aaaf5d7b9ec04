//! The public-notice window (公示期) of a call: how many days, counted how, and when it ends.
//!
//! A window is counted from the day after an item enters notice, so that every counted day
//! is a whole day on which anyone may object: `n` calendar days, or `n` working days (工作日,
//! the usual count for 公示). It ends at 24:00 local time (the deployment's time zone) on
//! its last counted day. A window of 0 days (allowed for scenario calls only) publishes at
//! once.
//!
//! Working days follow the holiday calendar ([`HolidayCalendar`]): the State Council's
//! yearly notice of holiday arrangements (国务院办公厅关于某年部分节假日安排的通知) names
//! the weekdays that are public holidays and the weekend days that are adjusted working
//! days (调休上班); every other day counts from Monday to Friday.

use crate::domain::labelled::labelled_enum;
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, TimeZone, Utc, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

labelled_enum! {
    /// How a window's days are counted (`notice_day_count`).
    pub enum NoticeCount as "notice_day_count" {
        /// Only working days count (the holiday calendar's, else Monday to Friday).
        Working = "working", "工作日", "Working days";
        /// Every day counts.
        Calendar = "calendar", "自然日", "Calendar days";
    }
}

impl NoticeCount {
    /// "5 个工作日" / "5 working days".
    pub fn describe(self, days: i16, locale: crate::i18n::Locale) -> String {
        use crate::i18n::Locale;
        match (self, locale) {
            (NoticeCount::Working, Locale::ZhCn) => format!("{days} 个工作日"),
            (NoticeCount::Calendar, Locale::ZhCn) => format!("{days} 个自然日"),
            (NoticeCount::Working, Locale::En) => format!("{days} working days"),
            (NoticeCount::Calendar, Locale::En) => format!("{days} calendar days"),
        }
    }
}

labelled_enum! {
    /// What a calendar entry says about a day (`calendar_day_kind`).
    pub enum DayKind as "calendar_day_kind" {
        /// A public holiday (a weekday off, or a weekend day within the holiday).
        Holiday = "holiday", "放假", "Public holiday";
        /// An adjusted working day (调休上班), usually a weekend day.
        WorkingDay = "working_day", "调休上班", "Adjusted working day";
    }
}

/// The holiday calendar as data: the days it names and the years entered in full.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    days: BTreeMap<NaiveDate, DayKind>,
    years: BTreeSet<i32>,
}

impl HolidayCalendar {
    /// A calendar of the given days, with `years` entered in full.
    pub fn new(
        days: impl IntoIterator<Item = (NaiveDate, DayKind)>,
        years: impl IntoIterator<Item = i32>,
    ) -> HolidayCalendar {
        HolidayCalendar {
            days: days.into_iter().collect(),
            years: years.into_iter().collect(),
        }
    }

    /// Whether `day` is a working day: an adjusted working day, or a weekday that is not a
    /// public holiday.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.days.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::WorkingDay) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// Whether the year's arrangements have been entered. A window reaching into a year
    /// that has not been is counted Monday to Friday, and pages say so.
    pub fn knows_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }
}

/// The window of an item entering notice on `entered` (deployment date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeWindow {
    /// The first counted day.
    pub first_day: NaiveDate,
    /// The last counted day; the window ends at 24:00 on it (deployment time zone).
    pub last_day: NaiveDate,
    /// Whether every year it spans has its holiday arrangements entered (always true for
    /// calendar days).
    pub calendar_known: bool,
}

/// The longest window a call may set, in days (`calls.notice_days`).
pub const MAX_NOTICE_DAYS: i16 = 30;

/// The window of `days` days counted by `count` for an item entering notice on `entered`,
/// or `None` when `days` is 0 (published at once). Days beyond [`MAX_NOTICE_DAYS`] are
/// cut to it.
pub fn notice_window(
    entered: NaiveDate,
    days: i16,
    count: NoticeCount,
    calendar: &HolidayCalendar,
) -> Option<NoticeWindow> {
    let days = days.clamp(0, MAX_NOTICE_DAYS);
    if days == 0 {
        return None;
    }
    let counts = |day: NaiveDate| match count {
        NoticeCount::Calendar => true,
        NoticeCount::Working => calendar.is_working_day(day),
    };
    let mut day = entered;
    let mut first_day = None;
    let mut counted = 0;
    while counted < days {
        day = day.succ_opt()?;
        if counts(day) {
            counted += 1;
            first_day.get_or_insert(day);
        }
    }
    let calendar_known = count == NoticeCount::Calendar
        || (entered.year()..=day.year()).all(|year| calendar.knows_year(year));
    Some(NoticeWindow {
        first_day: first_day?,
        last_day: day,
        calendar_known,
    })
}

/// The moment a window whose last day is `last_day` ends: 24:00 on that day in `zone`,
/// i.e. the first instant of the next day.
pub fn window_ends_at<Z: TimeZone>(last_day: NaiveDate, zone: &Z) -> DateTime<Utc> {
    let next = last_day + TimeDelta::days(1);
    let midnight = next.and_hms_opt(0, 0, 0).expect("midnight exists");
    zone.from_local_datetime(&midnight).earliest().map_or_else(
        || Utc.from_utc_datetime(&midnight),
        |at| at.with_timezone(&Utc),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// National Day 2026 (国办发明电〔2025〕7号): 1–7 October off, Saturday 10 October
    /// worked.
    fn national_day_2026() -> HolidayCalendar {
        let mut days: Vec<(NaiveDate, DayKind)> = (1..=7)
            .map(|d| (date(2026, 10, d), DayKind::Holiday))
            .collect();
        days.push((date(2026, 9, 20), DayKind::WorkingDay));
        days.push((date(2026, 10, 10), DayKind::WorkingDay));
        HolidayCalendar::new(days, [2026])
    }

    #[test]
    fn working_days_skip_weekends_and_holidays_and_count_adjusted_working_days() {
        let cal = national_day_2026();
        assert!(cal.is_working_day(date(2026, 9, 30))); // Wednesday
        assert!(!cal.is_working_day(date(2026, 10, 1))); // National Day, Thursday
        assert!(!cal.is_working_day(date(2026, 10, 3))); // Saturday within the holiday
        assert!(cal.is_working_day(date(2026, 10, 10))); // adjusted Saturday
        assert!(!cal.is_working_day(date(2026, 10, 11))); // plain Sunday
        assert!(cal.is_working_day(date(2026, 9, 20))); // adjusted Sunday
    }

    #[test]
    fn a_working_day_window_across_a_holiday_reaches_past_it() {
        // Enters notice on Tuesday 29 September; five working days: 30 Sep, then 8, 9, 10
        // (an adjusted Saturday) and 12 October.
        let window = notice_window(
            date(2026, 9, 29),
            5,
            NoticeCount::Working,
            &national_day_2026(),
        )
        .unwrap();
        assert_eq!(window.first_day, date(2026, 9, 30));
        assert_eq!(window.last_day, date(2026, 10, 12));
        assert!(window.calendar_known);
    }

    #[test]
    fn a_calendar_day_window_counts_every_day_from_the_next() {
        let window = notice_window(
            date(2026, 9, 29),
            7,
            NoticeCount::Calendar,
            &national_day_2026(),
        )
        .unwrap();
        assert_eq!(window.first_day, date(2026, 9, 30));
        assert_eq!(window.last_day, date(2026, 10, 6));
    }

    #[test]
    fn entering_on_a_friday_starts_counting_on_monday() {
        let window = notice_window(
            date(2026, 11, 27),
            1,
            NoticeCount::Working,
            &HolidayCalendar::default(),
        )
        .unwrap();
        assert_eq!(window.first_day, date(2026, 11, 30));
        assert_eq!(window.last_day, date(2026, 11, 30));
    }

    #[test]
    fn a_zero_day_window_is_no_window() {
        assert_eq!(
            notice_window(
                date(2026, 9, 29),
                0,
                NoticeCount::Working,
                &national_day_2026()
            ),
            None
        );
    }

    #[test]
    fn a_window_into_a_year_not_entered_says_so() {
        let window = notice_window(
            date(2026, 12, 28),
            5,
            NoticeCount::Working,
            &national_day_2026(),
        )
        .unwrap();
        assert_eq!(window.last_day, date(2027, 1, 4)); // 1 January counted as a Friday
        assert!(!window.calendar_known);
        let calendar_days = notice_window(
            date(2026, 12, 28),
            5,
            NoticeCount::Calendar,
            &national_day_2026(),
        )
        .unwrap();
        assert!(calendar_days.calendar_known);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_window_ends_at_midnight_local_time_after_its_last_day() {
        let zone = chrono_tz::Asia::Shanghai;
        let ends = window_ends_at(date(2026, 10, 12), &zone);
        assert_eq!(ends.to_rfc3339(), "2026-10-12T16:00:00+00:00");
    }
}
