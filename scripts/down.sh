#!/usr/bin/env bash
# Stops everything `npm run up` started (SIGTERM, then SIGKILL after 15 s). Data survives.
# Pod containers keep running, as with a real kubelet stop; `npm run down -- --purge-containers`
# also removes the containers mk8s kubelets created.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${MK8S_DIR:-$(pwd)/.mk8s}
[ -d "$dir/pids" ] || { echo "mk8s: nothing to stop"; exit 0; }
order="kube-proxy $(ls "$dir/pids" | grep '^kubelet-' || true) controller-manager scheduler apiserver etcd"
for name in $order; do
  f="$dir/pids/$name"
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      pkill -KILL -P "$pid" 2>/dev/null || true # the supervised process, then its supervisor
      kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "  $name stopped"
  fi
  rm -f "$f"
done
if [ "${1:-}" = "--purge-containers" ] && docker info >/dev/null 2>&1; then
  ids=$(docker ps -aq --filter label=mk8s.node)
  [ -n "$ids" ] && docker rm -f $ids >/dev/null && echo "  pod containers removed"
fi
echo "mk8s: down"
