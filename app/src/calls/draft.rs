//! Reading a call's form: every field checked, every problem named by its field, so the
//! form can show them all at once.

use super::notice_window::{NoticeCount, MAX_NOTICE_DAYS};
use super::types::{CallDraft, CallKind, Criterion};
use crate::accounts::form::{FieldError, Problem};
use crate::domain::{OrganisationId, OrganisationKind};
use chrono::NaiveDate;

/// A call has at most this many criteria (the form's rows).
pub const MAX_CRITERIA: usize = 8;

/// The form's field names of criterion row `index` (0-based): its title and its weight.
pub const CRITERION_FIELDS: [(&str, &str); MAX_CRITERIA] = [
    ("criterion_1", "weight_1"),
    ("criterion_2", "weight_2"),
    ("criterion_3", "weight_3"),
    ("criterion_4", "weight_4"),
    ("criterion_5", "weight_5"),
    ("criterion_6", "weight_6"),
    ("criterion_7", "weight_7"),
    ("criterion_8", "weight_8"),
];

const TITLE_MAX: usize = 200;
const CODE_MAX: usize = 40;
const DESCRIPTION_MAX: usize = 5000;
const ELIGIBILITY_MAX: usize = 2000;
const CRITERION_MAX: usize = 100;

/// The call in the posted `fields` (name, value), or every problem found. `organisation`
/// is the agency chosen on the form, already checked by the caller of this function.
///
/// Fields: `kind`, `code`, `title`, `description`, `eligibility`, `eligible_kinds`
/// (repeated), `opens_on`, `closes_on` (dates written 2026-11-30), `required_reviews`,
/// `notice_days`, `notice_count`, `valid_from`, `valid_until` (product batches), and the
/// criteria rows of [`CRITERION_FIELDS`].
pub fn parse_call(
    fields: &[(String, String)],
    organisation: OrganisationId,
) -> Result<CallDraft, Vec<FieldError>> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(field, _)| field == name)
            .map_or("", |(_, value)| value.trim())
    };
    let mut errors = Vec::new();

    let kind = CallKind::from_code(get("kind"));
    if kind.is_none() {
        fail(&mut errors, "kind", Problem::InvalidChoice);
    }
    let code = get("code").to_ascii_uppercase();
    if code.is_empty() {
        fail(&mut errors, "code", Problem::Required);
    } else if !(3..=CODE_MAX).contains(&code.len())
        || !code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    {
        fail(&mut errors, "code", Problem::InvalidCallCode);
    }
    let title = text(get("title"), "title", TITLE_MAX, true, &mut errors);
    let description = text(
        get("description"),
        "description",
        DESCRIPTION_MAX,
        false,
        &mut errors,
    );
    let eligibility = text(
        get("eligibility"),
        "eligibility",
        ELIGIBILITY_MAX,
        false,
        &mut errors,
    );

    let mut eligible_kinds = Vec::new();
    for code in fields
        .iter()
        .filter(|(field, _)| field == "eligible_kinds")
        .map(|(_, value)| value.as_str())
    {
        match OrganisationKind::from_code(code) {
            Some(kind) if !eligible_kinds.contains(&kind) => eligible_kinds.push(kind),
            Some(_) => {}
            None => {
                fail(&mut errors, "eligible_kinds", Problem::InvalidChoice);
                break;
            }
        }
    }
    if eligible_kinds.is_empty() {
        fail(&mut errors, "eligible_kinds", Problem::ChooseAtLeastOne);
    }
    eligible_kinds.sort();

    let opens_on = date(get("opens_on"), "opens_on", &mut errors);
    let closes_on = date(get("closes_on"), "closes_on", &mut errors);
    if let (Some(opens), Some(closes)) = (opens_on, closes_on) {
        if closes < opens {
            fail(&mut errors, "closes_on", Problem::EndBeforeStart);
        }
    }
    let required_reviews = number(
        get("required_reviews"),
        "required_reviews",
        1,
        9,
        &mut errors,
    );
    let minimum_notice = if kind == Some(CallKind::ProductBatch) {
        1
    } else {
        0
    };
    let notice_days = number(
        get("notice_days"),
        "notice_days",
        minimum_notice,
        MAX_NOTICE_DAYS.into(),
        &mut errors,
    );
    let notice_count = NoticeCount::from_code(get("notice_count"));
    if notice_count.is_none() {
        fail(&mut errors, "notice_count", Problem::InvalidChoice);
    }

    let (mut valid_from, mut valid_until) = (None, None);
    if kind == Some(CallKind::ProductBatch) {
        valid_from = date(get("valid_from"), "valid_from", &mut errors);
        valid_until = date(get("valid_until"), "valid_until", &mut errors);
        if let (Some(from), Some(until)) = (valid_from, valid_until) {
            if until < from {
                fail(&mut errors, "valid_until", Problem::EndBeforeStart);
            }
        }
    }

    let mut criteria = Vec::new();
    for (title_field, weight_field) in CRITERION_FIELDS {
        let (title, weight) = (get(title_field), get(weight_field));
        if title.is_empty() && weight.is_empty() {
            continue;
        }
        if title.is_empty() {
            fail(&mut errors, title_field, Problem::Required);
        } else if title.chars().count() > CRITERION_MAX {
            fail(&mut errors, title_field, Problem::TooLong);
        }
        let weight = number(weight, weight_field, 1, 100, &mut errors);
        if let Some(weight) = weight.filter(|_| !title.is_empty()) {
            criteria.push(Criterion {
                title: title.to_owned(),
                weight: weight as i16,
            });
        }
    }
    if criteria.is_empty() && !errors.iter().any(|e| e.field.starts_with("criterion_")) {
        fail(&mut errors, CRITERION_FIELDS[0].0, Problem::Required);
    } else {
        let sum: i64 = criteria.iter().map(|c| i64::from(c.weight)).sum();
        let complete = !errors
            .iter()
            .any(|e| e.field.starts_with("criterion_") || e.field.starts_with("weight_"));
        if complete && sum != 100 {
            fail(&mut errors, "criteria", Problem::WeightsSum(sum));
        }
    }

    match (
        kind,
        opens_on,
        closes_on,
        required_reviews,
        notice_days,
        notice_count,
    ) {
        (
            Some(kind),
            Some(opens_on),
            Some(closes_on),
            Some(required_reviews),
            Some(notice_days),
            Some(notice_count),
        ) if errors.is_empty() => Ok(CallDraft {
            organisation,
            kind,
            code,
            title,
            description,
            eligibility,
            eligible_kinds,
            opens_on,
            closes_on,
            required_reviews: required_reviews as i16,
            notice_days: notice_days as i16,
            notice_count,
            valid_from,
            valid_until,
            criteria,
        }),
        _ => Err(errors),
    }
}

