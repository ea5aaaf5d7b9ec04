//! The feeds of new products, scenarios and projects (the newest published first, by the
//! rule of lists) and of what entered public notice (as `/notices` lists it).

use super::{answer, feed, shortened, title_of, Item, ENTRIES};
use app::clock::Clock;
use app::domain::{Industry, Sector};
use app::error::AppError;
use app::i18n::Locale;
use app::state::Site;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use sqlx::PgPool;

/// Characters of a record's text in its entry's summary.
const SUMMARY: usize = 280;

/// `GET /feeds/products.atom`: the newest published innovative products.
pub async fn products(State(pool): State<PgPool>, State(site): State<Site>) -> Response {
    list_answer(&site, "products", product_items(&pool).await)
}

/// `GET /feeds/scenarios.atom`: the newest published application scenarios.
pub async fn scenarios(State(pool): State<PgPool>, State(site): State<Site>) -> Response {
    list_answer(&site, "scenarios", scenario_items(&pool).await)
}

/// `GET /feeds/projects.atom`: the newest published innovation and entrepreneurship
/// projects (never their contact).
pub async fn projects(State(pool): State<PgPool>, State(site): State<Site>) -> Response {
    list_answer(&site, "projects", project_items(&pool).await)
}

/// `GET /feeds/notices.atom`: what is in public notice (公示) now, the latest to enter
/// first, each with the day objections close (Beijing time).
pub async fn notices(
    State(pool): State<PgPool>,
    State(site): State<Site>,
    State(clock): State<Clock>,
) -> Response {
    list_answer(&site, "notices", notice_items(&pool, clock.today()).await)
}

/// The feed of the list page `/{list}`, at `/feeds/{list}.atom`, as an answer.
fn list_answer(site: &Site, list: &str, items: Result<Vec<Item>, sqlx::Error>) -> Response {
    let path = format!("/feeds/{list}.atom");
    answer(
        items
            .map(|items| feed(site, &path, &format!("/{list}"), title_of(&path), items))
            .map_err(AppError::from),
    )
}

fn sector(code: &str) -> Option<(&'static str, &'static str)> {
    Sector::from_code(code).map(|sector| (sector.code(), sector.label(Locale::ZhCn)))
}

async fn product_items(pool: &PgPool) -> Result<Vec<Item>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT p.id, p.name, p.description, o.name AS organisation, p.industry,
                  p.published_at, GREATEST(p.updated_at, o.updated_at) AS "updated!"
           FROM products p JOIN organisations o ON o.id = p.organisation_id
           WHERE record_is_listed(p.status, o.verified_at)
           ORDER BY p.published_at DESC, p.id DESC
           LIMIT $1"#,
        ENTRIES
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Item {
            path: format!("/products/{}", row.id),
            title: row.name,
            summary: shortened(&row.description, SUMMARY),
            author: row.organisation,
            category: Industry::from_code(&row.industry)
                .map(|industry| (industry.code(), industry.label(Locale::ZhCn))),
            published: row.published_at,
            updated: row.updated,
        })
        .collect())
}

async fn scenario_items(pool: &PgPool) -> Result<Vec<Item>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT s.id, s.title, s.need, o.name AS organisation, s.sector, s.published_at,
                  GREATEST(s.updated_at, o.updated_at) AS "updated!"
           FROM scenarios s JOIN organisations o ON o.id = s.organisation_id
           WHERE record_is_listed(s.status, o.verified_at)
           ORDER BY s.published_at DESC, s.id DESC
           LIMIT $1"#,
        ENTRIES
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Item {
            path: format!("/scenarios/{}", row.id),
            title: row.title,
            summary: shortened(&row.need, SUMMARY),
            author: row.organisation,
            category: sector(&row.sector),
            published: row.published_at,
            updated: row.updated,
        })
        .collect())
}

async fn project_items(pool: &PgPool) -> Result<Vec<Item>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT p.id, p.name, p.highlights, o.name AS organisation, p.sector, p.published_at,
                  GREATEST(p.updated_at, o.updated_at) AS "updated!"
           FROM projects p JOIN organisations o ON o.id = p.organisation_id
           WHERE record_is_listed(p.status, o.verified_at)
           ORDER BY p.published_at DESC, p.id DESC
           LIMIT $1"#,
        ENTRIES
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Item {
            path: format!("/projects/{}", row.id),
            title: row.name,
            summary: shortened(&row.highlights, SUMMARY),
            author: row.organisation,
            category: sector(&row.sector),
            published: row.published_at,
            updated: row.updated,
        })
        .collect())
}

/// Submissions in public notice on `today` whose organisation is public.
async fn notice_items(pool: &PgPool, today: NaiveDate) -> Result<Vec<Item>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT s.id, s.record_kind,
                  COALESCE(s.snapshot->>'name', s.snapshot->>'title', '') AS "name!",
                  o.name AS organisation, s.notice_until AS "notice_until!", s.updated_at
           FROM submissions s
           JOIN organisations o ON o.id = s.organisation_id
           WHERE s.state = 'in_notice' AND organisation_is_public(o.verified_at)
             AND s.notice_until >= $1
           ORDER BY s.updated_at DESC, s.id DESC
           LIMIT $2"#,
        today,
        ENTRIES
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let kind = match row.record_kind.as_str() {
                "product" => "创新产品",
                "scenario" => "应用场景",
                _ => "创新创业项目",
            };
            Item {
                path: format!("/notices/{}", row.id),
                title: format!("公示：{}", row.name),
                summary: format!(
                    "{kind}「{}」（{}）公示至 {}，公示期内可提出异议。",
                    row.name, row.organisation, row.notice_until
                ),
                author: row.organisation,
                category: None,
                published: Some(row.updated_at),
                updated: row.updated_at,
            }
        })
        .collect())
}
