use crate::error::AppError;
use crate::errors::ErrorPage;
use crate::i18n::use_messages;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;
use std::str::FromStr;

/// A detail page: reads `:id` from the path, loads the record, and renders it, or the
/// 404 page when the id is malformed, unknown or not public (all three look the same).
#[component]
pub fn RecordPage<Id, T, Fut, V>(load: fn(Id) -> Fut, render: fn(T) -> V) -> impl IntoView
where
    Id: FromStr + Clone + PartialEq + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    let t = use_messages();
    let params = use_params_map();
    let id = crate::components::url_memo(move || {
        params.read().get("id").and_then(|id| id.parse::<Id>().ok())
    });
    let record = Resource::new(
        move || id.get(),
        move |id| async move {
            match id {
                Some(id) => load(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(record) => render(record).into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
