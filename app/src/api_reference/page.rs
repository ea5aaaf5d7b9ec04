//! The page at `/api`.

use super::markdown::Description;
use super::{ApiOperation, ApiReference};
use crate::components::PageTitle;
use crate::error::AppError;
use crate::errors::ErrorPage;
use crate::i18n::{use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Meta;

/// The page's own words, in both languages (the operations' texts are the OpenAPI
/// document's, written in English).
struct Texts {
    title: &'static str,
    lead: &'static str,
    conventions: &'static str,
    document: &'static str,
    dump: &'static str,
    dump_none: &'static str,
    dump_lead: &'static str,
    date: &'static str,
    size: &'static str,
    records: &'static str,
    download: &'static str,
    operations: &'static str,
    feeds: &'static str,
    feeds_lead: &'static str,
    parameters: &'static str,
    name: &'static str,
    location: &'static str,
    required: &'static str,
    values: &'static str,
    description: &'static str,
    responses: &'static str,
    example: &'static str,
    /// The colon after a label: full-width in Chinese, `: ` in English.
    colon: &'static str,
    yes: &'static str,
}

fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::ZhCn => &Texts {
            title: "开放数据接口",
            lead: "已发布的应用场景、创新产品、创新创业项目、机构、征集与首购记录，向政府部门、科研院所、企业、孵化器和投资机构开放，无需注册或密钥。以下说明由接口的 OpenAPI 文档生成，每个操作附有可在本站直接打开的示例。",
            conventions: "约定",
            document: "机器可读的 OpenAPI 3.1 文档",
            dump: "每日全量数据包",
            dump_none: "数据包尚未生成。",
            dump_lead: "全部公开记录，每行一条（gzip 压缩的 JSON Lines），每日更新；下载后请用 SHA-256 校验。",
            date: "日期（北京时间）",
            size: "大小（字节）",
            records: "记录数",
            download: "下载数据包",
            operations: "操作",
            feeds: "订阅（Atom）",
            feeds_lead: "用阅读器订阅新发布的记录和公示；任何搜索都可订阅：把搜索地址中的 /search 换成 /feeds/search.atom。",
            parameters: "参数",
            name: "名称",
            location: "位置",
            required: "必填",
            values: "取值",
            description: "说明",
            responses: "响应",
            example: "示例",
            colon: "：",
            yes: "是",
        },
        Locale::En => &Texts {
            title: "Open-data API",
            lead: "Published application scenarios, innovative products, projects, organisations, calls and first-purchase records, open to government departments, research institutes, firms, incubators and investors, with no account or key. This page is written from the API's OpenAPI document; each operation has an example you can open on this site.",
            conventions: "Conventions",
            document: "The OpenAPI 3.1 document, for programs",
            dump: "Daily full dump",
            dump_none: "No dump has been written yet.",
            dump_lead: "Every public record, one a line (gzip-compressed JSON Lines), written each day; check a download against its SHA-256.",
            date: "Date (Beijing time)",
            size: "Size (bytes)",
            records: "Records",
            download: "Download the dump",
            operations: "Operations",
            feeds: "Feeds (Atom)",
            feeds_lead: "Follow new records and notices in a feed reader; any search has a feed too: replace /search in its address with /feeds/search.atom.",
            parameters: "Parameters",
            name: "Name",
            location: "In",
            required: "Required",
            values: "Values",
            description: "Description",
            responses: "Responses",
            example: "Example",
            colon: ": ",
            yes: "yes",
        },
    }
}

