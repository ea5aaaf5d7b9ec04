//! The three kinds of record an organisation writes and submits (products, scenarios,
//! projects), as their forms hold them. A draft keeps a form as typed; saving checks only
//! what was filled in, submitting also needs everything the record must have
//! (docs/domain.md, "What is catalogued"). A checked form becomes the record's snapshot:
//! its table's columns as JSON, the shape of `*_revisions.snapshot`, read back in SQL with
//! `jsonb_populate_record(NULL::<table>, …)`.

mod product;
mod project;
mod scenario;

pub use product::{Product, ProductForm, PRODUCT_FIELDS};
pub use project::{ProjectForm, PROJECT_FIELDS};
pub use scenario::{ScenarioForm, SCENARIO_FIELDS};

#[cfg(feature = "ssr")]
use crate::accounts::form::FieldError;
use crate::accounts::form::Problem;
use crate::calls::types::CallKind;
use crate::domain::{Money, OrganisationKind};
use crate::i18n::Locale;
#[cfg(feature = "ssr")]
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What kind of record a draft or submission is (`drafts.record_kind`,
/// `submissions.record_kind`, and the URL's `/{code}s/{id}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecordKind {
    Product,
    Scenario,
    Project,
}

impl RecordKind {
    pub const ALL: [RecordKind; 3] = [
        RecordKind::Product,
        RecordKind::Scenario,
        RecordKind::Project,
    ];

    /// `product`, `scenario` or `project`.
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Product => "product",
            RecordKind::Scenario => "scenario",
            RecordKind::Project => "project",
        }
    }

    pub fn from_code(code: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// The kind of call that collects this kind of record (projects have none).
    pub fn call_kind(self) -> Option<CallKind> {
        match self {
            RecordKind::Product => Some(CallKind::ProductBatch),
            RecordKind::Scenario => Some(CallKind::ScenarioCall),
            RecordKind::Project => None,
        }
    }

    /// 创新产品, 应用场景 or 创新创业项目.
    pub fn label(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (RecordKind::Product, Locale::ZhCn) => "创新产品",
            (RecordKind::Product, Locale::En) => "Innovative product",
            (RecordKind::Scenario, Locale::ZhCn) => "应用场景",
            (RecordKind::Scenario, Locale::En) => "Application scenario",
            (RecordKind::Project, Locale::ZhCn) => "创新创业项目",
            (RecordKind::Project, Locale::En) => "Innovation project",
        }
    }

    /// The record's public page.
    pub fn page(self, id: i64) -> String {
        format!("/{}s/{id}", self.code())
    }

    /// Whether an organisation of `kind` may start a draft of this kind at all (a call may
    /// narrow it further). Projects come from firms, research institutes and incubators;
    /// anyone verified may answer a product batch or a scenario call that takes its kind.
    ///
    /// Errors: [`Problem::ProjectsFromFirmsOnly`].
    pub fn check_author(self, kind: OrganisationKind) -> Result<(), Problem> {
        match self {
            RecordKind::Project if !project_author(kind) => Err(Problem::ProjectsFromFirmsOnly),
            _ => Ok(()),
        }
    }
}

fn project_author(kind: OrganisationKind) -> bool {
    matches!(
        kind,
        OrganisationKind::Enterprise
            | OrganisationKind::ResearchInstitute
            | OrganisationKind::Incubator
    )
}

/// Whether an organisation of `kind` may publish a scenario without a call (reviewed by
/// platform reviewers, no notice): government agencies and public institutions.
pub fn publishes_scenarios_directly(kind: OrganisationKind) -> bool {
    matches!(
        kind,
        OrganisationKind::GovernmentAgency | OrganisationKind::PublicInstitution
    )
}

/// A draft's form, of its record's kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordForm {
    Product(ProductForm),
    Scenario(ScenarioForm),
    Project(ProjectForm),
}

impl RecordForm {
    pub fn kind(&self) -> RecordKind {
        match self {
            RecordForm::Product(_) => RecordKind::Product,
            RecordForm::Scenario(_) => RecordKind::Scenario,
            RecordForm::Project(_) => RecordKind::Project,
        }
    }

    /// The form posted as (name, value) pairs.
    pub fn from_fields(kind: RecordKind, fields: &[(String, String)]) -> RecordForm {
        let posted = Posted(fields);
        match kind {
            RecordKind::Product => RecordForm::Product(ProductForm::from_posted(&posted)),
            RecordKind::Scenario => RecordForm::Scenario(ScenarioForm::from_posted(&posted)),
            RecordKind::Project => RecordForm::Project(ProjectForm::from_posted(&posted)),
        }
    }

