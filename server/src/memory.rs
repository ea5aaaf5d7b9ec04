//! How the server keeps its heap small: glibc's allocator limited to two arenas.
//!
//! glibc gives threads their own malloc arenas as they contend, up to eight per core, and
//! memory freed in one arena is reused only by the threads on it. A server whose tokio
//! workers and blocking threads (the embedded index's catch-ups, the renderings) all
//! allocate ends up holding the high-water mark of several arenas. Two arenas keep the
//! contention of a 2-core machine low while the freed heap is shared and returned
//! (`malloc_trim` after a catch-up, `search/embedded/mirror.rs`). Measured with
//! `scripts/bench-search` (README, "Measured figures", issue 14).

/// The arenas glibc may create; as `MALLOC_ARENA_MAX=2` would set (glibc manual,
/// "Memory Allocation Tunables", `glibc.malloc.arena_max`).
pub const MALLOC_ARENAS: i32 = 2;

/// Limits glibc's allocator to [`MALLOC_ARENAS`] arenas, unless the operator chose a value
/// with `MALLOC_ARENA_MAX` (or `GLIBC_TUNABLES`), which glibc has then already applied.
/// Call before any other thread starts: a thread keeps the arena it first took. Does
/// nothing on other C libraries (musl has no arenas).
pub fn limit_malloc_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_some()
        || std::env::var_os("GLIBC_TUNABLES").is_some()
    {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` changes a setting of the allocator; it takes no pointer, and no
    // other thread exists yet to allocate while it does.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, MALLOC_ARENAS);
    }
}

/// This process's peak resident memory so far (`VmHWM` of `/proc/self/status`), in KiB;
/// `None` where there is no such file (not Linux).
pub fn peak_resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
