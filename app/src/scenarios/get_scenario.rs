use super::ScenarioDetail;
use crate::domain::ScenarioId;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// A scenario's public page data; anything the public may not see is `NotFound`.
#[server(prefix = "/api", endpoint = "scenarios/get", input = GetUrl, output = crate::codec::JsonAnswer)]
pub async fn get_scenario(id: ScenarioId) -> Result<ScenarioDetail, AppError> {
    crate::error::with_status(async {
        let state = crate::state::app_state()?;
        super::db::public_detail(&state.pool, id, state.clock.today(), state.clock.zone())
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}
