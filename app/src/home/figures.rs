use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeFigures {
    pub verified_organisations: i64,
}

/// Public and cacheable, hence GET. Counts only what the public may see.
#[server(prefix = "/api", endpoint = "home/figures", input = GetUrl)]
pub async fn load_home_figures() -> Result<HomeFigures, AppError> {
    let state = crate::state::app_state()?;
    Ok(super::db::home_figures(&state.pool).await?)
}
