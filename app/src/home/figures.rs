use crate::error::AppError;
use crate::organisations::OrganisationSummary;
use crate::products::ProductSummary;
use crate::projects::ProjectSummary;
use crate::scenarios::ScenarioSummary;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// The policy's target is "more than 150" published scenarios: met at 151.
pub const SCENARIO_TARGET: i64 = 151;

/// What the home page shows: counts of everything published, and the latest of each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeFigures {
    pub published_scenarios: i64,
    pub published_products: i64,
    pub published_projects: i64,
    pub verified_organisations: i64,
    pub latest_scenarios: Vec<ScenarioSummary>,
    pub latest_products: Vec<ProductSummary>,
    pub latest_projects: Vec<ProjectSummary>,
    pub latest_organisations: Vec<OrganisationSummary>,
    /// Whether the catalogue holds demonstration data, which the page then says.
    pub has_demo_data: bool,
    /// Whether the demo accounts exist (`catalogue seed --demo-accounts`): the page then
    /// lists them with their password.
    pub has_demo_accounts: bool,
}

/// Public and cacheable, hence GET. Counts only what the public may see.
#[server(prefix = "/api", endpoint = "home/figures", input = GetUrl, output = crate::codec::JsonAnswer)]
pub async fn load_home_figures() -> Result<HomeFigures, AppError> {
    crate::error::with_status(async {
        let state = crate::state::app_state()?;
        let today = state.clock.today();
        state
            .home_figures
            .get_or_load(|| {
                super::db::home_figures(&state.pool, &state.search, &state.traction, today)
            })
            .await
    })
    .await
}
