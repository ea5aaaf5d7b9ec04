//! The sitemaps (sitemaps.org protocol 0.9, written by `sitemap-rs`): `GET /sitemap.xml`
//! is an index of files, `GET /sitemap.xml?part=pages` lists the pages that are not
//! records (the home page and the lists), and `GET /sitemap.xml?part={kind}-{n}` lists the
//! public record pages of one kind (`products`, `scenarios`, `projects`,
//! `organisations`, `calls`, `first-purchases`) whose ids fall in the `n`-th block of
//! [`URLS_PER_FILE`] ids, each with the time what its page shows last changed (`lastmod`,
//! UTC). Which records, and that time: the `public_pages` view (migration 0022), by the
//! rule of lists and search, so drafts, records in review and records of unverified
//! organisations never appear.
//!
//! The files are addressed by a query on the root's `/sitemap.xml`, not in a folder of
//! their own: the protocol lets a sitemap list only addresses under its own folder
//! (sitemaps.org, "Sitemap file location"), and strict crawlers (crawler-commons) drop the
//! rest. Blocks of ids rather than pages of rows: a file's address names the same
//! records however many are published before it, so a crawler's `lastmod` per file stays
//! meaningful, and each file is read by the primary key alone.

use app::error::AppError;
use app::state::Site;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sitemap_rs::jiff::{tz::TimeZone, Timestamp, Zoned};
use sitemap_rs::sitemap::Sitemap;
use sitemap_rs::sitemap_index::SitemapIndex;
use sitemap_rs::url::Url;
use sitemap_rs::url_set::UrlSet;
use sqlx::PgPool;

/// Ids per sitemap file, so at most this many URLs in one: the protocol's limit
/// (sitemaps.org, "Using Sitemap index files": 50,000 URLs and 50 MB uncompressed per
/// file; an address here is under 100 bytes, so a full file is about 6 MB).
pub const URLS_PER_FILE: i64 = 50_000;

/// The kinds of record page, by their path segment, in the index's order.
const KINDS: [&str; 6] = [
    "products",
    "scenarios",
    "projects",
    "organisations",
    "calls",
    "first-purchases",
];

/// The pages that are not records, in the `pages` file (not `/verify`, which asks not to
/// be indexed: it is a tool, not content).
const PAGES: [&str; 9] = [
    "/",
    "/products",
    "/scenarios",
    "/projects",
    "/organisations",
    "/calls",
    "/notices",
    "/first-purchases",
    "/privacy",
];

/// The query of `/sitemap.xml`: without `part`, the index; with it, that file.
#[derive(serde::Deserialize)]
pub struct SitemapQuery {
    part: Option<String>,
}

/// `GET /sitemap.xml[?part=…]`: the sitemap index, or one of its files (404 for a part
/// the index does not give).
pub async fn sitemap(
    State(pool): State<PgPool>,
    State(site): State<Site>,
    Query(query): Query<SitemapQuery>,
) -> Response {
    xml_answer(match query.part {
        None => index_xml(&pool, &site, URLS_PER_FILE).await,
        Some(part) => file_xml(&pool, &site, &part, URLS_PER_FILE).await,
    })
}

/// The address of a file of the index.
fn file_url(site: &Site, part: &str) -> String {
    site.url(&format!("/sitemap.xml?part={part}"))
}

/// The sitemap index with files of at most `per_file` ids each: `pages`, then each kind's
/// blocks that hold a public record, with the newest change among them.
///
/// Errors: [`AppError::Unavailable`] when the database is; [`AppError::Internal`] past
/// the protocol's 50,000 files.
pub async fn index_xml(pool: &PgPool, site: &Site, per_file: i64) -> Result<Vec<u8>, AppError> {
    let mut blocks = sqlx::query!(
        r#"SELECT kind AS "kind!", (id - 1) / $1 + 1 AS "block!",
                  max(updated_at) AS "last_modified!"
           FROM public_pages GROUP BY 1, 2"#,
        per_file
    )
    .fetch_all(pool)
    .await?;
    blocks.sort_by_key(|block| {
        let rank = KINDS.iter().position(|kind| *kind == block.kind);
        (rank, block.block)
    });
    let mut sitemaps = vec![Sitemap::new(file_url(site, "pages"), None)];
    sitemaps.extend(blocks.into_iter().map(|block| {
        Sitemap::new(
            file_url(site, &format!("{}-{}", block.kind, block.block)),
            lastmod(block.last_modified),
        )
    }));
    let index = SitemapIndex::new(sitemaps).map_err(internal)?;
    let mut xml = Vec::new();
    index.write(&mut xml).map_err(internal)?;
    Ok(xml)
}

