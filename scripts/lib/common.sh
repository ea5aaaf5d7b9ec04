# Shared by scripts/site and scripts/test. Sourced, not run.

set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO_ROOT"

# One build folder outside the clone, so fresh clones on this machine reuse earlier builds.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/innovation-catalogue/target}
export PATH="$HOME/.cargo/bin:$PATH"
# Queries are checked against the committed .sqlx data, so builds need no database.
export SQLX_OFFLINE=true

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

step() { printf '\n==> %s\n' "$*" >&2; }

source "$REPO_ROOT/scripts/lib/postgres.sh"
source "$REPO_ROOT/scripts/lib/toolchain.sh"
