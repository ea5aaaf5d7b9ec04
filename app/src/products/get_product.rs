use super::ProductDetail;
use crate::domain::ProductId;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// A product's public page data; records the public may not see are `NotFound`, exactly
/// like records that do not exist.
#[server(prefix = "/api", endpoint = "products/get", input = GetUrl, output = crate::codec::JsonAnswer)]
pub async fn get_product(id: ProductId) -> Result<ProductDetail, AppError> {
    crate::error::with_status(async {
        let state = crate::state::app_state()?;
        super::db::public_detail(&state.pool, id, state.clock.today(), state.clock.zone())
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}
