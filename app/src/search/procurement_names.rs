//! Names for the procurement-category facet (`domain::procurement`). The catalogue's own
//! table names the upper levels; a deeper code is named by the item name the products
//! filed under it carry (the most common one), read from Postgres.

use super::Facets;
use crate::domain::procurement;
use crate::i18n::Locale;
use sqlx::PgPool;

/// Fills `facets.procurement_names` for the codes in `facets.procurement` that the
/// table does not name. A code in canonical form stands for the stored codes that end in
/// `00` pairs as well (`A020519` for `A02051900`).
///
/// # Errors
/// A database error; the search page then shows the codes without names.
pub async fn fill(pool: &PgPool, facets: &mut Facets) -> Result<(), sqlx::Error> {
    let unnamed: Vec<&str> = facets
        .procurement
        .iter()
        .map(|facet| facet.value.as_str())
        .filter(|code| procurement::level_name(code, Locale::ZhCn).is_none())
        .collect();
    if unnamed.is_empty() {
        return Ok(());
    }
    let mut stored = Vec::new();
    for code in &unnamed {
        let mut form = (*code).to_owned();
        while form.len() <= 11 {
            stored.push(form.clone());
            form.push_str("00");
        }
    }
    let rows = sqlx::query!(
        r#"SELECT p.procurement_code AS "code!", p.procurement_name AS "name!"
           FROM products p JOIN organisations o ON o.id = p.organisation_id
           WHERE p.procurement_code = ANY($1) AND p.procurement_name <> ''
             AND record_is_listed(p.status, o.verified_at)
           GROUP BY p.procurement_code, p.procurement_name
           ORDER BY count(*) DESC, p.procurement_name"#,
        &stored
    )
    .fetch_all(pool)
    .await?;
    for row in rows {
        if let Some(code) = procurement::canonical(&row.code) {
            facets.procurement_names.entry(code).or_insert(row.name);
        }
    }
    Ok(())
}
