//! The sitemaps (sitemaps.org protocol 0.9, written by `sitemap-rs`): `GET /sitemap.xml`
//! is an index of files, `GET /sitemaps/pages.xml` lists the pages that are not records
//! (the home page and the lists), and `GET /sitemaps/{kind}-{n}.xml` lists the public
//! record pages of one kind (`products`, `scenarios`, `projects`, `organisations`,
//! `calls`) whose ids fall in the `n`-th block of [`URLS_PER_FILE`] ids, each with the
//! time its record last changed (`lastmod`, UTC). Which records: the `public_pages` view
//! (migration 0022), the same rule as lists and search, so drafts, records in review and
//! records of unverified organisations never appear.
//!
//! Blocks of ids rather than pages of rows: a file's address names the same records
//! however many are published before it, so a crawler's `lastmod` per file stays
//! meaningful, and each file is read by the primary key alone.

use app::error::AppError;
use app::state::Site;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
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
const KINDS: [&str; 5] = [
    "products",
    "scenarios",
    "projects",
    "organisations",
    "calls",
];

/// The pages that are not records, in `pages.xml`.
const PAGES: [&str; 10] = [
    "/",
    "/products",
    "/scenarios",
    "/projects",
    "/organisations",
    "/calls",
    "/notices",
    "/first-purchases",
    "/verify",
    "/privacy",
];

/// `GET /sitemap.xml`: the sitemap index.
pub async fn index(State(pool): State<PgPool>, State(site): State<Site>) -> Response {
    xml_answer(index_xml(&pool, &site, URLS_PER_FILE).await)
}

/// `GET /sitemaps/{file}`: one sitemap file; 404 for a name the index does not give.
pub async fn file(
    State(pool): State<PgPool>,
    State(site): State<Site>,
    Path(file): Path<String>,
) -> Response {
    xml_answer(file_xml(&pool, &site, &file, URLS_PER_FILE).await)
}

/// The sitemap index with files of at most `per_file` ids each: `pages.xml`, then each
/// kind's blocks that hold a public record, with the newest change among them.
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
    let mut sitemaps = vec![Sitemap::new(site.url("/sitemaps/pages.xml"), None)];
    sitemaps.extend(blocks.into_iter().map(|block| {
        Sitemap::new(
            site.url(&format!("/sitemaps/{}-{}.xml", block.kind, block.block)),
            lastmod(block.last_modified),
        )
    }));
    let index = SitemapIndex::new(sitemaps).map_err(internal)?;
    let mut xml = Vec::new();
    index.write(&mut xml).map_err(internal)?;
    Ok(xml)
}

/// One file of the index made with `per_file`: `pages.xml` or `{kind}-{n}.xml`.
///
/// Errors: [`AppError::NotFound`] for any other name, a block with no public record
/// (all of it withdrawn since the index was read) or a number written otherwise than
/// the index writes it (`products-01.xml`); [`AppError::Unavailable`].
pub async fn file_xml(
    pool: &PgPool,
    site: &Site,
    file: &str,
    per_file: i64,
) -> Result<Vec<u8>, AppError> {
    let urls = match SitemapFile::parse(file).ok_or(AppError::NotFound)? {
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

/// A sitemap file's name, as the index writes it.
#[derive(Debug, PartialEq, Eq)]
enum SitemapFile {
    Pages,
    Records { kind: &'static str, block: i64 },
}

impl SitemapFile {
    fn parse(name: &str) -> Option<SitemapFile> {
        let stem = name.strip_suffix(".xml")?;
        if stem == "pages" {
            return Some(SitemapFile::Pages);
        }
        let (kind, number) = stem.rsplit_once('-')?;
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
/// error's status, as the site's other files answer.
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
        Err(error) => {
            let status = StatusCode::from_u16(error.status_code())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let message = match error {
                AppError::NotFound => "未找到。\nNot found.\n",
                _ => "暂时无法提供。\nUnavailable for now.\n",
            };
            (status, message).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_names_the_index_writes_are_files() {
        assert_eq!(SitemapFile::parse("pages.xml"), Some(SitemapFile::Pages));
        assert_eq!(
            SitemapFile::parse("products-1.xml"),
            Some(SitemapFile::Records {
                kind: "products",
                block: 1
            })
        );
        assert_eq!(
            SitemapFile::parse("organisations-12.xml"),
            Some(SitemapFile::Records {
                kind: "organisations",
                block: 12
            })
        );
        for name in [
            "products-0.xml",
            "products-01.xml",
            "products-+1.xml",
            "products--1.xml",
            "products-1",
            "products-1.xml.gz",
            "users-1.xml",
            "drafts-1.xml",
            "products-99999999999999999999.xml",
            "pages",
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
