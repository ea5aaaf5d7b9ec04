//! Organisations: agencies, institutions, firms, incubators and investors. Only verified
//! organisations are public.

mod card;
#[cfg(feature = "ssr")]
pub mod db;
mod detail_page;
mod filter;
mod get_organisation;
mod list_organisations;
mod list_page;
pub mod members;
mod types;

pub use card::OrganisationCard;
pub use detail_page::OrganisationDetailPage;
pub use filter::OrganisationFilter;
pub use get_organisation::get_organisation;
pub use list_organisations::list_organisations;
pub use list_page::OrganisationListPage;
pub use types::*;
