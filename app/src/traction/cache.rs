//! Organisations' traction, kept between changes of the catalogue.
//!
//! An organisation's traction counts over all of its public products (about a hundred
//! each in the generated catalogue): a page of 20 organisation or project cards read some
//! 2,000 products and their listings, about 15 ms of Postgres for every rendering. The
//! figures change only when the catalogue does, so a server that follows the catalogue's
//! changes (`server::page_cache::changes`, which empties this cache on each) keeps them
//! until the next change, and never longer than [`KEEP_AT_MOST`]: the bound on their
//! staleness while the server cannot hear of changes (while it starts listening, or after
//! its listening connection dropped). A server that does not follow changes (tests that
//! write behind its back) reads them every time.

use super::Traction;
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// How long a kept figure may be used, whatever happened meanwhile: the bound on its
/// staleness while the server cannot hear of changes (as the home page's figures).
pub const KEEP_AT_MOST: Duration = Duration::from_secs(5);
/// The most organisations kept: past it, the cache starts again empty.
const MAX_KEPT: usize = 50_000;

/// See the module documentation.
#[derive(Default)]
pub struct TractionCache {
    enabled: AtomicBool,
    kept: RwLock<Kept>,
}

#[derive(Default)]
struct Kept {
    /// Moves with every change: a figure read before a change is not kept after it.
    epoch: u64,
    traction: HashMap<i64, (Instant, Traction)>,
}

impl TractionCache {
    /// Keeps figures from now on: for a server that empties the cache on every change of
    /// the catalogue ([`TractionCache::invalidate`]).
    pub fn enable(&self) {
        self.enabled.store(true, Ordering::Release);
    }

    /// Forgets every kept figure: the catalogue changed (or may have).
    pub fn invalidate(&self) {
        let mut kept = self.kept.write().unwrap_or_else(|e| e.into_inner());
        kept.epoch += 1;
        kept.traction.clear();
    }

    /// The traction of each of `organisations` (ids; those with no public product have
    /// zeros), from what is kept and one query for the rest.
    ///
    /// # Errors
    /// Those of the query.
    pub async fn for_organisations(
        &self,
        pool: &PgPool,
        organisations: &[i64],
    ) -> Result<HashMap<i64, Traction>, sqlx::Error> {
        if !self.enabled.load(Ordering::Acquire) {
            return super::for_organisations(pool, organisations).await;
        }
        let (epoch, mut found, missing) = {
            let kept = self.kept.read().unwrap_or_else(|e| e.into_inner());
            let mut found = HashMap::new();
            let mut missing = Vec::new();
            for &id in organisations {
                match kept.traction.get(&id) {
                    Some((at, traction)) if at.elapsed() < KEEP_AT_MOST => {
                        found.insert(id, *traction);
                    }
                    _ => missing.push(id),
                }
            }
            (kept.epoch, found, missing)
        };
        if missing.is_empty() {
            return Ok(found);
        }
        let loaded = super::for_organisations(pool, &missing).await?;
        let mut kept = self.kept.write().unwrap_or_else(|e| e.into_inner());
        if kept.epoch == epoch {
            if kept.traction.len() + loaded.len() > MAX_KEPT {
                kept.traction.clear();
            }
            let now = Instant::now();
            for (&id, &traction) in &loaded {
                kept.traction.insert(id, (now, traction));
            }
        }
        drop(kept);
        found.extend(loaded);
        Ok(found)
    }
}
