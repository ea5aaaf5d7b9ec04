//! Application scenarios (应用场景): needs that agencies publish for suppliers to answer.

mod card;
#[cfg(feature = "ssr")]
pub mod db;
mod detail_page;
mod filter;
mod get_scenario;
mod list_page;
mod list_scenarios;
mod types;

pub use card::ScenarioCard;
pub use detail_page::ScenarioDetailPage;
pub use filter::ScenarioFilter;
pub use get_scenario::get_scenario;
pub use list_page::ScenarioListPage;
pub use list_scenarios::list_scenarios;
pub use types::*;
