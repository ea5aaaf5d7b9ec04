//! A product as its form holds it, and the checks that make it a listing. Saving a draft
//! checks only what was filled in; submitting also needs everything a listing must have
//! (docs/domain.md, "Innovative product").

#[cfg(feature = "ssr")]
use super::Checks;
use super::{Posted, Snapshot};
#[cfg(feature = "ssr")]
use crate::accounts::form::{FieldError, Problem};
use crate::domain::{Certification, Industry, InsuranceStatus, Money};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The form's fields as typed (what a draft keeps). Field names are the form's `name`s.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductForm {
    pub name: String,
    /// 政府采购品目分类目录 code, e.g. `A02100000`.
    pub procurement_code: String,
    pub procurement_name: String,
    pub industry: String,
    pub description: String,
    pub specifications: String,
    /// 元, as typed.
    pub price_min: String,
    pub price_max: String,
    pub price_unit: String,
    pub certifications: Vec<String>,
    /// One patent number per line.
    pub patents: String,
    pub is_medical: bool,
    pub registration_certificate: String,
    pub insurance_status: String,
    /// `2028-06-30`, or empty.
    pub valid_until: String,
}

/// The names of the form's fields, in the form's order.
pub const PRODUCT_FIELDS: &[&str] = &[
    "name",
    "procurement_code",
    "procurement_name",
    "industry",
    "description",
    "specifications",
    "price_min",
    "price_max",
    "price_unit",
    "certifications",
    "patents",
    "is_medical",
    "registration_certificate",
    "insurance_status",
    "valid_until",
];

#[cfg(feature = "ssr")]
const MAX_PATENTS: usize = 50;

impl ProductForm {
    /// The form as posted.
    pub(crate) fn from_posted(posted: &Posted) -> ProductForm {
        ProductForm {
            name: posted.text("name"),
            procurement_code: posted.text("procurement_code").to_ascii_uppercase(),
            procurement_name: posted.text("procurement_name"),
            industry: posted.text("industry"),
            description: posted.text("description"),
            specifications: posted.text("specifications"),
            price_min: posted.text("price_min"),
            price_max: posted.text("price_max"),
            price_unit: posted.text("price_unit"),
            certifications: posted.all("certifications"),
            patents: posted.text("patents"),
            is_medical: posted.flag("is_medical"),
            registration_certificate: posted.text("registration_certificate"),
            insurance_status: posted.text("insurance_status"),
            valid_until: posted.text("valid_until"),
        }
    }

    /// The form holding a product's snapshot. Prices come back in 元.
    pub(crate) fn from_snapshot(snapshot: &Snapshot) -> ProductForm {
        ProductForm {
            name: snapshot.text("name"),
            procurement_code: snapshot.text("procurement_code"),
            procurement_name: snapshot.text("procurement_name"),
            industry: snapshot.text("industry"),
            description: snapshot.text("description"),
            specifications: snapshot.text("specifications"),
            price_min: snapshot.yuan("price_min_fen"),
            price_max: snapshot.yuan("price_max_fen"),
            price_unit: snapshot.text("price_unit"),
            certifications: snapshot.list("certifications"),
            patents: snapshot.list("patents").join("\n"),
            is_medical: snapshot.flag("is_medical"),
            registration_certificate: snapshot.text("registration_certificate"),
            insurance_status: snapshot.text("insurance_status"),
            valid_until: snapshot.text("valid_until"),
        }
    }

    /// Checks the form. With `complete`, everything a listing needs must be there
    /// (submitting); without, only what was filled in is checked (saving a draft).
    /// Errors: every problem, each named by its field.
    #[cfg(feature = "ssr")]
    pub fn check(&self, complete: bool) -> Result<Product, Vec<FieldError>> {
        let mut checks = Checks::default();
        checks.lengths(&[
            ("name", &self.name, 200),
            ("procurement_name", &self.procurement_name, 100),
            ("description", &self.description, 5000),
            ("specifications", &self.specifications, 5000),
            ("price_unit", &self.price_unit, 10),
            (
                "registration_certificate",
                &self.registration_certificate,
                100,
            ),
        ]);
        checks.required(
            complete,
            &[
                ("name", &self.name),
                ("procurement_code", &self.procurement_code),
                ("procurement_name", &self.procurement_name),
                ("industry", &self.industry),
                ("description", &self.description),
                ("specifications", &self.specifications),
            ],
        );
        if !self.procurement_code.is_empty()
            && !crate::domain::procurement::is_item_code(&self.procurement_code)
        {
            checks.fail("procurement_code", Problem::InvalidProcurementCode);
        }
        let industry = checks.choice("industry", &self.industry, Industry::from_code);
        let price_min = checks.amount("price_min", &self.price_min);
        let price_max = checks.amount("price_max", &self.price_max);
        checks.range("price_max", price_min, price_max);
        let mut certifications = Vec::new();
        for code in &self.certifications {
            match Certification::from_code(code) {
                Some(c) if !certifications.contains(&c) => certifications.push(c),
                Some(_) => {}
                None => checks.fail("certifications", Problem::InvalidChoice),
            }
        }
        let patents: Vec<String> = self
            .patents
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect();
        if patents.len() > MAX_PATENTS || patents.iter().any(|p| p.chars().count() > 50) {
            checks.fail("patents", Problem::TooLong);
        }
        let insurance = checks.choice(
            "insurance_status",
            &self.insurance_status,
            InsuranceStatus::from_code,
        );
        if self.is_medical && complete {
            // The policy singles these out for medical products.
            if self.registration_certificate.is_empty() {
                checks.fail("registration_certificate", Problem::Required);
            }
            if insurance.is_none() && self.insurance_status.is_empty() {
                checks.fail("insurance_status", Problem::Required);
            }
        }
        let valid_until = checks.date("valid_until", &self.valid_until);
        checks.finish(Product {
            name: self.name.clone(),
            procurement_code: self.procurement_code.clone(),
            procurement_name: self.procurement_name.clone(),
            industry,
            description: self.description.clone(),
            specifications: self.specifications.clone(),
            price_min,
            price_max,
            price_unit: if self.price_unit.is_empty() {
                "套".to_owned()
            } else {
                self.price_unit.clone()
            },
            certifications,
            patents,
            is_medical: self.is_medical,
            registration_certificate: (!self.registration_certificate.is_empty())
                .then(|| self.registration_certificate.clone()),
            insurance_status: insurance.filter(|_| self.is_medical),
            valid_until,
        })
    }
}

