# Shared by scripts/site and scripts/test. Sourced, not run.

set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO_ROOT"

# One build folder outside the clone, so fresh clones on this machine reuse earlier builds.
# It is linked as ./target rather than named in CARGO_TARGET_DIR, because cargo-leptos
# 0.3.10 fails to find the server binary in a target folder outside the workspace.
BUILD_DIR=${CATALOGUE_BUILD_DIR:-$HOME/.cache/innovation-catalogue/target}
mkdir -p "$BUILD_DIR"
if [ ! -e target ]; then ln -s "$BUILD_DIR" target; fi
unset CARGO_TARGET_DIR
export PATH="$HOME/.cargo/bin:$PATH"
# Queries are checked against the committed .sqlx data, so builds need no database.
export SQLX_OFFLINE=true

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

step() { printf '\n==> %s\n' "$*" >&2; }

source "$REPO_ROOT/scripts/lib/postgres.sh"
source "$REPO_ROOT/scripts/lib/toolchain.sh"

# Benchmarks stop at the first socket error or answer other than 2xx in a wrk report: a
# figure measured while requests fail means nothing.
fail_on_wrk_errors() {
  local report=$1 what=$2
  if grep -qE "Socket errors|Non-2xx or 3xx responses" "$report"; then
    echo "benchmark failed: $what had failed requests:" >&2
    grep -E "Socket errors|Non-2xx or 3xx responses" "$report" >&2
    exit 1
  fi
}

# A server for benchmarks: one client (wrk) sends thousands of requests a second, which
# the per-client limiter would refuse, so its budgets are lifted.
export_bench_limits() {
  export RATE_LIMIT_PER_SECOND=1000000 RATE_LIMIT_BURST=1000000 EXPORT_RATE_PER_MINUTE=1000000
}

# Builds the site: the server binary in cargo profile $1 (`release`, or `dev` for
# scripts/site) and the bundle in target/site (the same bytes as `cargo leptos build
# --release`, built by scripts/bundle without cargo-leptos; scripts/check-bundle compares
# the two), with `hash.txt` beside the server binary. The wasm (always `wasm-release`, the
# bundle phones download) compiles in the background beside the server, whose largest
# crate compiles mostly on one core; the wasm-bindgen CLI installs meanwhile when missing.
build_site() {
  local profile=$1 wasm_log wasm_job
  start_build_tools
  step "building the wasm (profile wasm-release) in the background"
  wasm_log=$(mktemp /tmp/catalogue-wasm-build.XXXXXX.log)
  # LEPTOS_OUTPUT_NAME: read at compile time by leptos (as cargo-leptos sets it).
  LEPTOS_OUTPUT_NAME=catalogue cargo build --package=app --lib --target-dir=target/front \
    --target=wasm32-unknown-unknown --no-default-features --features=hydrate \
    --profile=wasm-release >"$wasm_log" 2>&1 &
  wasm_job=$!
  step "building the server (profile $profile)"
  if ! LEPTOS_OUTPUT_NAME=catalogue cargo build --profile="$profile" --package=server \
    --bin=catalogue --no-default-features; then
    kill "$wasm_job" 2>/dev/null || true
    exit 1
  fi
  step "waiting for the wasm build"
  if ! wait "$wasm_job"; then
    echo "building the wasm failed; its log ($wasm_log):" >&2
    tail -n 60 "$wasm_log" >&2
    exit 1
  fi
  rm -f "$wasm_log"
  wait_for_tools
  step "bundling (scripts/bundle)"
  node scripts/bundle/bundle.mjs "$REPO_ROOT" "$(profile_dir "$profile")"
}

# The release site, as the tests' browser runs and the benchmarks use it.
build_site_release() {
  build_site release
}

# Where cargo puts what profile $1 builds (`dev` builds into target/debug).
profile_dir() {
  if [ "$1" = dev ]; then echo target/debug; else echo "target/$1"; fi
}

# Where the server finds the bundle that `cargo leptos build` wrote (same as Cargo.toml).
export_site_settings() {
  export LEPTOS_OUTPUT_NAME=catalogue LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
  export LEPTOS_HASH_FILES=true
  export LEPTOS_SITE_ADDR=${LEPTOS_SITE_ADDR:-127.0.0.1:3000}
}