    /// The form holding a record's snapshot (what a returned submission's draft, or a
    /// revision of a published record, starts from). Amounts come back in 元.
    pub fn from_snapshot(kind: RecordKind, snapshot: &serde_json::Value) -> RecordForm {
        let snapshot = Snapshot(snapshot);
        match kind {
            RecordKind::Product => RecordForm::Product(ProductForm::from_snapshot(&snapshot)),
            RecordKind::Scenario => RecordForm::Scenario(ScenarioForm::from_snapshot(&snapshot)),
            RecordKind::Project => RecordForm::Project(ProjectForm::from_snapshot(&snapshot)),
        }
    }

    /// A draft's saved `fields` (an empty form when there are none yet).
    pub fn from_draft(kind: RecordKind, fields: serde_json::Value) -> RecordForm {
        match kind {
            RecordKind::Product => {
                RecordForm::Product(serde_json::from_value(fields).unwrap_or_default())
            }
            RecordKind::Scenario => {
                RecordForm::Scenario(serde_json::from_value(fields).unwrap_or_default())
            }
            RecordKind::Project => {
                RecordForm::Project(serde_json::from_value(fields).unwrap_or_default())
            }
        }
    }

    /// What a draft keeps in `drafts.fields`.
    pub fn draft_fields(&self) -> serde_json::Value {
        match self {
            RecordForm::Product(form) => serde_json::to_value(form),
            RecordForm::Scenario(form) => serde_json::to_value(form),
            RecordForm::Project(form) => serde_json::to_value(form),
        }
        .unwrap_or(serde_json::Value::Null)
    }

    /// The record's name or title as typed.
    pub fn title(&self) -> &str {
        match self {
            RecordForm::Product(form) => &form.name,
            RecordForm::Scenario(form) => &form.title,
            RecordForm::Project(form) => &form.name,
        }
    }

    /// The record's main text: a product's description, a scenario's need, a project's
    /// highlights.
    pub fn summary(&self) -> &str {
        match self {
            RecordForm::Product(form) => &form.description,
            RecordForm::Scenario(form) => &form.need,
            RecordForm::Project(form) => &form.highlights,
        }
    }

    /// Checks the form (on the server). With `complete`, everything the record needs must be there
    /// (submitting); without, only what was filled in is checked (saving a draft).
    /// Returns the record's snapshot. Errors: every problem, each named by its field.
    #[cfg(feature = "ssr")]
    pub fn check(&self, complete: bool) -> Result<serde_json::Value, Vec<FieldError>> {
        match self {
            RecordForm::Product(form) => form.check(complete).map(|product| product.snapshot()),
            RecordForm::Scenario(form) => form.check(complete),
            RecordForm::Project(form) => form.check(complete),
        }
    }

    /// Checks the form for submission on `today` (Beijing date): complete, and with no
    /// date that has passed where a coming one is needed (a product's validity, a
    /// scenario's answer deadline). Errors: every problem, each named by its field.
    #[cfg(feature = "ssr")]
    pub fn check_for_submission(
        &self,
        today: NaiveDate,
    ) -> Result<serde_json::Value, Vec<FieldError>> {
        let snapshot = self.check(true)?;
        let (field, last_day) = match self {
            RecordForm::Product(_) => ("valid_until", &snapshot["valid_until"]),
            RecordForm::Scenario(_) => ("open_until", &snapshot["open_until"]),
            RecordForm::Project(_) => return Ok(snapshot),
        };
        let last_day = last_day
            .as_str()
            .and_then(|date| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok());
        if last_day.is_some_and(|day| day < today) {
            return Err(vec![FieldError {
                field,
                problem: Problem::DateInPast,
            }]);
        }
        Ok(snapshot)
    }
}

/// A posted form, read by field name.
pub(crate) struct Posted<'a>(pub &'a [(String, String)]);

impl Posted<'_> {
    /// The first value of `name`, trimmed (empty when absent).
    pub fn text(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(field, _)| field == name)
            .map_or_else(String::new, |(_, value)| value.trim().to_owned())
    }

    /// Every value of `name` (a group of checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(field, _)| field == name)
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// A checkbox posted with the value `yes`.
    pub fn flag(&self, name: &str) -> bool {
        self.text(name) == "yes"
    }
}

/// A record's snapshot, read back into form values.
pub(crate) struct Snapshot<'a>(pub &'a serde_json::Value);

impl Snapshot<'_> {
    pub fn text(&self, key: &str) -> String {
        self.0[key].as_str().unwrap_or_default().to_owned()
    }

    /// An amount in fen, as 元 text.
    pub fn yuan(&self, key: &str) -> String {
        self.0[key]
            .as_i64()
            .map(|fen| Money::from_fen(fen).yuan_text())
            .unwrap_or_default()
    }

    pub fn list(&self, key: &str) -> Vec<String> {
        self.0[key]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| item.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn flag(&self, key: &str) -> bool {
        self.0[key].as_bool().unwrap_or(false)
    }
}

