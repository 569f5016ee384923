#!/usr/bin/env bash
# Builds mk8s's local images with `docker import` (no registry is reachable):
#   mk8s/pause:3.9   - a static pause binary as /pause (from deploy/images/pause/pause.c)
#   mk8s/busybox:1   - static busybox with applet symlinks, /tmp, minimal /etc/passwd
# Idempotent: an image that already exists is left alone unless FORCE=1.
# The kubelet does the same from TypeScript (kubelet/src/images/ensure.ts).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUSYBOX="${BUSYBOX:-/usr/bin/busybox}"
PAUSE_IMAGE="${PAUSE_IMAGE:-mk8s/pause:3.9}"
BUSYBOX_IMAGE="${BUSYBOX_IMAGE:-mk8s/busybox:1}"
FORCE="${FORCE:-0}"

have_image() { [ "$FORCE" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

if have_image "$PAUSE_IMAGE"; then
  echo "$PAUSE_IMAGE exists"
else
  mkdir -p "$stage/pause"
  gcc -static -O2 -o "$stage/pause/pause" "$HERE/pause/pause.c"
  tar -C "$stage/pause" -cf - pause | docker import --change 'ENTRYPOINT ["/pause"]' - "$PAUSE_IMAGE" >/dev/null
  echo "built $PAUSE_IMAGE"
fi

if have_image "$BUSYBOX_IMAGE"; then
  echo "$BUSYBOX_IMAGE exists"
else
  root="$stage/busybox"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,tmp,etc,root,proc,sys,dev,var/www,home}
  chmod 1777 "$root/tmp"
  cp "$BUSYBOX" "$root/bin/busybox"
  # One symlink per applet at its usual place (bin/sh, usr/bin/wget, ...), all to /bin/busybox.
  "$BUSYBOX" --list-full | while read -r applet; do
    [ "$applet" = "bin/busybox" ] && continue
    mkdir -p "$root/$(dirname "$applet")"
    ln -sf /bin/busybox "$root/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$root/etc/group"
  tar -C "$root" -cf - . | docker import --change 'CMD ["sh"]' - "$BUSYBOX_IMAGE" >/dev/null
  echo "built $BUSYBOX_IMAGE"
fi
