use super::{ProjectFilter, ProjectSummary};
use crate::error::AppError;
use crate::listing::Page;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Published projects matching the filter, newest first. Public.
#[server(prefix = "/api", endpoint = "projects/list", input = GetUrl, output = crate::codec::JsonAnswer)]
pub async fn list_projects(filter: ProjectFilter) -> Result<Page<ProjectSummary>, AppError> {
    crate::error::with_status(async {
        let filter = filter.validate()?;
        let state = crate::state::app_state()?;
        let page = crate::listing::PER_PAGE;
        Ok(
            super::db::list_published(&state.pool, &state.search, &state.traction, &filter, page)
                .await?,
        )
    })
    .await
}