/// A checked product: what a submission writes into `products` (and its revision's
/// snapshot). Prices in fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub name: String,
    pub procurement_code: String,
    pub procurement_name: String,
    /// `None` only in a draft.
    pub industry: Option<Industry>,
    pub description: String,
    pub specifications: String,
    pub price_min: Option<Money>,
    pub price_max: Option<Money>,
    pub price_unit: String,
    pub certifications: Vec<Certification>,
    pub patents: Vec<String>,
    pub is_medical: bool,
    pub registration_certificate: Option<String>,
    pub insurance_status: Option<InsuranceStatus>,
    pub valid_until: Option<NaiveDate>,
}

impl Product {
    /// The record's columns as JSON (the shape of `product_revisions.snapshot`, read back
    /// with `jsonb_populate_record(NULL::products, …)`).
    pub fn snapshot(&self) -> serde_json::Value {
        serde_json::json!({
            "name": self.name,
            "procurement_code": self.procurement_code,
            "procurement_name": self.procurement_name,
            "industry": self.industry.map(|i| i.code()),
            "description": self.description,
            "specifications": self.specifications,
            "price_min_fen": self.price_min.map(|m| m.fen),
            "price_max_fen": self.price_max.map(|m| m.fen),
            "price_unit": self.price_unit,
            "certifications": self.certifications.iter().map(|c| c.code()).collect::<Vec<_>>(),
            "patents": self.patents,
            "is_medical": self.is_medical,
            "registration_certificate": self.registration_certificate,
            "insurance_status": self.insurance_status.map(|s| s.code()),
            "valid_until": self.valid_until,
        })
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn complete() -> ProductForm {
        ProductForm {
            name: "智能巡检机器人".into(),
            procurement_code: "A02100000".into(),
            procurement_name: "专用设备".into(),
            industry: "intelligent_manufacturing".into(),
            description: "用于变电站的自主巡检。".into(),
            specifications: "续航 8 小时".into(),
            price_min: "12.5万".into(),
            price_max: "150000".into(),
            certifications: vec!["first_set".into()],
            patents: "ZL202110000001.1\n\nZL202110000002.X".into(),
            ..ProductForm::default()
        }
    }

    #[test]
    fn a_draft_may_be_incomplete_but_a_submission_may_not() {
        let draft = ProductForm {
            name: "半成品".into(),
            ..ProductForm::default()
        };
        assert!(draft.check(false).is_ok());
        let missing: Vec<&str> = draft
            .check(true)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            missing,
            [
                "procurement_code",
                "procurement_name",
                "industry",
                "description",
                "specifications"
            ]
        );
    }

    #[test]
    fn a_complete_product_has_its_prices_in_fen_and_its_patents_one_per_line() {
        let product = complete().check(true).unwrap();
        assert_eq!(product.price_min, Some(Money::from_fen(12_500_000)));
        assert_eq!(product.price_max, Some(Money::from_fen(15_000_000)));
        assert_eq!(product.patents.len(), 2);
        assert_eq!(product.price_unit, "套");
        assert_eq!(product.snapshot()["industry"], "intelligent_manufacturing");
    }

    #[test]
    fn bad_values_are_named_by_their_field() {
        let form = ProductForm {
            procurement_code: "D123".into(),
            price_min: "lots".into(),
            price_max: "100".into(),
            industry: "steel".into(),
            valid_until: "2027-02-30".into(),
            ..complete()
        };
        let fields: Vec<&str> = form
            .check(false)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["procurement_code", "industry", "price_min", "valid_until"]
        );
        let inverted = ProductForm {
            price_min: "200".into(),
            price_max: "100".into(),
            ..complete()
        };
        assert_eq!(inverted.check(true).unwrap_err()[0].field, "price_max");
    }

    #[test]
    fn a_snapshot_comes_back_as_the_form_that_made_it() {
        let form = ProductForm {
            price_unit: "台".into(),
            ..complete()
        };
        let product = form.check(true).unwrap();
        let again = ProductForm::from_snapshot(&Snapshot(&product.snapshot()));
        assert_eq!(again.check(true).unwrap(), product);
        assert_eq!(again.price_min, "125000");
    }

    #[test]
    fn a_medical_product_needs_its_registration_certificate_and_insurance_status() {
        let form = ProductForm {
            is_medical: true,
            ..complete()
        };
        let fields: Vec<&str> = form
            .check(true)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["registration_certificate", "insurance_status"]);
    }
}
