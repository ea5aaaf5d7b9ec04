//! When the catalogue changes: the generation of what pages show. Every table whose rows
//! public pages show notifies `catalogue_changed` on any write (statement triggers, see
//! the migration `page_cache`), and this server's writes count at once, before their
//! answer leaves. Pages cached under an older generation are not served again.

use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The channel the triggers notify.
pub const CHANNEL: &str = "catalogue_changed";

/// The catalogue's generation on this server, and whether it is known: while the server is
/// not listening for changes (starting, or its listening connection lost), it cannot know
/// when a cached page went stale, so nothing is cached.
#[derive(Default)]
pub struct Generation {
    value: AtomicU64,
    listening: AtomicBool,
    /// Also run on every advance: forgets what other short-lived caches kept (the
    /// organisations' traction, the home page's figures, the procurement categories), so that a page rendered in the new
    /// generation is rendered from the new data.
    on_advance: Option<Box<dyn Fn() + Send + Sync>>,
}

impl std::fmt::Debug for Generation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generation")
            .field("value", &self.value)
            .field("listening", &self.listening)
            .finish_non_exhaustive()
    }
}

impl Generation {
    /// A generation that also runs `on_advance` whenever it moves.
    pub fn with_hook(on_advance: impl Fn() + Send + Sync + 'static) -> Generation {
        Generation {
            on_advance: Some(Box::new(on_advance)),
            ..Generation::default()
        }
    }

    /// The current generation, when it is known.
    pub fn current(&self) -> Option<u64> {
        self.listening
            .load(Ordering::Acquire)
            .then(|| self.value.load(Ordering::Acquire))
    }

    /// Something changed (or may have): pages cached so far are stale.
    pub fn advance(&self) {
        // Others' caches first: a page rendered once the generation has moved must not
        // read what they kept before.
        if let Some(forget) = &self.on_advance {
            forget();
        }
        self.value.fetch_add(1, Ordering::AcqRel);
    }

    fn set_listening(&self, listening: bool) {
        // Whatever happened while not listening is unknown: start a new generation.
        self.advance();
        self.listening.store(listening, Ordering::Release);
    }

    /// Generation known, for tests of the cache without a database.
    #[cfg(test)]
    pub fn listening_for_tests() -> Generation {
        let generation = Generation::default();
        generation.set_listening(true);
        generation
    }
}

/// Listens for `catalogue_changed` for the life of the server, advancing `generation` on
/// each notification and whenever the connection is lost (notifications may have been
/// missed); reconnects after a second.
pub async fn follow(pool: PgPool, generation: Arc<Generation>) {
    loop {
        match listen(&pool, &generation).await {
            Ok(()) => {}
            Err(error) => {
                tracing::warn!(%error, "not listening for catalogue changes; pages are not cached meanwhile")
            }
        }
        generation.set_listening(false);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn listen(pool: &PgPool, generation: &Generation) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    generation.set_listening(true);
    // `try_recv` says when the connection was lost (`None`), where `recv` would reconnect
    // silently and lose what was notified meanwhile.
    while listener.try_recv().await?.is_some() {
        generation.advance();
    }
    Ok(())
}
