# Installs what the build needs, only when it is missing or at the wrong version.
# Sourced, not run. Nothing is downloaded except through the package registries.

CARGO_LEPTOS_VERSION=0.3.10
SQLX_CLI_VERSION=$(awk '/^name = "sqlx"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

# Builds a tool with `cargo install` in the background, with a light profile (opt-level 1,
# no link-time optimisation, 16 codegen units; settings given to cargo this way override
# the tool's manifest): the tools run for seconds per build, so optimising them fully
# buys nothing, and cargo-leptos's manifest asks for fat LTO and one codegen unit. Its
# output goes to the log $1; its pid is added to TOOL_JOBS (see wait_for_tools).
TOOL_JOBS=()
TOOL_LOGS=()
install_tool_in_background() {
  local log=$1
  shift
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false \
    cargo install "$@" >"$log" 2>&1 &
  TOOL_JOBS+=("$!")
  TOOL_LOGS+=("$log")
}

# Waits for every install started by install_tool_in_background; on a failure prints its
# log and stops.
wait_for_tools() {
  local i
  if [ "${#TOOL_JOBS[@]}" -gt 0 ]; then step "waiting for the build tools (${#TOOL_JOBS[@]} installs)"; fi
  for i in "${!TOOL_JOBS[@]}"; do
    if ! wait "${TOOL_JOBS[$i]}"; then
      echo "installing a build tool failed; its log (${TOOL_LOGS[$i]}):" >&2
      tail -n 40 "${TOOL_LOGS[$i]}" >&2
      exit 1
    fi
  done
  TOOL_JOBS=()
  TOOL_LOGS=()
}

# Starts installing the build tools that are missing, in the background (wait_for_tools
# waits for them): the wasm-bindgen CLI at Cargo.lock's version. The wasm target is added
# at once (the site's builds need it), and the bundler's npm packages (wasm-opt and
# Lightning CSS, scripts/bundle) are installed.
start_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (the version in Cargo.lock) in the background"
    # Not --locked: one of its locked dependencies is not on the registry.
    install_tool_in_background "$(mktemp /tmp/wasm-bindgen-install.XXXXXX.log)" wasm-bindgen-cli \
      --version "$WASM_BINDGEN_VERSION" --force
  fi
  if [ ! -d scripts/bundle/node_modules ] \
    || [ scripts/bundle/package-lock.json -nt scripts/bundle/node_modules/.package-lock.json ]; then
    step "installing the bundler's packages (npm ci in scripts/bundle)"
    (cd scripts/bundle && npm ci --no-audit --no-fund --no-update-notifier --loglevel=error)
  fi
}

# Installs the build tools that are missing and waits for them.
ensure_build_tools() {
  start_build_tools
  wait_for_tools
}

# cargo-leptos, the development tool (`cargo leptos watch`); the scripts build without it
# (scripts/bundle), and scripts/check-bundle installs it to compare the two.
ensure_cargo_leptos() {
  if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
    step "installing cargo-leptos $CARGO_LEPTOS_VERSION (once)"
    # no_downloads: fail at once instead of fetching tools from outside the registries.
    install_tool_in_background "$(mktemp /tmp/cargo-leptos.XXXXXX.log)" cargo-leptos --locked \
      --version "$CARGO_LEPTOS_VERSION" --features no_downloads
    wait_for_tools
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
    (cd end2end && npm ci --no-audit --no-fund --no-update-notifier)
  fi
}

# A command from PyPI, pinned, in a virtual environment of its own outside the clone
# (shared by clones on this machine): `ensure_pypi_tool PACKAGE VERSION COMMAND` installs
# it once and prints the environment's path.
ensure_pypi_tool() {
  local package=$1 version=$2 command=$3
  local venv="$HOME/.cache/innovation-catalogue/$package-$version"
  if [ ! -x "$venv/bin/$command" ]; then
    step "installing $package $version (PyPI) in $venv"
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$package==$version" >&2
  fi
  echo "$venv"
}

# schemathesis, which fuzzes the API from its OpenAPI document. Prints its `st` command.
SCHEMATHESIS_VERSION=4.32.5
ensure_schemathesis() {
  echo "$(ensure_pypi_tool schemathesis "$SCHEMATHESIS_VERSION" st)/bin/st"
}

# openapi-python-client, which generates a client from the API's OpenAPI document for
# scripts/check-api-client. Prints its environment's path.
API_CLIENT_GENERATOR_VERSION=0.29.1
ensure_api_client_generator() {
  ensure_pypi_tool openapi-python-client "$API_CLIENT_GENERATOR_VERSION" openapi-python-client
}
