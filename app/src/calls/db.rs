//! Reading calls for their pages. A draft is seen only by those who manage it (its
//! agency's admins); every other state is public.

use super::notice_window::{DayKind, HolidayCalendar, NoticeCount};
use super::types::{
    CallDetail, CallDraft, CallKind, CallStatus, CallSummary, Criterion, ReviewerView,
};
use crate::auth::{check, Action, Caller, Target};
use crate::domain::{CallId, OrganisationId, OrganisationKind};
use crate::error::AppError;
use chrono::{Datelike, NaiveDate};
use sqlx::PgPool;

/// The most calls a list shows (a city runs a few dozen a year).
pub const LIST_LIMIT: i64 = 500;

/// Public calls (not drafts), newest opening first, filtered by kind, status and agency.
/// Pass `drafts_of` to include that agency's drafts too (its admin's dashboard).
///
/// Errors: [`AppError::Unavailable`].
pub async fn list_calls(
    pool: &PgPool,
    kind: Option<CallKind>,
    status: Option<CallStatus>,
    agency: Option<OrganisationId>,
    drafts_of: &[OrganisationId],
) -> Result<Vec<CallSummary>, AppError> {
    let drafts_of: Vec<i64> = drafts_of.iter().map(|agency| agency.0).collect();
    let rows = sqlx::query!(
        r#"SELECT c.id, c.kind AS "kind: CallKind", c.status AS "status: CallStatus", c.code,
                  c.title, o.name AS agency, c.opens_on, c.closes_on
           FROM calls c JOIN organisations o ON o.id = c.organisation_id
           WHERE (c.status <> 'draft' OR c.organisation_id = ANY($4))
             AND ($1::text IS NULL OR c.kind = ($1::text)::call_kind)
             AND ($2::text IS NULL OR c.status = ($2::text)::call_status)
             AND ($3::bigint IS NULL OR c.organisation_id = $3)
           ORDER BY c.opens_on DESC, c.id DESC
           LIMIT $5"#,
        kind.map(CallKind::code),
        status.map(CallStatus::code),
        agency.map(|agency| agency.0),
        &drafts_of,
        LIST_LIMIT
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| CallSummary {
            id: CallId(row.id),
            kind: row.kind,
            status: row.status,
            code: row.code,
            title: row.title,
            agency: row.agency,
            opens_on: row.opens_on,
            closes_on: row.closes_on,
        })
        .collect())
}

