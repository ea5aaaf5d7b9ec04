//! Government traction (政府采购牵引): what public buyers did with an organisation's
//! products, or with one product: awarded first purchases and how many agencies awarded
//! them, catalogue listings, certifications. One definition (the SQL function `traction`,
//! migration 0017, its product's case on the primary key since 0021) and one component, shown the same way on pages and cards.

#[cfg(feature = "ssr")]
mod cache;

use crate::i18n::{use_locale, Locale};
#[cfg(feature = "ssr")]
pub use cache::TractionCache;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The figures, counts of public records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Traction {
    /// Awarded first-purchase records.
    pub awarded: i64,
    /// Distinct agencies behind them.
    pub agencies: i64,
    /// Catalogue listings (product × batch).
    pub listings: i64,
    /// Distinct certifications held.
    pub certifications: i64,
}

impl Traction {
    pub fn is_empty(&self) -> bool {
        *self == Traction::default()
    }

    /// The figures as one line in `locale` ("首购成交 2 次（2 家单位）· 入库 1 次 · 认证 3 项").
    pub fn sentence(&self, locale: Locale) -> String {
        let mut parts = Vec::new();
        match locale {
            Locale::ZhCn => {
                if self.awarded > 0 {
                    parts.push(format!(
                        "首购成交 {} 次（{} 家采购单位）",
                        self.awarded, self.agencies
                    ));
                }
                if self.listings > 0 {
                    parts.push(format!("入选目录 {} 次", self.listings));
                }
                if self.certifications > 0 {
                    parts.push(format!("认证 {} 项", self.certifications));
                }
                parts.join(" · ")
            }
            Locale::En => {
                let plural = |n: i64, one: &str, many: &str| {
                    format!("{n} {}", if n == 1 { one } else { many })
                };
                if self.awarded > 0 {
                    parts.push(format!(
                        "{} awarded by {}",
                        plural(self.awarded, "first purchase", "first purchases"),
                        plural(self.agencies, "agency", "agencies")
                    ));
                }
                if self.listings > 0 {
                    parts.push(plural(
                        self.listings,
                        "catalogue listing",
                        "catalogue listings",
                    ));
                }
                if self.certifications > 0 {
                    parts.push(plural(
                        self.certifications,
                        "certification",
                        "certifications",
                    ));
                }
                parts.join(" · ")
            }
        }
    }
}

/// The component: nothing when there is no traction at all. On a project, the figures
/// are its owner's (`of_owner`), and the label says so.
#[component]
pub fn TractionLine(traction: Traction, #[prop(optional)] of_owner: bool) -> impl IntoView {
    let locale = use_locale();
    let label = match (locale, of_owner) {
        (Locale::ZhCn, false) => "政府采购与资质",
        (Locale::ZhCn, true) => "申报单位的政府采购与资质",
        (Locale::En, false) => "Government traction",
        (Locale::En, true) => "Its owner's government traction",
    };
    let colon = if locale == Locale::ZhCn { "：" } else { ": " };
    (!traction.is_empty()).then(|| {
        view! {
            <p class="traction" data-testid="traction" data-awarded=traction.awarded
                data-agencies=traction.agencies data-listings=traction.listings>
                <span class="traction-label">{label} {colon}</span>
                {traction.sentence(locale)}
            </p>
        }
    })
}

/// The traction of `organisation`'s products, or of `product` alone.
#[cfg(feature = "ssr")]
pub async fn load(
    conn: impl sqlx::PgExecutor<'_>,
    organisation: crate::domain::OrganisationId,
    product: Option<crate::domain::ProductId>,
) -> Result<Traction, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT awarded AS "awarded!", agencies AS "agencies!", listings AS "listings!",
                  certifications AS "certifications!"
           FROM traction($1, $2)"#,
        organisation.0,
        product.map(|p| p.0)
    )
    .fetch_one(conn)
    .await?;
    Ok(Traction {
        awarded: row.awarded,
        agencies: row.agencies,
        listings: row.listings,
        certifications: row.certifications,
    })
}

/// The traction of each product of `products` (ids), for a page of cards: one query,
/// computed only for the rows shown.
#[cfg(feature = "ssr")]
pub async fn for_products(
    pool: &sqlx::PgPool,
    products: &[i64],
) -> Result<std::collections::HashMap<i64, Traction>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"SELECT p.id, t.awarded AS "awarded!", t.agencies AS "agencies!",
                  t.listings AS "listings!", t.certifications AS "certifications!"
           FROM products p CROSS JOIN LATERAL traction(p.organisation_id, p.id) t
           WHERE p.id = ANY ($1)"#,
        products
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| {
        (
            row.id,
            Traction {
                awarded: row.awarded,
                agencies: row.agencies,
                listings: row.listings,
                certifications: row.certifications,
            },
        )
    })
    .collect())
}

/// The traction of each organisation of `organisations` (ids), for a page of cards.
#[cfg(feature = "ssr")]
pub async fn for_organisations(
    pool: &sqlx::PgPool,
    organisations: &[i64],
) -> Result<std::collections::HashMap<i64, Traction>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"SELECT o.id, t.awarded AS "awarded!", t.agencies AS "agencies!",
                  t.listings AS "listings!", t.certifications AS "certifications!"
           FROM unnest($1::bigint[]) AS o(id) CROSS JOIN LATERAL traction(o.id) t"#,
        organisations
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .filter_map(|row| {
        Some((
            row.id?,
            Traction {
                awarded: row.awarded,
                agencies: row.agencies,
                listings: row.listings,
                certifications: row.certifications,
            },
        ))
    })
    .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_names_only_what_there_is() {
        let t = Traction {
            awarded: 2,
            agencies: 1,
            listings: 1,
            certifications: 0,
        };
        assert_eq!(
            t.sentence(Locale::ZhCn),
            "首购成交 2 次（1 家采购单位） · 入选目录 1 次"
        );
        assert_eq!(
            t.sentence(Locale::En),
            "2 first purchases awarded by 1 agency · 1 catalogue listing"
        );
        assert!(Traction::default().is_empty());
    }
}
