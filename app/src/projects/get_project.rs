use super::ProjectDetail;
use crate::domain::ProjectId;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// A project's public page data; anything the public may not see is `NotFound`.
#[server(prefix = "/api", endpoint = "projects/get", input = GetUrl, output = crate::codec::JsonAnswer)]
pub async fn get_project(id: ProjectId) -> Result<ProjectDetail, AppError> {
    crate::error::with_status(async {
        let state = crate::state::app_state()?;
        super::db::public_detail(&state.pool, id, state.clock.zone())
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}
