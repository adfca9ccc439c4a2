#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests (issue 10): initdb into a temp dir, a free port, trust auth on
# 127.0.0.1 only, no Unix socket outside the temp dir. Debian's `postgresql` package keeps initdb and pg_ctl in
# /usr/lib/postgresql/<ver>/bin, not on PATH; this finds them.
#
#   eval "$(scripts/ci/postgres-cluster.sh start)"   # exports BATON_DATABASE_URL and BATON_PG_CLUSTER_DIR
#   scripts/ci/postgres-cluster.sh stop "$BATON_PG_CLUSTER_DIR"
#
# `start` prints shell `export` lines on stdout (everything else goes to stderr). Trust auth is safe here only
# because the server listens on the loopback and lives as long as the test run.
set -euo pipefail

find_bin() {
  local name="$1"
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -z "$found" ]; then echo "postgres-cluster: $name not found (apt-get install -y postgresql)" >&2; exit 1; fi
  echo "$found"
}

# initdb and postgres refuse to run as root: run them as the `postgres` user when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    local user="${PG_CLUSTER_USER:-postgres}"
    if command -v runuser >/dev/null 2>&1; then runuser -u "$user" -- "$@"; else su "$user" -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();});"
}

start() {
  local initdb pg_ctl dir port
  initdb="$(find_bin initdb)"
  pg_ctl="$(find_bin pg_ctl)"
  dir="$(mktemp -d /tmp/baton-pg-XXXXXX)"
  chmod 755 "$dir"
  mkdir -p "$dir/data" "$dir/sock"
  if [ "$(id -u)" = 0 ]; then chown -R "${PG_CLUSTER_USER:-postgres}" "$dir"; fi
  as_owner "$initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  port="$(free_port)"
  # fsync off: a test cluster need not survive a power loss, and commits are much cheaper on a shared machine.
  as_owner "$pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/server.log" \
    -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >&2 \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "export BATON_PG_CLUSTER_DIR='$dir'"
  echo "export BATON_DATABASE_URL='postgres://postgres@127.0.0.1:$port/postgres'"
}

stop() {
  local dir="${1:-${BATON_PG_CLUSTER_DIR:-}}"
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then echo "postgres-cluster: no cluster dir given" >&2; exit 1; fi
  as_owner "$(find_bin pg_ctl)" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop <dir>" >&2; exit 2 ;;
esac
