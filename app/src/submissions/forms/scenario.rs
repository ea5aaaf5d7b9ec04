//! An application scenario (应用场景) as its form holds it: a need an agency or firm
//! publishes so that suppliers can answer it (docs/domain.md, "Application scenario").
//! Its contact is an office's, never a person's own.

#[cfg(feature = "ssr")]
use super::{check_contact, Checks};
use super::{Posted, Snapshot};
#[cfg(feature = "ssr")]
use crate::accounts::form::{FieldError, Problem};
#[cfg(feature = "ssr")]
use crate::domain::{Location, Sector};
use serde::{Deserialize, Serialize};

/// The form's fields as typed (what a draft keeps). Field names are the form's `name`s.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScenarioForm {
    pub title: String,
    /// A [`crate::domain::Sector`] code.
    pub sector: String,
    pub need: String,
    pub expected_outcome: String,
    /// 元, as typed (`50万`, `500000`).
    pub budget_min: String,
    pub budget_max: String,
    /// A [`crate::domain::Location`] code: where the scenario is.
    pub location: String,
    /// The last day answers are taken (`2027-03-31`, Beijing date), or empty.
    pub open_until: String,
    /// The office's public telephone number and mailbox: at least one.
    pub contact_phone: String,
    pub contact_email: String,
}

/// The names of the form's fields, in the form's order.
pub const SCENARIO_FIELDS: &[&str] = &[
    "title",
    "sector",
    "need",
    "expected_outcome",
    "budget_min",
    "budget_max",
    "location",
    "open_until",
    "contact_phone",
    "contact_email",
];

impl ScenarioForm {
    pub(crate) fn from_posted(posted: &Posted) -> ScenarioForm {
        ScenarioForm {
            title: posted.text("title"),
            sector: posted.text("sector"),
            need: posted.text("need"),
            expected_outcome: posted.text("expected_outcome"),
            budget_min: posted.text("budget_min"),
            budget_max: posted.text("budget_max"),
            location: posted.text("location"),
            open_until: posted.text("open_until"),
            contact_phone: posted.text("contact_phone"),
            contact_email: posted.text("contact_email"),
        }
    }

    pub(crate) fn from_snapshot(snapshot: &Snapshot) -> ScenarioForm {
        ScenarioForm {
            title: snapshot.text("title"),
            sector: snapshot.text("sector"),
            need: snapshot.text("need"),
            expected_outcome: snapshot.text("expected_outcome"),
            budget_min: snapshot.yuan("budget_min_fen"),
            budget_max: snapshot.yuan("budget_max_fen"),
            location: snapshot.text("location"),
            open_until: snapshot.text("open_until"),
            contact_phone: snapshot.text("contact_phone"),
            contact_email: snapshot.text("contact_email"),
        }
    }

    /// Checks the form (with `complete`, as a submission) and returns the scenario's
    /// snapshot: the columns of `scenarios`, budgets in fen. Errors: every problem, each
    /// named by its field; a complete scenario needs its contact
    /// ([`Problem::Required`] on `contact_phone`).
    #[cfg(feature = "ssr")]
    pub fn check(&self, complete: bool) -> Result<serde_json::Value, Vec<FieldError>> {
        let mut checks = Checks::default();
        checks.lengths(&[
            ("title", &self.title, 200),
            ("need", &self.need, 5000),
            ("expected_outcome", &self.expected_outcome, 5000),
        ]);
        checks.required(
            complete,
            &[
                ("title", &self.title),
                ("sector", &self.sector),
                ("need", &self.need),
                ("expected_outcome", &self.expected_outcome),
                ("location", &self.location),
            ],
        );
        let sector = checks.choice("sector", &self.sector, Sector::from_code);
        let budget_min = checks.amount("budget_min", &self.budget_min);
        let budget_max = checks.amount("budget_max", &self.budget_max);
        checks.range("budget_max", budget_min, budget_max);
        let location = checks.choice("location", &self.location, Location::from_code);
        let open_until = checks.date("open_until", &self.open_until);
        let (phone, email) = check_contact(&mut checks, &self.contact_phone, &self.contact_email);
        if complete && phone.is_none() && email.is_none() {
            checks.fail("contact_phone", Problem::Required);
        }
        checks.finish(serde_json::json!({
            "title": self.title,
            "sector": sector.map(|s| s.code()),
            "need": self.need,
            "expected_outcome": self.expected_outcome,
            "budget_min_fen": budget_min.map(|m| m.fen),
            "budget_max_fen": budget_max.map(|m| m.fen),
            "location": location.map(|l| l.code()),
            "open_until": open_until,
            "contact_phone": phone,
            "contact_email": email,
        }))
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn complete() -> ScenarioForm {
        ScenarioForm {
            title: "城区道路积水智能监测".into(),
            sector: "urban_governance".into(),
            need: "汛期道路积水实时监测与预警。".into(),
            expected_outcome: "积水点 10 分钟内告警。".into(),
            budget_min: "50万".into(),
            budget_max: "800000".into(),
            location: "320411".into(),
            open_until: "2027-03-31".into(),
            contact_phone: "0519-85681234".into(),
            ..ScenarioForm::default()
        }
    }

    fn fields(result: Result<serde_json::Value, Vec<FieldError>>) -> Vec<&'static str> {
        result.unwrap_err().iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_draft_may_be_incomplete_but_a_submission_needs_its_need_and_a_contact() {
        let draft = ScenarioForm {
            title: "半成品".into(),
            ..ScenarioForm::default()
        };
        assert!(draft.check(false).is_ok());
        assert_eq!(
            fields(draft.check(true)),
            [
                "sector",
                "need",
                "expected_outcome",
                "location",
                "contact_phone"
            ]
        );
    }

    #[test]
    fn a_complete_scenario_has_its_budget_in_fen() {
        let snapshot = complete().check(true).unwrap();
        assert_eq!(snapshot["budget_min_fen"], 50_000_000);
        assert_eq!(snapshot["budget_max_fen"], 80_000_000);
        assert_eq!(snapshot["location"], "320411");
        assert_eq!(snapshot["contact_email"], serde_json::Value::Null);
        let again = ScenarioForm::from_snapshot(&Snapshot(&snapshot));
        assert_eq!(again.check(true).unwrap(), snapshot);
    }

    #[test]
    fn bad_values_are_named_by_their_field() {
        let form = ScenarioForm {
            sector: "steel".into(),
            budget_min: "900000".into(),
            budget_max: "100".into(),
            location: "310000".into(),
            open_until: "2027-02-30".into(),
            contact_phone: "call me".into(),
            contact_email: "not-an-address".into(),
            ..complete()
        };
        assert_eq!(
            fields(form.check(true)),
            [
                "sector",
                "budget_max",
                "location",
                "open_until",
                "contact_phone",
                "contact_email"
            ]
        );
    }
}
