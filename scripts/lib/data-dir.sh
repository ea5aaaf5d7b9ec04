# The server's data folder (CATALOGUE_DATA_DIR) and the private cluster kept in it. Sourced
# after common.sh, not run.
#
# The default is the server's own (server/src/config.rs): /var/lib/innovation-catalogue for
# root, else ${XDG_DATA_HOME:-$HOME/.local/share}/innovation-catalogue. Never /var/tmp,
# which Debian empties of files unused for 30 days (a private cluster left alone for a
# month would lose its files there).

# Where the private cluster lived before it moved to the data folder.
LEGACY_PG_DIR=/var/tmp/innovation-catalogue/postgres

# Prints the default data folder.
default_data_dir() {
  if [ "$(id -u)" = 0 ] || [ -z "${HOME:-}${XDG_DATA_HOME:-}" ]; then
    echo /var/lib/innovation-catalogue
  else
    echo "${XDG_DATA_HOME:-$HOME/.local/share}/innovation-catalogue"
  fi
}

# Prints the data folder: CATALOGUE_DATA_DIR, else the default.
catalogue_data_dir() {
  if [ -n "${CATALOGUE_DATA_DIR:-}" ]; then
    echo "$CATALOGUE_DATA_DIR"
  else
    default_data_dir
  fi
}

# prepare_data_dir DIR: creates the data folder (755, so that as root the postgres user can
# reach the cluster inside it) and, as root, refuses one postgres cannot traverse (under
# /root, say), with the reason. Needs PostgreSQL installed (pg_bin_dir): its user.
prepare_data_dir() {
  local dir=$1
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    chmod 755 "$dir"
  fi
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$dir"; then
    echo "the postgres user cannot reach $dir (CATALOGUE_DATA_DIR): every folder on the" \
      "way must be searchable by it (chmod o+x), or choose another CATALOGUE_DATA_DIR" >&2
    return 1
  fi
}

# Whether the cluster of the old place is there and concerns the cluster at PG_DIR: only
# in the default data folder (a CATALOGUE_DATA_DIR of your own is left as you made it).
legacy_cluster_applies() {
  local target=$1
  [ "$target" = "$(default_data_dir)/postgres" ] && [ -f "$LEGACY_PG_DIR/data/PG_VERSION" ]
}

# move_legacy_cluster PG_DIR: a cluster left in the old place moves to PG_DIR (stopped
# first) when PG_DIR holds nothing yet, and says so; when both exist, says how to choose.
move_legacy_cluster() {
  local target=$1
  legacy_cluster_applies "$target" || return 0
  if [ -e "$target" ] && [ -n "$(ls -A "$target")" ]; then
    step "note: an older private PostgreSQL is still in $LEGACY_PG_DIR and is not used;" \
      "delete it, or replace $target with it (scripts/site stopped: rm -rf '$target' &&" \
      "mv '$LEGACY_PG_DIR' '$target')"
    return 0
  fi
  step "moving the private PostgreSQL from $LEGACY_PG_DIR to $target" \
    "(/var/tmp is emptied of files unused for 30 days)"
  pg_stop "$LEGACY_PG_DIR"
  mkdir -p "$(dirname "$target")"
  if [ -d "$target" ]; then rmdir "$target"; fi # empty, from an earlier attempt
  mv "$LEGACY_PG_DIR" "$target"
  rmdir "$(dirname "$LEGACY_PG_DIR")" 2>/dev/null || true
  step "moved: the catalogue in it is kept"
}

# wipe_cluster PG_DIR: stops the private cluster and deletes it, and the one of the old
# place too when it concerns us.
wipe_cluster() {
  local target=$1
  if legacy_cluster_applies "$target"; then
    pg_stop "$LEGACY_PG_DIR"
    rm -rf "$LEGACY_PG_DIR"
    rmdir "$(dirname "$LEGACY_PG_DIR")" 2>/dev/null || true
    step "wiped the older private PostgreSQL in $LEGACY_PG_DIR"
  fi
  pg_stop "$target"
  rm -rf "$target"
}