#[component]
pub fn ApiPage() -> impl IntoView {
    let t = texts(use_locale());
    let reference = Resource::new_blocking(|| (), |_| load());
    view! {
        <PageTitle text=t.title />
        <Meta name="description" content=t.lead />
        <h1>{t.title}</h1>
        <p class="lead">{t.lead}</p>
        <Suspense>
            {move || Suspend::new(async move {
                match reference.await {
                    Ok(reference) => view! { <Reference reference t /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Reference(reference: ApiReference, t: &'static Texts) -> impl IntoView {
    let dump = match reference.dump {
        Some(dump) => view! {
            <p>{t.dump_lead}</p>
            <dl class="facts" data-testid="api-dump">
                <dt>{t.date}</dt><dd>{dump.date.to_string()}</dd>
                <dt>{t.size}</dt><dd>{dump.bytes.to_string()}</dd>
                <dt>"SHA-256"</dt><dd><code>{dump.sha256}</code></dd>
                <dt>{t.records}</dt>
                <dd>{dump.records.iter().map(|(kind, count)| format!("{kind} {count}")).collect::<Vec<_>>().join(" · ")}</dd>
            </dl>
            <p><a href="/api/v1/dump/catalogue.jsonl.gz">{t.download}</a></p>
        }.into_any(),
        None => view! { <p data-testid="api-dump-none">{t.dump_none}</p> }.into_any(),
    };
    view! {
        <section aria-labelledby="api-conventions">
            <h2 id="api-conventions">{t.conventions}</h2>
            <Description description=reference.description />
            <p><a href="/api/v1/openapi.json">{t.document}</a>{format!(" (v{})", reference.version)}</p>
        </section>
        <section aria-labelledby="api-dump-heading">
            <h2 id="api-dump-heading">{t.dump}</h2>
            {dump}
        </section>
        <section aria-labelledby="api-feeds">
            <h2 id="api-feeds">{t.feeds}</h2>
            <p>{t.feeds_lead}</p>
            <ul>
                {crate::feeds::FEEDS.iter().filter(|feed| feed.page != "/search").map(|feed| view! {
                    <li><a href=feed.feed type="application/atom+xml">{feed.title}</a> " " <code>{feed.feed}</code></li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="api-operations">
            <h2 id="api-operations">{t.operations}</h2>
            <ul class="api-index">
                {reference.operations.iter().map(|operation| view! {
                    <li><a href=format!("#{}", anchor(operation))><code>{format!("{} {}", operation.method, operation.path)}</code></a></li>
                }).collect_view()}
            </ul>
            {reference.operations.into_iter().map(|operation| view! { <Operation operation t /> }).collect_view()}
        </section>
    }
}

/// The id of an operation's section (`get-api-v1-products-id`).
fn anchor(operation: &ApiOperation) -> String {
    let path: String = operation
        .path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{}{}", operation.method.to_lowercase(), path)
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[component]
fn Operation(operation: ApiOperation, t: &'static Texts) -> impl IntoView {
    let id = anchor(&operation);
    let parameters = (!operation.parameters.is_empty()).then(|| {
        view! {
            <div class="table-scroll">
                <table>
                    <caption>{t.parameters}</caption>
                    <thead><tr>
                        <th scope="col">{t.name}</th>
                        <th scope="col">{t.location}</th>
                        <th scope="col">{t.required}</th>
                        <th scope="col">{t.values}</th>
                        <th scope="col">{t.description}</th>
                    </tr></thead>
                    <tbody>
                        {operation.parameters.into_iter().map(|parameter| view! {
                            <tr>
                                <th scope="row"><code>{parameter.name}</code></th>
                                <td>{parameter.location}</td>
                                <td>{parameter.required.then_some(t.yes)}</td>
                                <td><code>{parameter.values}</code></td>
                                <td><Description description=parameter.description /></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    });
    view! {
        <section class="api-operation" id=id.clone() aria-labelledby=format!("{id}-heading") data-testid="api-operation">
            <h3 id=format!("{id}-heading")><code>{operation.method} " " {operation.path}</code></h3>
            <Description description=operation.summary />
            <Description description=operation.description />
            {operation.example.map(|example| view! {
                <p>{format!("{}{}", t.example, t.colon)}<a href=example.clone() data-testid="api-example"><code>{example.clone()}</code></a></p>
            })}
            {parameters}
            <h4>{t.responses}</h4>
            <dl class="api-responses">
                {operation.responses.into_iter().map(|response| view! {
                    <dt><code>{response.status}</code></dt>
                    <dd><Description description=response.description /></dd>
                }).collect_view()}
            </dl>
        </section>
    }
}

async fn load() -> Result<ApiReference, AppError> {
    #[cfg(feature = "ssr")]
    {
        let state = crate::state::app_state()?;
        let document = state.api_document.clone().ok_or(AppError::NotFound)?;
        let dump = match &state.open_data_dir {
            Some(folder) => crate::open_data::current(folder).unwrap_or_else(|error| {
                tracing::warn!(%error, "the open-data dump's description is unreadable");
                None
            }),
            None => None,
        };
        let ids = super::build::example_ids(&state.pool).await?;
        Ok(super::build::reference(&document, &ids, dump))
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::Internal)
    }
}
