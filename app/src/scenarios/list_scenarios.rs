use super::{ScenarioFilter, ScenarioSummary};
use crate::error::AppError;
use crate::listing::Page;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Published scenarios matching the filter, newest first. Public.
#[server(prefix = "/api", endpoint = "scenarios/list", input = GetUrl)]
pub async fn list_scenarios(filter: ScenarioFilter) -> Result<Page<ScenarioSummary>, AppError> {
    let state = crate::state::app_state()?;
    Ok(super::db::list_published(&state.pool, &filter, crate::listing::PER_PAGE).await?)
}
