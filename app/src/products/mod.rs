//! Innovative products (创新产品): the public list with its filters (the procurement
//! category among them, with its hierarchy), and the detail page
//! with both first-purchase facts (eligible, first-purchased) and the purchase history.

mod card;
mod categories;
#[cfg(feature = "ssr")]
pub mod db;
mod detail_page;
mod filter;
mod get_product;
mod list_page;
mod list_products;
mod types;

pub use card::{FirstPurchaseBadges, ProductCard};
pub use categories::{procurement_categories, CategoryOption, ProcurementSelect, CATEGORIES_TTL};
pub use detail_page::ProductDetailPage;
pub use filter::ProductFilter;
pub use get_product::get_product;
pub use list_page::ProductListPage;
pub use list_products::list_products;
pub use types::*;
