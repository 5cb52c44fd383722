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

# The AT Protocol reference servers (PDS, PLC directory, AppView) that the Bluesky tests run against live in a
# package folder of their own (bluesky-dev-network/, see docs/networks.md) and run on the same Node as Chorus.
# Install scripts are denied there as here; better-sqlite3, the one native module without a prebuilt binary for
# this machine, is built against the running Node's own headers. About 650 MB and a few minutes, once per clone.
ensure_bluesky_dev_network() {
  local folder
  folder="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bluesky-dev-network"
  local sqlite="$folder/node_modules/better-sqlite3"
  if [ "$folder/node_modules/.package-lock.json" -nt "$folder/package-lock.json" ] \
    && node -e "require('$sqlite')(':memory:').close()" 2>/dev/null; then return; fi
  (cd "$folder" && npm ci --no-audit --no-fund --loglevel=error)
  local node_home gyp
  node_home="$(node -p 'require("node:path").resolve(process.execPath, "../..")')"
  gyp="${npm_config_node_gyp:-$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js}"
  # Under npm (npm test's pretest), Debian's npm exports npm_config_nodedir=/usr (the system Node's headers), which
  # node-gyp prefers to --nodedir: unset it, or the module is built for the system Node and fails to load on ours.
  if [ -f "$node_home/include/node/node.h" ]; then
    (cd "$sqlite" && env -u npm_config_nodedir -u NPM_CONFIG_NODEDIR node "$gyp" rebuild --release --nodedir="$node_home" --loglevel=error)
  else
    (cd "$sqlite" && env -u npm_config_nodedir -u NPM_CONFIG_NODEDIR node "$gyp" rebuild --release --loglevel=error)
  fi
}

ensure_bluesky_dev_network
