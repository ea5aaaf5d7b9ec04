//! The search index's heaviest background work (segmenting documents for the index) runs
//! on one thread of its own at a lower priority (nice 10), not on the threads that answer
//! requests: a full reindex or a bulk load then takes the cores only when requests leave
//! them free. Threads started from it, such as the embedded index's indexing and merging
//! threads, inherit its priority. (The copy's catch-up builds its documents and commits on
//! tokio's blocking threads, `embedded::mirror`: a search must not queue behind a reindex.)

use std::sync::mpsc;
use std::sync::OnceLock;

type Job = Box<dyn FnOnce() + Send>;

/// The nice value of the background thread: CPU shares about a tenth of a request
/// thread's when both want a core (Linux's CFS weights 110 and 1024).
const NICENESS: libc::c_int = 10;

/// The background thread stopped (it never does unless the process is ending).
#[derive(Debug, thiserror::Error)]
#[error("the search index's background thread has stopped")]
pub struct Stopped;

fn sender() -> &'static mpsc::Sender<Job> {
    static SENDER: OnceLock<mpsc::Sender<Job>> = OnceLock::new();
    SENDER.get_or_init(|| {
        let (sender, receiver) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("search-background".into())
            .spawn(move || {
                lower_priority();
                for job in receiver {
                    // A job that panics loses its answer (its caller gets `Stopped`), not
                    // the thread.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            })
            .expect("a thread can be started");
        sender
    })
}

/// Lowers this thread's priority (on Linux `setpriority` with a thread id changes that
/// thread alone). Failing leaves it as it is, which is only slower for requests.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: `gettid` and `setpriority` take no pointers and cannot break memory safety.
    unsafe {
        let thread = libc::gettid() as libc::id_t;
        if libc::setpriority(libc::PRIO_PROCESS, thread, NICENESS) != 0 {
            tracing::debug!("the search index's background thread keeps its priority");
        }
    }
}

/// Runs `job` on the background thread, in turn with the others, and returns its result.
///
/// # Errors
/// [`Stopped`] when the thread is gone or `job` panicked.
pub async fn run<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Stopped> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    sender()
        .send(Box::new(move || {
            let _ = answer.send(job());
        }))
        .map_err(|_| Stopped)?;
    answered.await.map_err(|_| Stopped)
}

/// [`run`], waiting on this thread: for code that is not async (opening the index).
///
/// # Errors
/// [`Stopped`] when the thread is gone or `job` panicked.
pub fn run_and_wait<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Stopped> {
    let (answer, answered) = mpsc::channel();
    sender()
        .send(Box::new(move || {
            let _ = answer.send(job());
        }))
        .map_err(|_| Stopped)?;
    answered.recv().map_err(|_| Stopped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_in_turn_at_a_lower_priority_and_a_panic_spares_the_thread() {
        let niceness =
            run(|| unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) })
                .await
                .unwrap();
        assert_eq!(niceness, NICENESS);
        assert!(run(|| panic!("a faulty job")).await.is_err());
        assert_eq!(run(|| 6 * 7).await.unwrap(), 42);
        let name = run(|| std::thread::current().name().map(str::to_owned))
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some("search-background"));
    }
}
