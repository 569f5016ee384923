#!/usr/bin/env bash
# Runs the benchmarks, one after another, each printing its figures beside a baseline
# measured in the same run. Usage: npm run bench [-- apiserver scheduler pod-startup rc proxy]
# Needs what `npm test` needs (etcd, dockerd, the local images); run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npx tsc -b
bash deploy/images/build-test-images.sh >/dev/null
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(apiserver scheduler pod-startup rc proxy)
for n in "${names[@]}"; do
  echo "=== $n ==="
  node "bench/dist/$n-bench.js"
done