/// The checks every form shares, collecting each problem under its field.
#[cfg(feature = "ssr")]
#[derive(Default)]
pub(crate) struct Checks {
    pub errors: Vec<FieldError>,
}

#[cfg(feature = "ssr")]
impl Checks {
    pub fn fail(&mut self, field: &'static str, problem: Problem) {
        self.errors.push(FieldError { field, problem });
    }

    /// Each value at most its number of characters.
    pub fn lengths(&mut self, limits: &[(&'static str, &str, usize)]) {
        for (field, value, max) in limits {
            if value.chars().count() > *max {
                self.fail(field, Problem::TooLong);
            }
        }
    }

    /// With `complete`, each value must be filled in.
    pub fn required(&mut self, complete: bool, values: &[(&'static str, &str)]) {
        for (field, value) in values {
            if complete && value.is_empty() {
                self.fail(field, Problem::Required);
            }
        }
    }

    /// A value of a closed vocabulary (`parse` gives `None` for anything else).
    pub fn choice<T>(
        &mut self,
        field: &'static str,
        value: &str,
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        let parsed = parse(value);
        if !value.is_empty() && parsed.is_none() {
            self.fail(field, Problem::InvalidChoice);
        }
        parsed
    }

    /// An amount in 元 as typed (`12.5万`, `150000`), or nothing.
    pub fn amount(&mut self, field: &'static str, value: &str) -> Option<Money> {
        if value.is_empty() {
            return None;
        }
        match Money::parse_yuan(value) {
            Ok(money) => Some(money),
            Err(_) => {
                self.fail(field, Problem::InvalidAmount);
                None
            }
        }
    }

    /// A range whose upper end is not below its lower end.
    pub fn range(&mut self, max_field: &'static str, min: Option<Money>, max: Option<Money>) {
        if let (Some(min), Some(max)) = (min, max) {
            if max < min {
                self.fail(max_field, Problem::MaxBelowMin);
            }
        }
    }

    /// A date written `2026-11-30`, or nothing.
    pub fn date(&mut self, field: &'static str, value: &str) -> Option<NaiveDate> {
        if value.is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                self.fail(field, Problem::InvalidDate);
                None
            }
        }
    }

    pub fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

/// An office's public telephone number and mailbox, as a scenario or project gives them:
/// each well-formed when present. Lower-cases the address.
#[cfg(feature = "ssr")]
pub(crate) fn check_contact(
    checks: &mut Checks,
    phone: &str,
    email: &str,
) -> (Option<String>, Option<String>) {
    use crate::accounts::server::validate::{check_email, check_phone, normalise_email};
    let phone = (!phone.is_empty()).then(|| phone.to_owned());
    if let Some(Err(problem)) = phone.as_deref().map(check_phone) {
        checks.fail("contact_phone", problem);
    }
    let email = (!email.is_empty()).then(|| normalise_email(email));
    if let Some(Err(problem)) = email.as_deref().map(check_email) {
        checks.fail("contact_email", problem);
    }
    (phone, email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_kind_is_named_by_its_code() {
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(RecordKind::from_code("organisation"), None);
        assert_eq!(RecordKind::Scenario.page(7), "/scenarios/7");
    }

    #[test]
    fn projects_come_from_firms_research_institutes_and_incubators() {
        assert_eq!(
            RecordKind::Project.check_author(OrganisationKind::GovernmentAgency),
            Err(Problem::ProjectsFromFirmsOnly)
        );
        assert_eq!(
            RecordKind::Project.check_author(OrganisationKind::InvestmentInstitution),
            Err(Problem::ProjectsFromFirmsOnly)
        );
        assert!(RecordKind::Project
            .check_author(OrganisationKind::Incubator)
            .is_ok());
        assert!(RecordKind::Scenario
            .check_author(OrganisationKind::Enterprise)
            .is_ok());
        assert!(publishes_scenarios_directly(
            OrganisationKind::PublicInstitution
        ));
        assert!(!publishes_scenarios_directly(OrganisationKind::Enterprise));
    }

    #[test]
    fn a_draft_keeps_its_form_of_its_kind() {
        let form = RecordForm::from_fields(
            RecordKind::Scenario,
            &[("title".into(), " 智慧路灯 ".into())],
        );
        assert_eq!(form.title(), "智慧路灯");
        let again = RecordForm::from_draft(RecordKind::Scenario, form.draft_fields());
        assert_eq!(again, form);
        assert_eq!(
            RecordForm::from_draft(RecordKind::Project, serde_json::Value::Null),
            RecordForm::Project(ProjectForm::default())
        );
    }
}
