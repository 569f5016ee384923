#!/usr/bin/env bash
# Builds the images `docker compose up` needs, all locally (no registry is reachable):
#   mk8s/runtime:<version>  `docker import` of a root filesystem staged from this machine:
#                           node, etcd, bash, openssl, iproute2's ip (each with the shared
#                           libraries ldd lists), static busybox for the small tools, /etc/ssl,
#                           /tmp, a minimal /etc/passwd
#   mk8s/mk8s:dev           `docker build` FROM the runtime image with the compiled dist/
#                           folders, node_modules and deploy/ of this checkout
#   mk8s/pause:3.9, mk8s/busybox:1   via deploy/images/build-test-images.sh
# Idempotent: the runtime image is rebuilt only when its tag (node + etcd versions) is
# missing or FORCE=1; mk8s:dev is rebuilt every time (Docker's layer cache makes it cheap).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)

NODE_BIN=$(readlink -f "${NODE_BIN:-$(command -v node)}")
ETCD_BIN=$(readlink -f "${ETCD_BIN:-$(command -v etcd)}")
BUSYBOX=${BUSYBOX:-/usr/bin/busybox}
node_version=$("$NODE_BIN" --version | tr -d v)
etcd_version=$("$ETCD_BIN" --version | awk '/etcd Version/ {print $3}')
RUNTIME_IMAGE=${RUNTIME_IMAGE:-mk8s/runtime:node$node_version-etcd$etcd_version}
APP_IMAGE=${APP_IMAGE:-mk8s/mk8s:dev}
FORCE=${FORCE:-0}

echo "compiling (npx tsc -b)"
if command -v flock >/dev/null; then flock /tmp/mk8s-tsc.lock npx tsc -b; else npx tsc -b; fi

bash deploy/images/build-test-images.sh

if [ "$FORCE" != 1 ] && docker image inspect "$RUNTIME_IMAGE" >/dev/null 2>&1; then
  echo "$RUNTIME_IMAGE exists"
else
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  rfs=$stage/rootfs
  mkdir -p "$rfs"/{bin,sbin,usr/bin,usr/sbin,usr/lib,etc,root,tmp,var/tmp,proc,sys,dev,run,app}
  chmod 1777 "$rfs/tmp" "$rfs/var/tmp"

  # copy_bin SRC DEST: the binary plus every shared library ldd names, at the same paths
  copy_bin() {
    local src dest=$2
    src=$(readlink -f "$1")
    mkdir -p "$rfs$(dirname "$dest")"
    cp "$src" "$rfs$dest"
    ldd "$src" 2>/dev/null | grep -oE '/[^ ]+' | while read -r lib; do
      [ -e "$lib" ] || continue
      mkdir -p "$rfs$(dirname "$lib")"
      cp -L "$lib" "$rfs$lib"
    done
  }
  copy_bin "$NODE_BIN" /usr/bin/node
  copy_bin "$ETCD_BIN" /usr/bin/etcd
  copy_bin /bin/bash /bin/bash
  copy_bin "$(command -v openssl)" /usr/bin/openssl
  copy_bin "$(command -v ip)" /usr/sbin/ip
  # the dynamic loader at its canonical path too (/lib64 may be a symlink into /usr)
  if [ -d /lib64 ]; then mkdir -p "$rfs/lib64"; cp -L /lib64/ld-linux-* "$rfs/lib64/" 2>/dev/null || true; fi
  # the small tools (mkdir, chmod, cat, sleep, hostname, ...) from static busybox
  cp "$BUSYBOX" "$rfs/bin/busybox"
  for applet in sh cat chmod chown cp echo env hostname id ls mkdir mv rm sleep tr wc head tail grep sed awk date; do
    [ -e "$rfs/bin/$applet" ] || ln -s busybox "$rfs/bin/$applet"
  done
  ln -sf ../../bin/env "$rfs/usr/bin/env"
  # TLS roots and openssl's config
  cp -rL /etc/ssl "$rfs/etc/ssl" 2>/dev/null || mkdir -p "$rfs/etc/ssl"
  if [ -d /usr/lib/ssl ]; then cp -rL /usr/lib/ssl "$rfs/usr/lib/ssl" 2>/dev/null || true; fi
  printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rfs/etc/group"
  printf 'hosts: files dns\n' >"$rfs/etc/nsswitch.conf"
  "$rfs/../rootfs/usr/bin/node" --version >/dev/null 2>&1 || true
  tar -C "$rfs" -cf - . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'WORKDIR /app' --change 'CMD ["/bin/bash"]' - "$RUNTIME_IMAGE" >/dev/null
  echo "built $RUNTIME_IMAGE"
fi

docker build -q -f deploy/compose/Dockerfile --build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE" -t "$APP_IMAGE" . >/dev/null
echo "built $APP_IMAGE"