/// One file of the index made with `per_file`, by its `part`: `pages` or `{kind}-{n}`.
///
/// Errors: [`AppError::NotFound`] for any other part, a block with no public record
/// (all of it withdrawn since the index was read) or a number written otherwise than
/// the index writes it (`products-01`); [`AppError::Unavailable`].
pub async fn file_xml(
    pool: &PgPool,
    site: &Site,
    part: &str,
    per_file: i64,
) -> Result<Vec<u8>, AppError> {
    let urls = match SitemapFile::parse(part).ok_or(AppError::NotFound)? {
        SitemapFile::Pages => PAGES
            .iter()
            .map(|path| Url::builder(site.url(path)).build())
            .collect::<Result<Vec<_>, _>>()
            .map_err(internal)?,
        // A block past the largest id gives no record; one whose bounds overflow Postgres's
        // bigint would give a database error instead.
        SitemapFile::Records { block, .. } if block.checked_mul(per_file).is_none() => {
            return Err(AppError::NotFound)
        }
        SitemapFile::Records { kind, block } => {
            let pages = sqlx::query!(
                r#"SELECT id AS "id!", updated_at AS "updated_at!" FROM public_pages
                   WHERE kind = $1 AND id > ($2::bigint - 1) * $3::bigint
                     AND id <= $2::bigint * $3::bigint
                   ORDER BY id"#,
                kind,
                block,
                per_file
            )
            .fetch_all(pool)
            .await?;
            if pages.is_empty() {
                return Err(AppError::NotFound);
            }
            pages
                .into_iter()
                .map(|page| {
                    let mut url = Url::builder(site.url(&format!("/{kind}/{}", page.id)));
                    if let Some(at) = lastmod(page.updated_at) {
                        url.last_modified(at);
                    }
                    url.build()
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(internal)?
        }
    };
    let set = UrlSet::new(urls).map_err(internal)?;
    let mut xml = Vec::new();
    set.write(&mut xml).map_err(internal)?;
    Ok(xml)
}

/// A sitemap file's `part`, as the index writes it.
#[derive(Debug, PartialEq, Eq)]
enum SitemapFile {
    Pages,
    Records { kind: &'static str, block: i64 },
}

impl SitemapFile {
    fn parse(part: &str) -> Option<SitemapFile> {
        if part == "pages" {
            return Some(SitemapFile::Pages);
        }
        let (kind, number) = part.rsplit_once('-')?;
        let kind = *KINDS.iter().find(|known| **known == kind)?;
        let block: i64 = number.parse().ok()?;
        // One address per file: no sign, no leading zero.
        (block >= 1 && block.to_string() == number).then_some(SitemapFile::Records { kind, block })
    }
}

/// A time as the protocol's W3C datetime takes it (UTC); `None` outside jiff's range
/// (years -9999 to 9999), which a record's time never is.
fn lastmod(at: DateTime<Utc>) -> Option<Zoned> {
    Timestamp::from_microsecond(at.timestamp_micros())
        .ok()
        .map(|at| at.to_zoned(TimeZone::UTC))
}

fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "sitemap");
    AppError::Internal
}

/// The XML, kept an hour by browsers and crawlers; or a short bilingual text with the
/// error's status, as the site's other files answer, not kept (a part missing now may be
/// published in a minute).
fn xml_answer(result: Result<Vec<u8>, AppError>) -> Response {
    match result {
        Ok(xml) => (
            [
                (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            xml,
        )
            .into_response(),
        Err(error) => super::super::text_error(&error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_parts_the_index_writes_are_files() {
        assert_eq!(SitemapFile::parse("pages"), Some(SitemapFile::Pages));
        let records = |kind, block| Some(SitemapFile::Records { kind, block });
        assert_eq!(SitemapFile::parse("products-1"), records("products", 1));
        assert_eq!(
            SitemapFile::parse("organisations-12"),
            records("organisations", 12)
        );
        assert_eq!(
            SitemapFile::parse("first-purchases-3"),
            records("first-purchases", 3)
        );
        for name in [
            "products-0",
            "products-01",
            "products-+1",
            "products--1",
            "products",
            "products-1.xml",
            "first-1",
            "purchases-1",
            "users-1",
            "drafts-1",
            "products-99999999999999999999",
            "pages.xml",
            "",
        ] {
            assert_eq!(SitemapFile::parse(name), None, "{name}");
        }
    }

    #[test]
    fn a_record_time_is_written_in_utc() {
        let at = DateTime::parse_from_rfc3339("2026-12-03T09:30:15.123456+08:00")
            .unwrap()
            .with_timezone(&Utc);
        let zoned = lastmod(at).unwrap();
        assert_eq!(zoned.timestamp().as_microsecond(), at.timestamp_micros());
        assert_eq!(zoned.offset().seconds(), 0);
    }
}
