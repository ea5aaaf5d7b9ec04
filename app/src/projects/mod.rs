//! Innovation and entrepreneurship projects (创新创业项目), for investors to browse.

mod card;
#[cfg(feature = "ssr")]
pub mod db;
mod detail_page;
mod filter;
mod get_project;
mod list_page;
mod list_projects;
mod types;

pub use card::ProjectCard;
pub use detail_page::ProjectDetailPage;
pub use filter::ProjectFilter;
pub use get_project::get_project;
pub use list_page::ProjectListPage;
pub use list_projects::list_projects;
pub use types::*;
