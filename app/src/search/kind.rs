//! The kinds of record that search covers.

use crate::domain::labelled::labelled_enum;

labelled_enum! {
    /// Named as in the database's `subject_kind`.
    pub enum DocumentKind as "subject_kind" {
        Scenario = "scenario", "应用场景", "Scenarios";
        Product = "product", "创新产品", "Products";
        Project = "project", "创新创业项目", "Projects";
        Organisation = "organisation", "机构", "Organisations";
    }
}

impl DocumentKind {
    /// Where a record of this kind has its page.
    pub fn path(self, id: i64) -> String {
        let base = match self {
            DocumentKind::Scenario => "scenarios",
            DocumentKind::Product => "products",
            DocumentKind::Project => "projects",
            DocumentKind::Organisation => "organisations",
        };
        format!("/{base}/{id}")
    }
}