/// A call's page for `caller`: 404 for a draft they may not manage, as for a call that
/// does not exist. Reviewers are listed for those who manage it only.
///
/// Errors: [`AppError::NotFound`]; [`AppError::Unavailable`].
pub async fn call_detail(
    pool: &PgPool,
    caller: &Caller,
    call: CallId,
) -> Result<CallDetail, AppError> {
    let row = sqlx::query!(
        r#"SELECT c.kind AS "kind: CallKind", c.status AS "status: CallStatus",
                  c.organisation_id, o.name AS agency, c.code, c.title, c.description,
                  c.eligibility, c.eligible_kinds::text[] AS "eligible_kinds!", c.opens_on,
                  c.closes_on, c.required_reviews, c.notice_days,
                  c.notice_count AS "notice_count: NoticeCount", c.valid_from, c.valid_until
           FROM calls c JOIN organisations o ON o.id = c.organisation_id
           WHERE c.id = $1"#,
        call.0
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let agency = OrganisationId(row.organisation_id);
    let manageable = check(
        caller,
        Action::ManageCall,
        &Target {
            call_agency: Some(agency),
            ..Target::none()
        },
    )
    .is_ok();
    if row.status == CallStatus::Draft && !manageable {
        return Err(AppError::NotFound);
    }
    let criteria = sqlx::query!(
        "SELECT title, weight FROM call_criteria WHERE call_id = $1 ORDER BY position",
        call.0
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| Criterion {
        title: row.title,
        weight: row.weight,
    })
    .collect();
    let reviewers = if manageable {
        reviewers(pool, call).await?
    } else {
        Vec::new()
    };
    // A notice may begin as late as a few months after closing; the years that far
    // should be in the calendar.
    let calendar_known = row.notice_count == NoticeCount::Calendar
        || known_years(pool, row.closes_on.year(), row.closes_on.year() + 1).await?;
    // What it published (records whose page is public), newest first.
    let published = sqlx::query!(
        r#"SELECT '/products/' || p.id AS "path!", p.name AS "name!", l.listed_at AS "at!"
           FROM product_listings l
           JOIN products p ON p.id = l.product_id
           JOIN organisations o ON o.id = p.organisation_id
           WHERE l.call_id = $1 AND record_is_listed(p.status, o.verified_at)
           UNION ALL
           SELECT '/scenarios/' || s.id, s.title, s.published_at
           FROM scenarios s JOIN organisations o ON o.id = s.organisation_id
           WHERE s.call_id = $1 AND s.published_at IS NOT NULL
             AND record_is_listed(s.status, o.verified_at)
           ORDER BY 3 DESC LIMIT 1000"#,
        call.0
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| (row.path, row.name))
    .collect();
    Ok(CallDetail {
        published,
        id: call,
        status: row.status,
        agency_id: agency,
        agency: row.agency,
        manageable,
        reviewers,
        calendar_known,
        draft: CallDraft {
            organisation: agency,
            kind: row.kind,
            code: row.code,
            title: row.title,
            description: row.description,
            eligibility: row.eligibility,
            eligible_kinds: row
                .eligible_kinds
                .iter()
                .filter_map(|code| OrganisationKind::from_code(code))
                .collect(),
            opens_on: row.opens_on,
            closes_on: row.closes_on,
            required_reviews: row.required_reviews,
            notice_days: row.notice_days,
            notice_count: row.notice_count,
            valid_from: row.valid_from,
            valid_until: row.valid_until,
            criteria,
        },
    })
}

async fn reviewers(pool: &PgPool, call: CallId) -> Result<Vec<ReviewerView>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT r.user_id, r.is_lead, u.display_name,
                  COALESCE((SELECT string_agg(o.name, '、' ORDER BY o.name)
                            FROM memberships m JOIN organisations o ON o.id = m.organisation_id
                            WHERE m.user_id = u.id AND o.verified_at IS NOT NULL), '')
                      AS "affiliation!"
           FROM call_reviewers r JOIN users u ON u.id = r.user_id
           WHERE r.call_id = $1
           ORDER BY r.is_lead DESC, u.display_name, r.user_id"#,
        call.0
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| ReviewerView {
        user: row.user_id,
        name: row.display_name,
        affiliation: row.affiliation,
        lead: row.is_lead,
    })
    .collect())
}

async fn known_years(pool: &PgPool, from: i32, to: i32) -> Result<bool, AppError> {
    let known = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM calendar_years WHERE year BETWEEN $1 AND $2"#,
        from,
        to
    )
    .fetch_one(pool)
    .await?;
    Ok(known == i64::from(to - from + 1))
}

/// The holiday calendar from `from` to `to` (whole years), for counting working days.
///
/// Errors: [`AppError::Unavailable`].
pub async fn holiday_calendar(
    pool: &PgPool,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HolidayCalendar, AppError> {
    let (first, last) = (
        NaiveDate::from_ymd_opt(from.year(), 1, 1).unwrap_or(from),
        NaiveDate::from_ymd_opt(to.year(), 12, 31).unwrap_or(to),
    );
    let days = sqlx::query!(
        r#"SELECT day, kind AS "kind: DayKind" FROM calendar_days WHERE day BETWEEN $1 AND $2"#,
        first,
        last
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| (row.day, row.kind));
    let years = sqlx::query_scalar!(
        "SELECT year FROM calendar_years WHERE year BETWEEN $1 AND $2",
        from.year(),
        to.year()
    )
    .fetch_all(pool)
    .await?;
    Ok(HolidayCalendar::new(days, years))
}
