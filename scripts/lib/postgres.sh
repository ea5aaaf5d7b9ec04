# Private PostgreSQL clusters for the site and the tests. Sourced, not run.
#
# A cluster lives in one folder: the data in "$dir/data", the log in "$dir/postgres.log",
# and its socket inside the data folder (no TCP port, so nothing collides). Postgres
# refuses to run as root, so as root the cluster belongs to the "postgres" user.

pg_bin_dir() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "==> installing PostgreSQL (Debian package)" >&2
    as_root apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$bin"
}

# Runs a PostgreSQL tool as the cluster's owner.
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_owner() {
  if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

# pg_start DIR [extra postgres settings...]: initialises the cluster on first use, starts it
# unless it is already running, and prints the socket folder.
pg_start() {
  local dir=$1; shift
  local bin; bin=$(pg_bin_dir)
  mkdir -p "$dir"
  chown "$(pg_owner)" "$dir"
  chmod 700 "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    pg_as_owner "$bin/initdb" --pgdata="$dir/data" --username=postgres --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; return 1; }
  fi
  if pg_as_owner "$bin/pg_ctl" status --pgdata="$dir/data" >/dev/null 2>&1; then
    echo "$dir/data"
    return 0
  fi
  # A crash can leave postmaster.pid behind; postgres itself ignores a stale one whose
  # process is gone, so starting again is enough.
  local options="-c listen_addresses='' -c unix_socket_directories='$dir/data'"
  local setting
  for setting in "$@"; do options="$options -c $setting"; done
  if ! pg_as_owner "$bin/pg_ctl" start --pgdata="$dir/data" --log="$dir/postgres.log" \
      --wait --timeout=60 --options="$options" >/dev/null; then
    tail -n 20 "$dir/postgres.log" >&2
    return 1
  fi
  echo "$dir/data"
}

pg_stop() {
  local dir=$1
  local bin; bin=$(pg_bin_dir)
  if [ -f "$dir/data/postmaster.pid" ]; then
    pg_as_owner "$bin/pg_ctl" stop --pgdata="$dir/data" --mode=fast --wait >/dev/null 2>&1 || true
  fi
}

# pg_create_database SOCKET_DIR NAME: creates the database if it does not exist.
pg_create_database() {
  local socket=$1 name=$2
  local bin; bin=$(pg_bin_dir)
  if ! "$bin/psql" -h "$socket" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    "$bin/psql" -h "$socket" -U postgres -d postgres -q -c "CREATE DATABASE \"$name\"" >/dev/null
  fi
}

# The sqlx URL of a database in a private cluster.
pg_url() {
  local socket=$1 name=$2
  echo "postgres://postgres@localhost/$name?host=$socket"
}
