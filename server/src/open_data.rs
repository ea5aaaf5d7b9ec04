//! The whole open catalogue as one file: JSON Lines (one record a line), gzip-compressed,
//! written into the data folder's `open-data/` by the scheduler each day and on demand
//! (`catalogue dump`), and served with its date, size and SHA-256 at `/api/v1/dump`.
//!
//! Each line is `{"collection": "products", "record": {…}}`: the collection's name and the
//! record in the API's own type (version 1), as `GET /api/v1/{collection}` answers it, for every record
//! the collections list (products, scenarios, projects, organisations, calls,
//! first-purchases, in that order and in id order within each). Records are read from
//! Postgres a keyset page at a time and written as they come, so memory stays flat
//! whatever the catalogue's size. Each dump is a file named by its hash
//! (`catalogue-{16 hex digits}.jsonl.gz`); the description (`catalogue.json`) is replaced
//! when the file is complete, and the dump before stays until the next, so a reader that
//! read the description never meets half a file or a missing one.

use crate::routes::api::records::{
    self, ApiRecord, CallV1, FirstPurchaseV1, OrganisationV1, ProductV1, ProjectV1, ScenarioV1,
};
use anyhow::{Context, Result};
use app::clock::Clock;
use app::state::Site;

use flate2::write::GzEncoder;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Records read from Postgres at a time.
const PAGE: i64 = 500;

pub use app::open_data::{current, folder, DumpInfo, DUMP_INFO_FILE};

/// A writer that hashes and counts what passes through it.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hash.update(&buf[..written]);
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// One line of the dump: the collection's name and the record.
#[derive(Serialize)]
struct Line<'a, T> {
    collection: &'a str,
    record: &'a T,
}

type Gz = GzEncoder<Hashing<BufWriter<std::fs::File>>>;

/// Writes every listed record of kind `R`, a page at a time; returns how many.
async fn write_kind<R: ApiRecord>(out: &mut Gz, pool: &PgPool, site: &Site) -> Result<u64> {
    let (mut after, mut count) = (0, 0);
    loop {
        let records = records::listed::<R>(pool, site, after, PAGE).await?;
        for record in &records {
            serde_json::to_writer(
                &mut *out,
                &Line {
                    collection: R::COLLECTION,
                    record,
                },
            )?;
            out.write_all(b"\n")?;
        }
        count += records.len() as u64;
        match records.last() {
            Some(last) if records.len() as i64 == PAGE => after = last.id(),
            _ => return Ok(count),
        }
    }
}

/// Writes a new dump into `folder` (made if missing) and returns what it holds.
/// Errors: the database's, and the file system's (the old dump then stays as it was).
pub async fn write_dump(
    pool: &PgPool,
    site: &Site,
    clock: &Clock,
    folder: &Path,
) -> Result<DumpInfo> {
    std::fs::create_dir_all(folder)
        .with_context(|| format!("making the open-data folder {}", folder.display()))?;
    let generated_at = clock.now();
    // A name of this process's own, so two writers never share a half-written file.
    let partial = folder.join(format!("catalogue.{}.partial", std::process::id()));
    let file = std::fs::File::create(&partial)
        .with_context(|| format!("creating {}", partial.display()))?;
    let mut out = GzEncoder::new(
        Hashing {
            inner: BufWriter::new(file),
            hash: Sha256::new(),
            bytes: 0,
        },
        flate2::Compression::default(),
    );
    let written = async {
        let mut counts = BTreeMap::new();
        counts.insert(
            ProductV1::COLLECTION.to_owned(),
            write_kind::<ProductV1>(&mut out, pool, site).await?,
        );
        counts.insert(
            ScenarioV1::COLLECTION.to_owned(),
            write_kind::<ScenarioV1>(&mut out, pool, site).await?,
        );
        counts.insert(
            ProjectV1::COLLECTION.to_owned(),
            write_kind::<ProjectV1>(&mut out, pool, site).await?,
        );
        counts.insert(
            OrganisationV1::COLLECTION.to_owned(),
            write_kind::<OrganisationV1>(&mut out, pool, site).await?,
        );
        counts.insert(
            CallV1::COLLECTION.to_owned(),
            write_kind::<CallV1>(&mut out, pool, site).await?,
        );
        counts.insert(
            FirstPurchaseV1::COLLECTION.to_owned(),
            write_kind::<FirstPurchaseV1>(&mut out, pool, site).await?,
        );
        anyhow::Ok(counts)
    }
    .await;
    let finished = written.and_then(|records| {
        let mut hashing = out.finish()?;
        hashing.flush()?;
        hashing.inner.get_ref().sync_all()?;
        Ok((records, hashing.bytes, hashing.hash.finalize()))
    });
    let (records, bytes, digest) = match finished {
        Ok(done) => done,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error.context("writing the open-data dump"));
        }
    };
    let sha256: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    let file = format!("catalogue-{}.jsonl.gz", &sha256[..16]);
    std::fs::rename(&partial, folder.join(&file)).context("putting the new dump in place")?;
    let before = current(folder).ok().flatten().map(|info| info.file);
    let info = DumpInfo {
        date: clock.today(),
        generated_at,
        bytes,
        sha256,
        file,
        records,
    };
    let described = folder.join(format!("{DUMP_INFO_FILE}.{}.partial", std::process::id()));
    std::fs::write(&described, serde_json::to_vec_pretty(&info)?)?;
    std::fs::rename(&described, folder.join(DUMP_INFO_FILE))
        .context("putting the dump's description in place")?;
    // Older dumps than the one before go: a reader of the last description may still be
    // downloading that one.
    for entry in std::fs::read_dir(folder)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let kept = name == info.file || Some(&name) == before.as_ref();
        if name.starts_with("catalogue-") && name.ends_with(".jsonl.gz") && !kept {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(info)
}
