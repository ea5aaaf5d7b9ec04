//! The home page: what the catalogue is for, and figures read from the database.

#[cfg(feature = "ssr")]
pub mod db;
mod figures;
mod page;

pub use figures::{load_home_figures, HomeFigures, SCENARIO_TARGET};
pub use page::HomePage;
