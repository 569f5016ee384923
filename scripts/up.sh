#!/usr/bin/env bash
# Starts a local mk8s cluster in the background: etcd (data in .mk8s/etcd), the apiserver
# (HTTPS, certificates and tokens in .mk8s/pki), then every other component that exists,
# logs in .mk8s/logs. Writes .mk8s/kubeconfig. Running it again starts only what is not
# running. Each process runs under scripts/supervise.sh, which starts it again if it exits
# (a component that lost its leader lease exits on purpose). `npm run down` stops it all; the
# data survives.
#
# Settings (environment): MK8S_DIR (.mk8s), ETCD_PORT (2379), APISERVER_PORT (6443),
# MK8S_NODES (number of kubelets on this Docker daemon, 1), MK8S_BIND (0.0.0.0: pods reach the
# apiserver through the `kubernetes` service at this host's address).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dir=${MK8S_DIR:-$root/.mk8s}
etcd_port=${ETCD_PORT:-2379}
api_port=${APISERVER_PORT:-6443}
nodes=${MK8S_NODES:-1}
bind=${MK8S_BIND:-0.0.0.0}
mkdir -p "$dir/logs" "$dir/pids" "$dir/etcd"

bash scripts/ensure-deps.sh
npx tsc -b
bash deploy/pki.sh "$dir/pki" >/dev/null
# No registry is reachable: pods run images built here (mk8s/busybox:1 for trying things out).
bash deploy/images/build-test-images.sh >/dev/null

running() { [ -f "$dir/pids/$1" ] && kill -0 "$(cat "$dir/pids/$1")" 2>/dev/null; }

start() { # name command...: runs it under scripts/supervise.sh, which restarts it if it exits
  local name=$1; shift
  if running "$name"; then echo "  $name already running (pid $(cat "$dir/pids/$name"))"; return; fi
  nohup bash scripts/supervise.sh "$@" >>"$dir/logs/$name.log" 2>&1 &
  echo $! >"$dir/pids/$name"
  echo "  $name started (pid $!, log $dir/logs/$name.log)"
}

kubeconfig() { # user token-file path
  node -e '
    const fs = require("fs");
    const [server, ca, tokenFile, user, out] = process.argv.slice(1);
    const caData = Buffer.from(fs.readFileSync(ca)).toString("base64");
    const token = fs.readFileSync(tokenFile, "utf8").trim();
    fs.writeFileSync(out, `apiVersion: v1\nkind: Config\nclusters:\n- name: mk8s\n  cluster:\n    server: ${server}\n    certificate-authority-data: ${caData}\nusers:\n- name: ${user}\n  user:\n    token: ${token}\ncontexts:\n- name: mk8s\n  context:\n    cluster: mk8s\n    user: ${user}\ncurrent-context: mk8s\n`, { mode: 0o600 });
  ' "https://127.0.0.1:$api_port" "$dir/pki/ca.crt" "$dir/pki/token-$2" "$2" "$3"
}

echo "mk8s: starting in $dir"
start etcd etcd --name mk8s --data-dir "$dir/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$((etcd_port + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((etcd_port + 1))" \
  --initial-cluster "mk8s=http://127.0.0.1:$((etcd_port + 1))" --log-level warn

start apiserver node apiserver/dist/main.js --etcd-servers "http://127.0.0.1:$etcd_port" \
  --bind-address "$bind" --secure-port "$api_port" \
  --tls-cert-file "$dir/pki/apiserver.crt" --tls-private-key-file "$dir/pki/apiserver.key" \
  --token-auth-file "$dir/pki/tokens.csv" --kubelet-token-file "$dir/pki/token-kube-apiserver" \
  --service-account-signing-key-file "$dir/pki/sa.key" --service-account-key-file "$dir/pki/sa.pub" \
  --authorization-mode RBAC

kubeconfig admin admin "$dir/kubeconfig"
for c in kube-scheduler kube-controller-manager kubelet kube-proxy; do kubeconfig "$c" "$c" "$dir/$c.kubeconfig"; done

for _ in $(seq 1 120); do
  curl -sf --cacert "$dir/pki/ca.crt" "https://127.0.0.1:$api_port/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -sf --cacert "$dir/pki/ca.crt" "https://127.0.0.1:$api_port/readyz" >/dev/null || {
  echo "apiserver did not become ready; see $dir/logs/apiserver.log" >&2; exit 1; }

[ -f scheduler/dist/main.js ] && start scheduler node scheduler/dist/main.js \
  --kubeconfig "$dir/kube-scheduler.kubeconfig" --ops-port 10259
[ -f controller-manager/dist/main.js ] && start controller-manager node controller-manager/dist/main.js \
  --kubeconfig "$dir/kube-controller-manager.kubeconfig" --ops-port 10257 --root-ca-file "$dir/pki/ca.crt"
if [ -f kubelet/dist/main.js ]; then
  for i in $(seq 1 "$nodes"); do
    start "kubelet-$i" node kubelet/dist/main.js --kubeconfig "$dir/kubelet.kubeconfig" \
      --node-name "mk8s-node-$i" --pod-cidr "10.244.$i.0/24" --root-dir "$dir/kubelet-$i" \
      --port $((10250 + (i - 1) * 10)) --ops-port $((10248 + (i - 1) * 10)) --cluster-dns 10.96.0.10
  done
fi
[ -f kube-proxy/dist/main.js ] && start kube-proxy node kube-proxy/dist/main.js \
  --kubeconfig "$dir/kube-proxy.kubeconfig" --ops-port 10256
true

cat <<MSG

mk8s is up. The API is at https://127.0.0.1:$api_port (kubeconfig: $dir/kubeconfig).
  export KUBECONFIG=$dir/kubeconfig
  node cli/dist/main.js get nodes        # mkctl (or: npx mkctl get nodes)
  kubectl get pods -A                    # the stock kubectl
  kubectl create deployment web --image=mk8s/busybox:1 -- httpd -f -p 8080   # an image built locally
Stop with: npm run down   (data in $dir/etcd survives)
MSG
