//! Passwords: the rules a new one must meet, and hashing with argon2id off the async
//! executor, a bounded number at a time, so a burst of sign-ins never stalls pages.

use crate::error::AppError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Fewest characters (Unicode scalar values) a new password may have. NIST SP 800-63B
/// §5.1.1.2 asks for at least 8 and lets a service ask for more; this site asks for 10.
pub const MIN_LENGTH: usize = 10;
/// Most characters accepted: argon2 takes any length, but unbounded input would let one
/// request cost the server a lot.
pub const MAX_LENGTH: usize = 128;

/// argon2id with 19 MiB of memory, 2 passes, 1 lane: the first configuration the OWASP
/// Password Storage Cheat Sheet recommends (the algorithm is RFC 9106's). About 20–40 ms
/// of one core per hash on the machines this runs on.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

/// What is wrong with a new password. The form names the field (`password`); the text
/// comes from the messages in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PasswordProblem {
    #[error("shorter than {min} characters")]
    TooShort { min: usize },
    #[error("longer than {max} characters")]
    TooLong { max: usize },
    /// A strength estimate (zxcvbn) below "safely unguessable" (score 3 of 4), counting
    /// the person's own email address and names as known words.
    #[error("too easy to guess")]
    TooGuessable,
}

/// Checks a new password against the rules: length, then a strength estimate in which
/// `personal` (the email address, display name, real name) count as words an attacker
/// knows.
pub fn check_new_password(password: &str, personal: &[&str]) -> Result<(), PasswordProblem> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordProblem::TooShort { min: MIN_LENGTH });
    }
    if length > MAX_LENGTH {
        return Err(PasswordProblem::TooLong { max: MAX_LENGTH });
    }
    // The parts of an email address are words too (`zhang.wei@example.cn`).
    let mut known: Vec<&str> = Vec::new();
    for item in personal {
        known.push(item);
        known.extend(
            item.split(['@', '.', '_', '-', '+', ' '])
                .filter(|part| part.len() >= 3),
        );
    }
    if zxcvbn::zxcvbn(password, &known).score() < zxcvbn::Score::Three {
        return Err(PasswordProblem::TooGuessable);
    }
    Ok(())
}

/// Hashes and verifies passwords on the blocking thread pool, at most `concurrency` at a
/// time (the rest wait their turn), so hashing never occupies the threads that serve
/// pages and never takes every core. Cheap to clone (shared permits).
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
}

impl PasswordHasher {
    /// At most `concurrency` hashes at once (at least 1).
    pub fn new(concurrency: usize) -> PasswordHasher {
        PasswordHasher {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }

    /// Half the machine's cores, at least one: pages keep the other half.
    pub fn for_this_machine() -> PasswordHasher {
        let cores = std::thread::available_parallelism().map_or(1, |cores| cores.get());
        PasswordHasher::new(cores / 2)
    }

    /// The PHC string of a new hash (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) with
    /// a fresh random salt.
    ///
    /// Errors: [`AppError::Internal`] if hashing fails (it does not for valid input).
    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let password = password.to_owned();
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|_| AppError::Internal)
        })
        .await
    }

    /// Whether `password` matches `stored` (a PHC string). With no stored hash (no such
    /// account, or one without a password) a dummy hash is checked all the same, so the
    /// answer takes as long as for a real account and never tells whether one exists.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, AppError> {
        let password = password.to_owned();
        let stored = stored.map(str::to_owned);
        self.run(move || {
            let real = stored.is_some();
            let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
            let Ok(parsed) = PasswordHash::new(&stored) else {
                return Ok(false);
            };
            // The parameters come from the stored hash, so older hashes still verify.
            let matches = Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            Ok(real && matches)
        })
        .await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| AppError::Internal)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|_| AppError::Internal)?
    }
}

/// A hash of a password nobody has, with this site's parameters, checked when there is
/// no real one.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2l0ZS1kdW1teS1zYWx0$O/2qPPkfWd3P5XoZHvsFpJl4Ff7eM9PmQdAJpMIAjKY";

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn short_long_and_guessable_passwords_are_refused() {
        assert_eq!(
            check_new_password("Zq7#kLm2p", &[]),
            Err(PasswordProblem::TooShort { min: 10 })
        );
        assert_eq!(
            check_new_password(&"长".repeat(129), &[]),
            Err(PasswordProblem::TooLong { max: 128 })
        );
        for weak in ["password123", "1234567890", "qwertyuiop", "aaaaaaaaaaaa"] {
            assert_eq!(
                check_new_password(weak, &[]),
                Err(PasswordProblem::TooGuessable),
                "{weak}"
            );
        }
        // Ten characters made of the person's own email address are no secret.
        assert_eq!(
            check_new_password("zhangwei2026", &["zhangwei@example.cn", "张伟"]),
            Err(PasswordProblem::TooGuessable)
        );
        assert_eq!(check_new_password("晚风吹过西太湖的芦苇荡", &[]), Ok(()));
        assert_eq!(
            check_new_password("correct horse battery staple", &[]),
            Ok(())
        );
    }

    #[test]
    fn a_hash_is_argon2id_with_the_sites_parameters_and_verifies_once() {
        block_on(async {
            let hasher = PasswordHasher::new(1);
            let hash = hasher.hash("correct horse battery staple").await.unwrap();
            assert!(
                hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
                "{hash}"
            );
            assert!(hasher
                .verify("correct horse battery staple", Some(&hash))
                .await
                .unwrap());
            assert!(!hasher
                .verify("correct horse battery stapler", Some(&hash))
                .await
                .unwrap());
            // Two hashes of one password differ (fresh salts).
            assert_ne!(
                hash,
                hasher.hash("correct horse battery staple").await.unwrap()
            );
        });
    }

    #[test]
    fn without_a_stored_hash_nothing_verifies_and_the_dummy_hash_is_valid() {
        block_on(async {
            let hasher = PasswordHasher::new(1);
            assert!(!hasher.verify("anything at all", None).await.unwrap());
            assert!(
                PasswordHash::new(DUMMY_HASH).is_ok(),
                "the dummy hash must parse"
            );
            assert!(!hasher.verify("x", Some("not a hash")).await.unwrap());
        });
    }

    #[test]
    fn hashes_wait_for_a_permit() {
        block_on(async {
            let hasher = PasswordHasher::new(1);
            let held = hasher.permits.clone().acquire_owned().await.unwrap();
            let waiting = tokio::spawn({
                let hasher = hasher.clone();
                async move { hasher.hash("correct horse battery staple").await }
            });
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            assert!(!waiting.is_finished(), "hashed without a permit");
            drop(held);
            assert!(waiting.await.unwrap().is_ok());
        });
    }
}
