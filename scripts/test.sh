#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, then runs unit and end-to-end tests.
# End-to-end tests start their own etcd (free ports, temp dirs) and clean up after themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npx tsc -b
npx vitest run "$@"
