#!/usr/bin/env bash
# End-to-end check of the Docker Compose deployment (too slow for `npm test`):
# builds the images, `up -d` under its own project name, waits for every service's healthcheck,
# then with the stock kubectl and the generated kubeconfig: the node becomes Ready, a
# mk8s/busybox:1 pod runs, `kubectl logs` and `kubectl exec` work. Always tears down (`down -v`, the pod containers the kubelet left,
# its Docker network). Exits non-zero on the first failure.
# Settings (environment): COMPOSE ("docker compose" if available, else docker-compose),
# SMOKE_PROJECT (mk8s-smoke), KUBECTL (kubectl), SKIP_BUILD=1, plus docker-compose.yml's MK8S_*.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if [ -z "${COMPOSE:-}" ]; then
  if docker compose version >/dev/null 2>&1; then COMPOSE="docker compose"; else COMPOSE=docker-compose; fi
fi
project=${SMOKE_PROJECT:-mk8s-smoke}
kubectl=${KUBECTL:-kubectl}
node=${MK8S_NODE_NAME:-mk8s-compose}
port=${MK8S_API_PORT:-16443}
export KUBECONFIG=$PWD/.mk8s-compose/kubeconfig
dc() { $COMPOSE -p "$project" "$@"; }
fail() { echo "smoke: FAIL: $*" >&2; dc ps >&2 || true; dc logs --tail=30 >&2 || true; exit 1; }

if ss -ltn "sport = :$port" | grep -q LISTEN; then
  echo "smoke: port $port is in use (another compose cluster?); set MK8S_API_PORT" >&2; exit 1
fi

cleanup() {
  echo "smoke: tearing down"
  dc down -v --remove-orphans >/dev/null 2>&1 || true
  ids=$(docker ps -aq --filter "label=mk8s.node=$node")
  [ -z "$ids" ] || docker rm -f $ids >/dev/null || true
  docker network rm "${MK8S_DOCKER_NETWORK:-mk8s-compose}" >/dev/null 2>&1 || true
}
trap cleanup EXIT

[ "${SKIP_BUILD:-0}" = 1 ] || bash deploy/compose/build-images.sh
mkdir -p .mk8s-compose
rm -f "$KUBECONFIG"
dc up -d || fail "up"

for _ in $(seq 1 60); do [ -s "$KUBECONFIG" ] && break; sleep 1; done
[ -s "$KUBECONFIG" ] || fail "no kubeconfig at $KUBECONFIG"
for _ in $(seq 1 60); do $kubectl get node "$node" >/dev/null 2>&1 && break; sleep 1; done
$kubectl wait --for=condition=Ready "node/$node" --timeout=90s || fail "node $node not Ready"
$kubectl get nodes

# every long-running service reports healthy (its /readyz or /healthz)
services="etcd apiserver scheduler controller-manager kubelet kube-proxy"
for _ in $(seq 1 60); do
  bad=""
  for s in $services; do
    st=$(docker inspect --format '{{.State.Health.Status}}' "$(dc ps -q "$s")" 2>/dev/null || echo missing)
    [ "$st" = healthy ] || bad="$bad $s:$st"
  done
  [ -z "$bad" ] && break
  sleep 2
done
[ -z "$bad" ] || fail "services not healthy:$bad"
echo "smoke: all services healthy"

$kubectl run smoke --image=mk8s/busybox:1 --image-pull-policy=Never --restart=Never \
  -- sh -c 'echo hello-from-compose; sleep 3600' || fail "create pod"
$kubectl wait --for=condition=Ready pod/smoke --timeout=90s || fail "pod not Ready"
$kubectl get pod smoke -o wide
for _ in $(seq 1 20); do $kubectl logs smoke 2>/dev/null | grep -q hello-from-compose && break; sleep 1; done
$kubectl logs smoke | grep -q hello-from-compose || fail "kubectl logs"
out=$($kubectl exec smoke -- sh -c 'echo exec-$((6*7))') || fail "kubectl exec"
[ "$out" = exec-42 ] || fail "kubectl exec printed '$out'"
$kubectl delete pod smoke --wait=false >/dev/null
echo "smoke: OK (node Ready, pod ran, logs and exec work)"
