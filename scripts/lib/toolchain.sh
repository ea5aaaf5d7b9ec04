# Installs what the build needs, only when it is missing or at the wrong version.
# Sourced, not run. Nothing is downloaded except through the package registries.

CARGO_LEPTOS_VERSION=0.3.10
WASM_OPT_VERSION=0.116.1   # binaryen 116; Debian's binaryen 108 breaks hydration
SQLX_CLI_VERSION=$(awk '/^name = "sqlx"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

ensure_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
    step "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 13 minutes, once)"
    # no_downloads: fail at once instead of fetching tools from outside the registries.
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --features no_downloads
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (the version in Cargo.lock)"
    # Not --locked: one of its locked dependencies is not on the registry.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  if ! "$HOME/.cargo/bin/wasm-opt" --version 2>/dev/null | grep -q 'version 116'; then
    step "installing wasm-opt $WASM_OPT_VERSION (about 6 minutes, once)"
    cargo install wasm-opt --locked --version "$WASM_OPT_VERSION" --force
  fi
}

ensure_test_runner() {
  if ! cargo nextest --version >/dev/null 2>&1; then
    step "installing cargo-nextest"
    cargo install cargo-nextest --locked
  fi
}

ensure_sqlx_cli() {
  if [ "$(sqlx --version 2>/dev/null)" != "sqlx-cli $SQLX_CLI_VERSION" ]; then
    step "installing sqlx-cli $SQLX_CLI_VERSION"
    cargo install sqlx-cli --version "$SQLX_CLI_VERSION" --locked --force \
      --no-default-features --features postgres,rustls
  fi
}

ensure_browser_tools() {
  if [ ! -x /usr/bin/chromium ]; then
    step "installing Chromium (Debian package)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  fi
  if [ ! -d end2end/node_modules ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    step "installing the end-to-end test packages (npm ci)"
    (cd end2end && npm ci --no-audit --no-fund)
  fi
}
