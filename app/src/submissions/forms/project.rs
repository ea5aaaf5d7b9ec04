//! An innovation and entrepreneurship project (创新创业项目) as its form holds it
//! (docs/domain.md, "Innovation & entrepreneurship project"). Its contact is shown only
//! with the owner's consent.

#[cfg(feature = "ssr")]
use super::{check_contact, Checks};
use super::{Posted, Snapshot};
#[cfg(feature = "ssr")]
use crate::accounts::form::{FieldError, Problem};
#[cfg(feature = "ssr")]
use crate::domain::{FinancingForm, ProjectStage, Sector};
use serde::{Deserialize, Serialize};

/// The form's fields as typed (what a draft keeps). Field names are the form's `name`s.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectForm {
    pub name: String,
    /// A [`crate::domain::Sector`] code.
    pub sector: String,
    /// A [`crate::domain::ProjectStage`] code.
    pub stage: String,
    /// 元, as typed (`500万`).
    pub financing_sought: String,
    /// A [`crate::domain::FinancingForm`] code.
    pub financing_form: String,
    pub highlights: String,
    pub team: String,
    pub intellectual_property: String,
    /// Scenarios won, first purchases, customers.
    pub traction: String,
    /// The owner agrees to publish the contact below.
    pub contact_consent: bool,
    pub contact_phone: String,
    pub contact_email: String,
}

/// The names of the form's fields, in the form's order.
pub const PROJECT_FIELDS: &[&str] = &[
    "name",
    "sector",
    "stage",
    "financing_sought",
    "financing_form",
    "highlights",
    "team",
    "intellectual_property",
    "traction",
    "contact_consent",
    "contact_phone",
    "contact_email",
];

impl ProjectForm {
    pub(crate) fn from_posted(posted: &Posted) -> ProjectForm {
        ProjectForm {
            name: posted.text("name"),
            sector: posted.text("sector"),
            stage: posted.text("stage"),
            financing_sought: posted.text("financing_sought"),
            financing_form: posted.text("financing_form"),
            highlights: posted.text("highlights"),
            team: posted.text("team"),
            intellectual_property: posted.text("intellectual_property"),
            traction: posted.text("traction"),
            contact_consent: posted.flag("contact_consent"),
            contact_phone: posted.text("contact_phone"),
            contact_email: posted.text("contact_email"),
        }
    }

    pub(crate) fn from_snapshot(snapshot: &Snapshot) -> ProjectForm {
        ProjectForm {
            name: snapshot.text("name"),
            sector: snapshot.text("sector"),
            stage: snapshot.text("stage"),
            financing_sought: snapshot.yuan("financing_sought_fen"),
            financing_form: snapshot.text("financing_form"),
            highlights: snapshot.text("highlights"),
            team: snapshot.text("team"),
            intellectual_property: snapshot.text("intellectual_property"),
            traction: snapshot.text("traction"),
            contact_consent: snapshot.flag("contact_consent"),
            contact_phone: snapshot.text("contact_phone"),
            contact_email: snapshot.text("contact_email"),
        }
    }

    /// Checks the form (with `complete`, as a submission) and returns the project's
    /// snapshot: the columns of `projects`, the financing sought in fen. Errors: every
    /// problem, each named by its field; consent to publish a contact needs one
    /// ([`Problem::Required`] on `contact_phone`).
    #[cfg(feature = "ssr")]
    pub fn check(&self, complete: bool) -> Result<serde_json::Value, Vec<FieldError>> {
        let mut checks = Checks::default();
        checks.lengths(&[
            ("name", &self.name, 200),
            ("highlights", &self.highlights, 5000),
            ("team", &self.team, 5000),
            ("intellectual_property", &self.intellectual_property, 5000),
            ("traction", &self.traction, 5000),
        ]);
        checks.required(
            complete,
            &[
                ("name", &self.name),
                ("sector", &self.sector),
                ("stage", &self.stage),
                ("financing_form", &self.financing_form),
                ("highlights", &self.highlights),
                ("team", &self.team),
            ],
        );
        let sector = checks.choice("sector", &self.sector, Sector::from_code);
        let stage = checks.choice("stage", &self.stage, ProjectStage::from_code);
        let sought = checks.amount("financing_sought", &self.financing_sought);
        let form = checks.choice(
            "financing_form",
            &self.financing_form,
            FinancingForm::from_code,
        );
        let (phone, email) = check_contact(&mut checks, &self.contact_phone, &self.contact_email);
        if complete && self.contact_consent && phone.is_none() && email.is_none() {
            checks.fail("contact_phone", Problem::Required);
        }
        checks.finish(serde_json::json!({
            "name": self.name,
            "sector": sector.map(|s| s.code()),
            "stage": stage.map(|s| s.code()),
            "financing_sought_fen": sought.map(|m| m.fen),
            "financing_form": form.map(|f| f.code()),
            "highlights": self.highlights,
            "team": self.team,
            "intellectual_property": self.intellectual_property,
            "traction": self.traction,
            "contact_consent": self.contact_consent,
            "contact_phone": phone,
            "contact_email": email,
        }))
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn complete() -> ProjectForm {
        ProjectForm {
            name: "固态电池电解质中试".into(),
            sector: "energy".into(),
            stage: "series_a".into(),
            financing_sought: "3000万".into(),
            financing_form: "equity".into(),
            highlights: "能量密度 400 Wh/kg。".into(),
            team: "博士 6 人。".into(),
            ..ProjectForm::default()
        }
    }

    fn fields(result: Result<serde_json::Value, Vec<FieldError>>) -> Vec<&'static str> {
        result.unwrap_err().iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_submission_needs_its_stage_financing_form_highlights_and_team() {
        let draft = ProjectForm {
            name: "半成品".into(),
            ..ProjectForm::default()
        };
        assert!(draft.check(false).is_ok());
        assert_eq!(
            fields(draft.check(true)),
            ["sector", "stage", "financing_form", "highlights", "team"]
        );
    }

    #[test]
    fn consent_to_publish_a_contact_needs_one() {
        let consenting = ProjectForm {
            contact_consent: true,
            ..complete()
        };
        assert_eq!(fields(consenting.check(true)), ["contact_phone"]);
        let snapshot = ProjectForm {
            contact_email: "BP@Example.com".into(),
            ..consenting
        }
        .check(true)
        .unwrap();
        assert_eq!(snapshot["contact_email"], "bp@example.com");
        assert_eq!(snapshot["financing_sought_fen"], 3_000_000_000i64);
        let again = ProjectForm::from_snapshot(&Snapshot(&snapshot));
        assert_eq!(again.check(true).unwrap(), snapshot);
    }

    #[test]
    fn bad_values_are_named_by_their_field() {
        let form = ProjectForm {
            stage: "series_z".into(),
            financing_sought: "很多".into(),
            financing_form: "gift".into(),
            ..complete()
        };
        assert_eq!(
            fields(form.check(true)),
            ["stage", "financing_sought", "financing_form"]
        );
    }
}
