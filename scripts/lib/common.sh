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

# Builds the release site: the server binary, and the bundle in target/site (the same
# bytes as `cargo leptos build --release`, built by scripts/bundle without cargo-leptos;
# scripts/check-bundle compares the two). The wasm-bindgen CLI installs meanwhile when it
# is missing.
build_site_release() {
  start_build_tools
  step "building the server (release)"
  # LEPTOS_OUTPUT_NAME: read at compile time by leptos (as cargo-leptos sets it).
  LEPTOS_OUTPUT_NAME=catalogue cargo build --release --package=server --bin=catalogue \
    --no-default-features
  step "building the wasm (profile wasm-release)"
  LEPTOS_OUTPUT_NAME=catalogue cargo build --package=app --lib --target-dir=target/front \
    --target=wasm32-unknown-unknown --no-default-features --features=hydrate \
    --profile=wasm-release
  wait_for_tools
  step "bundling (scripts/bundle)"
  node scripts/bundle/bundle.mjs "$REPO_ROOT"
}

# Where the server finds the bundle that `cargo leptos build` wrote (same as Cargo.toml).
export_site_settings() {
  export LEPTOS_OUTPUT_NAME=catalogue LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
  export LEPTOS_HASH_FILES=true
  export LEPTOS_SITE_ADDR=${LEPTOS_SITE_ADDR:-127.0.0.1:3000}
}
