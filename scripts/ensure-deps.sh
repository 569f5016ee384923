#!/usr/bin/env bash
# Installs what mk8s needs on a fresh Debian machine (as root) and starts dockerd when it is
# not running: Debian packages etcd-server, docker.io, busybox-static, openssl, gcc; then
# `npm ci` (or `npm install` where npm refuses ci) when node_modules is missing or older than
# package-lock.json.
# Usage: scripts/ensure-deps.sh [--no-docker]
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v gcc >/dev/null 2>&1 || need+=(gcc libc6-dev)
if [ "${1:-}" != "--no-docker" ]; then
  command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "mk8s needs these Debian packages: ${need[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # npm 11 can refuse `npm ci` over optional platform packages (rollup's) that a lock file made
  # on another machine lists differently; `npm install` honours the same lock file then.
  npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error
fi

if [ "${1:-}" != "--no-docker" ] && ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "dockerd is not running and this user cannot start it" >&2
    exit 1
  fi
  mkdir -p .mk8s/logs
  echo "starting dockerd" >&2
  nohup dockerd >.mk8s/logs/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see .mk8s/logs/dockerd.log" >&2; exit 1; }
fi
