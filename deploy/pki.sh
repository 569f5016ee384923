#!/usr/bin/env bash
# Generates what a cluster needs to be secure from the first start, once, into DIR:
#   ca.crt/ca.key          the cluster CA
#   apiserver.crt/.key     the apiserver's serving certificate (SANs: localhost, 127.0.0.1, the
#                          first service IP, kubernetes.default names, and any extra names/IPs given)
#   tokens.csv             bearer tokens (token,user,uid,"groups") for the admin and each component
#   token-<user>           each token alone, for --token-file
#   sa.key/sa.pub          the key pair service account tokens are signed and verified with
# Existing files are kept, so running it again is harmless.
# Usage: deploy/pki.sh DIR [extra SAN ...]   (extra SANs: IPs or DNS names)
set -euo pipefail
dir=${1:?usage: pki.sh DIR [SAN...]}
shift || true
mkdir -p "$dir"
cd "$dir"
umask 077

if [ ! -f ca.key ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=mk8s-ca" \
    -keyout ca.key -out ca.crt >/dev/null 2>&1
fi

if [ ! -f apiserver.key ]; then
  sans="DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:10.96.0.1,DNS:$(hostname)"
  for s in "$@"; do
    if [[ "$s" =~ ^[0-9.]+$ ]]; then sans="$sans,IP:$s"; else sans="$sans,DNS:$s"; fi
  done
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout apiserver.key -out apiserver.csr >/dev/null 2>&1
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n' "$sans" > apiserver.ext
  openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
    -extfile apiserver.ext -out apiserver.crt >/dev/null 2>&1
  rm -f apiserver.csr apiserver.ext
fi

if [ ! -f sa.key ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sa.key >/dev/null 2>&1
  openssl pkey -in sa.key -pubout -out sa.pub >/dev/null 2>&1
fi

if [ ! -f tokens.csv ]; then
  : > tokens.csv
  for user in admin kube-scheduler kube-controller-manager kubelet kube-proxy kube-apiserver; do
    token=$(openssl rand -hex 24)
    case $user in
      admin) groups="system:masters" ;;
      kubelet) groups="system:nodes" ;;
      *) groups="system:$user" ;;
    esac
    printf '%s,%s,%s,"%s"\n' "$token" "$user" "$user" "$groups" >> tokens.csv
    printf '%s' "$token" > "token-$user"
  done
fi
chmod 644 ca.crt sa.pub