fn fail(errors: &mut Vec<FieldError>, field: &'static str, problem: Problem) {
    errors.push(FieldError { field, problem });
}

fn text(
    value: &str,
    field: &'static str,
    max: usize,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> String {
    if required && value.is_empty() {
        fail(errors, field, Problem::Required);
    } else if value.chars().count() > max {
        fail(errors, field, Problem::TooLong);
    }
    value.to_owned()
}

/// A date written `2026-11-30`.
fn date(value: &str, field: &'static str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    if value.is_empty() {
        fail(errors, field, Problem::Required);
        return None;
    }
    let parsed = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
    if parsed.is_none() {
        fail(errors, field, Problem::InvalidDate);
    }
    parsed
}

fn number(
    value: &str,
    field: &'static str,
    min: i64,
    max: i64,
    errors: &mut Vec<FieldError>,
) -> Option<i64> {
    if value.is_empty() {
        fail(errors, field, Problem::Required);
        return None;
    }
    match value.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        _ => {
            fail(errors, field, Problem::OutOfRange { min, max });
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch() -> Vec<(String, String)> {
        [
            ("kind", "product_batch"),
            ("code", "czcx-2027-01"),
            ("title", "2027年度常州市创新产品推荐目录（第一批）"),
            ("description", "征集具有自主知识产权的创新产品。"),
            ("eligible_kinds", "enterprise"),
            ("eligible_kinds", "research_institute"),
            ("opens_on", "2027-03-01"),
            ("closes_on", "2027-04-30"),
            ("required_reviews", "2"),
            ("notice_days", "5"),
            ("notice_count", "working"),
            ("valid_from", "2027-07-01"),
            ("valid_until", "2029-06-30"),
            ("criterion_1", "技术先进性"),
            ("weight_1", "60"),
            ("criterion_2", "市场前景"),
            ("weight_2", "40"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    fn with(mut fields: Vec<(String, String)>, name: &str, value: &str) -> Vec<(String, String)> {
        fields.retain(|(field, _)| field != name);
        fields.push((name.to_owned(), value.to_owned()));
        fields
    }

    fn problems(fields: &[(String, String)]) -> Vec<(&'static str, Problem)> {
        parse_call(fields, OrganisationId(1))
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn a_complete_batch_is_read_with_its_code_in_capitals() {
        let call = parse_call(&batch(), OrganisationId(1)).unwrap();
        assert_eq!(call.code, "CZCX-2027-01");
        assert_eq!(call.kind, CallKind::ProductBatch);
        assert_eq!(call.criteria.len(), 2);
        assert_eq!(
            call.eligible_kinds,
            vec![
                OrganisationKind::ResearchInstitute,
                OrganisationKind::Enterprise
            ]
        );
        assert_eq!(call.valid_until, NaiveDate::from_ymd_opt(2029, 6, 30));
    }

    #[test]
    fn a_close_date_before_the_open_date_is_refused_on_the_close_date() {
        let fields = with(batch(), "closes_on", "2027-02-28");
        assert_eq!(
            problems(&fields),
            vec![("closes_on", Problem::EndBeforeStart)]
        );
    }

    #[test]
    fn a_product_batch_needs_a_notice_of_at_least_one_day_a_scenario_call_may_have_none() {
        let fields = with(batch(), "notice_days", "0");
        assert_eq!(
            problems(&fields),
            vec![("notice_days", Problem::OutOfRange { min: 1, max: 30 })]
        );
        let scenario = with(with(batch(), "kind", "scenario_call"), "notice_days", "0");
        let call = parse_call(&scenario, OrganisationId(1)).unwrap();
        assert_eq!(call.notice_days, 0);
        assert_eq!(call.valid_from, None, "validity belongs to batches only");
    }

    #[test]
    fn weights_must_add_up_to_one_hundred() {
        let fields = with(batch(), "weight_2", "30");
        assert_eq!(
            problems(&fields),
            vec![("criteria", Problem::WeightsSum(90))]
        );
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let fields: Vec<(String, String)> = vec![
            ("kind".into(), "lottery".into()),
            ("code".into(), "a b".into()),
            ("opens_on".into(), "2027-13-01".into()),
            ("eligible_kinds".into(), "club".into()),
            ("weight_1".into(), "50".into()),
        ];
        let named: Vec<&str> = problems(&fields).into_iter().map(|(f, _)| f).collect();
        for field in [
            "kind",
            "code",
            "title",
            "eligible_kinds",
            "opens_on",
            "closes_on",
            "required_reviews",
            "notice_days",
            "notice_count",
            "criterion_1",
        ] {
            assert!(named.contains(&field), "{field} not named in {named:?}");
        }
    }

    #[test]
    fn a_batch_without_validity_is_refused_and_an_inverted_validity_too() {
        let fields = with(batch(), "valid_from", "");
        assert_eq!(problems(&fields), vec![("valid_from", Problem::Required)]);
        let fields = with(batch(), "valid_until", "2027-01-01");
        assert_eq!(
            problems(&fields),
            vec![("valid_until", Problem::EndBeforeStart)]
        );
    }
}
