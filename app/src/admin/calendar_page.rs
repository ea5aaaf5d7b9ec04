//! `/admin/calendar?year=2027`: the holiday calendar of a year (public holidays and
//! adjusted working days) and the years entered in full, with the forms that keep them.

use crate::accounts::form::{
    vocabulary_options, Field, FieldLabels, PostForm, RedirectNotice, SelectField,
};
use crate::accounts::AccessDenied;
use crate::calls::notice_window::DayKind;
use crate::components::PageTitle;
use crate::error::AppError;
use crate::i18n::{use_locale, Locale};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

struct Texts {
    title: &'static str,
    lead: &'static str,
    years: &'static str,
    no_years: &'static str,
    days_of: &'static str,
    none: &'static str,
    day: &'static str,
    kind: &'static str,
    name: &'static str,
    save_day: &'static str,
    remove: &'static str,
    year: &'static str,
    source: &'static str,
    enter_year: &'static str,
    enter_year_lead: &'static str,
    show: &'static str,
}

fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::ZhCn => &Texts {
            title: "节假日安排",
            lead: "工作日公示期按此计算：国务院办公厅每年发布的节假日安排中的放假日和调休上班日。其余日子周一至周五为工作日。",
            years: "已完整录入的年份",
            no_years: "尚未录入任何年份。",
            days_of: "年的放假和调休",
            none: "该年没有记录。",
            day: "日期",
            kind: "类型",
            name: "名称",
            save_day: "保存日期",
            remove: "删除",
            year: "年份",
            source: "依据（通知文号）",
            enter_year: "标记为已完整录入",
            enter_year_lead: "录入某年全部放假和调休日期后，标记该年已完整录入；未录入的年份按周一至周五计算，并在征集页面提示。",
            show: "查看",
        },
        Locale::En => &Texts {
            title: "Holiday calendar",
            lead: "Working-day notice windows follow it: the public holidays and adjusted working days of the State Council's yearly arrangements. Other days are working days from Monday to Friday.",
            years: "Years entered in full",
            no_years: "No year entered yet.",
            days_of: ": holidays and adjusted working days",
            none: "Nothing recorded for that year.",
            day: "Date",
            kind: "Kind",
            name: "Name",
            save_day: "Save day",
            remove: "Remove",
            year: "Year",
            source: "Source (notice number)",
            enter_year: "Mark as entered in full",
            enter_year_lead: "Once every holiday and adjusted working day of a year is entered, mark the year; a year not marked counts Monday to Friday, and call pages say so.",
            show: "Show",
        },
    }
}

/// The labels of the page's forms.
pub fn calendar_labels(locale: Locale) -> FieldLabels {
    let t = texts(locale);
    FieldLabels(vec![
        ("day", t.day),
        ("kind", t.kind),
        ("name", t.name),
        ("year", t.year),
        ("source", t.source),
    ])
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarView {
    pub year: i32,
    pub years: Vec<(i32, String)>,
    /// (day, weekday in the reader's language, kind, name)
    pub days: Vec<(String, DayKind, String)>,
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    let locale = use_locale();
    provide_context(calendar_labels(locale));
    let query = crate::components::request_query();
    let year = query
        .iter()
        .find(|(name, _)| name == "year")
        .and_then(|(_, value)| value.parse::<i32>().ok());
    let view_data = Resource::new_blocking(move || year, load);
    view! {
        <PageTitle text=texts(locale).title />
        <Suspense>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(calendar) => view! { <CalendarBody calendar /> }.into_any(),
                    Err(error) => view! { <AccessDenied error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CalendarBody(calendar: CalendarView) -> impl IntoView {
    let locale = use_locale();
    let t = texts(locale);
    let kinds = vocabulary_options::<DayKind>();
    view! {
        <section class="account" data-testid="holiday-calendar">
            <h1>{t.title}</h1>
            <p>{t.lead}</p>
            <RedirectNotice />
            <h2>{t.years}</h2>
            {if calendar.years.is_empty() {
                view! { <p>{t.no_years}</p> }.into_any()
            } else {
                view! {
                    <ul class="queue">
                        {calendar.years.iter().map(|(year, source)| view! {
                            <li><a href=format!("/admin/calendar?year={year}")>{*year}</a> " · " {source.clone()}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form method="get" action="/admin/calendar" class="inline" aria-label=t.show>
                <label for="calendar-year">{t.year}</label>
                <input id="calendar-year" name="year" type="number" min="2000" max="2100" value=calendar.year />
                <button type="submit" class="secondary">{t.show}</button>
            </form>
            <h2>{format!("{}{}", calendar.year, t.days_of)}</h2>
            {if calendar.days.is_empty() {
                view! { <p>{t.none}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                    <table data-testid="calendar-days">
                        <thead><tr><th scope="col">{t.day}</th><th scope="col">{t.kind}</th><th scope="col">{t.name}</th><th scope="col"></th></tr></thead>
                        <tbody>
                            {calendar.days.iter().map(|(day, kind, name)| view! {
                                <tr>
                                    <td>{day.clone()}</td>
                                    <td>{kind.label(locale)}</td>
                                    <td>{name.clone()}</td>
                                    <td>
                                        <PostForm action=format!("/admin/calendar/days/{day}/delete") label=format!("{} {day}", t.remove) class="inline">
                                            <button type="submit" class="secondary">{t.remove}</button>
                                        </PostForm>
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            }}
            <PostForm action="/admin/calendar/days".to_owned() label=t.save_day>
                <Field name="day" label=t.day kind="date" />
                <SelectField name="kind" label=t.kind options=kinds />
                <Field name="name" label=t.name maxlength=50 />
                <button type="submit">{t.save_day}</button>
            </PostForm>
            <h2>{t.enter_year}</h2>
            <p>{t.enter_year_lead}</p>
            <PostForm action="/admin/calendar/years".to_owned() label=t.enter_year>
                <Field name="year" label=t.year kind="number" value=calendar.year.to_string() />
                <Field name="source" label=t.source maxlength=200 />
                <button type="submit">{t.enter_year}</button>
            </PostForm>
        </section>
    }
}

async fn load(year: Option<i32>) -> Result<CalendarView, AppError> {
    #[cfg(feature = "ssr")]
    {
        use chrono::Datelike;
        crate::accounts::require(
            crate::auth::Action::EditHolidayCalendar,
            &crate::auth::Target::none(),
        )?;
        let state = crate::state::app_state()?;
        let year = year
            .filter(|y| (2000..=2100).contains(y))
            .unwrap_or_else(|| state.clock.today().year());
        let years = sqlx::query!("SELECT year, source FROM calendar_years ORDER BY year DESC")
            .fetch_all(&state.pool)
            .await?
            .into_iter()
            .map(|row| (row.year, row.source))
            .collect();
        let from = chrono::NaiveDate::from_ymd_opt(year, 1, 1).ok_or(AppError::NotFound)?;
        let to = chrono::NaiveDate::from_ymd_opt(year, 12, 31).ok_or(AppError::NotFound)?;
        let days = sqlx::query!(
            r#"SELECT day, kind AS "kind: DayKind", name FROM calendar_days
               WHERE day BETWEEN $1 AND $2 ORDER BY day"#,
            from,
            to
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|row| (row.day.to_string(), row.kind, row.name))
        .collect();
        Ok(CalendarView { year, years, days })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = year;
        Err(AppError::Internal)
    }
}
