//! The government-procurement categories (政府采购品目, `domain::procurement`) of listed
//! products, with their hierarchy: the options of the product list's category filter.

use crate::domain::procurement;
use crate::error::AppError;
use crate::i18n::Locale;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// A category some listed product is filed under, at any level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryOption {
    /// Canonical code (`procurement::canonical`): `A02`, `A0205`, `A02052301`.
    pub code: String,
    /// The item name the products filed under exactly this code carry (the most common),
    /// when any is; upper levels are named by `procurement::level_name`.
    pub item_name: Option<String>,
    /// Listed products filed under it or below it.
    pub count: i64,
}

impl CategoryOption {
    /// 0 for a part of the catalogue (A, B, C), 1 for `A02`, and so on.
    pub fn depth(&self) -> usize {
        self.code.len() / 2
    }

    /// `A0205 机械设备`: the code and the best name there is in `locale`.
    pub fn label(&self, locale: Locale) -> String {
        match procurement::level_name(&self.code, locale).or(self.item_name.as_deref()) {
            Some(name) => format!("{} {name}", self.code),
            None => self.code.clone(),
        }
    }
}

/// Every category of listed products and every level above them, in the catalogue's
/// order (a level, then what is below it), with counts. Public, like the list; kept for
/// [`CATEGORIES_TTL`] (`AppState::procurement_categories`).
#[server(prefix = "/api", endpoint = "products/procurement-categories", input = GetUrl, output = crate::codec::JsonAnswer)]
pub async fn procurement_categories() -> Result<Vec<CategoryOption>, AppError> {
    crate::error::with_status(async {
        let state = crate::state::app_state()?;
        let pool = state.pool.clone();
        state
            .procurement_categories
            .get_or_load(|| async move { load(&pool).await })
            .await
    })
    .await
}

/// How long the categories are kept: they change only when a product is published.
pub const CATEGORIES_TTL: std::time::Duration = std::time::Duration::from_secs(60);

#[cfg(feature = "ssr")]
async fn load(pool: &sqlx::PgPool) -> Result<Vec<CategoryOption>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT p.procurement_code AS "code!", count(*) AS "count!",
                  mode() WITHIN GROUP (ORDER BY p.procurement_name) AS "name?"
           FROM products p JOIN organisations o ON o.id = p.organisation_id
           WHERE record_is_listed(p.status, o.verified_at)
           GROUP BY p.procurement_code"#
    )
    .fetch_all(pool)
    .await?;
    let mut options: std::collections::BTreeMap<String, CategoryOption> = Default::default();
    for row in rows {
        let path = procurement::path(&row.code);
        let Some(own) = path.last().cloned() else {
            continue;
        };
        for code in path {
            let option = options.entry(code.clone()).or_insert(CategoryOption {
                code: code.clone(),
                item_name: None,
                count: 0,
            });
            option.count += row.count;
            if code == own && option.item_name.is_none() {
                option.item_name = row.name.clone().filter(|name| !name.is_empty());
            }
        }
    }
    // Canonical codes in text order are the catalogue's order: A, A02, A0201, A020101…
    Ok(options.into_values().collect())
}

/// The category filter of the product list: "any", then every category indented by
/// its level, with its number of products.
#[component]
pub fn ProcurementSelect(
    label: &'static str,
    any: &'static str,
    options: Vec<CategoryOption>,
    selected: Option<String>,
) -> impl IntoView {
    let locale = crate::i18n::use_locale();
    let mut options = options;
    // A chosen category no listed product is filed under (any more, or not yet in the
    // kept list) stays chosen, so applying the other filters does not drop it.
    if let Some(code) = selected.as_deref() {
        if !options.iter().any(|option| option.code == code) {
            options.insert(
                0,
                CategoryOption {
                    code: code.to_owned(),
                    item_name: None,
                    count: 0,
                },
            );
        }
    }
    view! {
        <div class="field">
            <label for="filter-procurement">{label}</label>
            <select id="filter-procurement" name="procurement" prop:value=selected.clone().unwrap_or_default()>
                <option value="" selected=selected.is_none()>{any}</option>
                {options
                    .into_iter()
                    .map(|option| {
                        let chosen = selected.as_deref() == Some(option.code.as_str());
                        let indent = "\u{a0}\u{a0}".repeat(option.depth());
                        let text = format!("{indent}{} ({})", option.label(locale), option.count);
                        view! { <option value=option.code selected=chosen>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_is_labelled_by_the_table_or_its_products() {
        let level = CategoryOption {
            code: "A0205".into(),
            item_name: None,
            count: 3,
        };
        assert_eq!(level.depth(), 2);
        assert_eq!(level.label(Locale::ZhCn), "A0205 机械设备");
        assert_eq!(level.label(Locale::En), "A0205 Machinery");
        let item = CategoryOption {
            code: "A02052301".into(),
            item_name: Some("工业机器人".into()),
            count: 2,
        };
        assert_eq!(item.label(Locale::En), "A02052301 工业机器人");
    }
}
