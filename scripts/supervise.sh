#!/usr/bin/env bash
# supervise.sh COMMAND [ARGS...]: runs the command and starts it again whenever it exits, as
# systemd's Restart=always (or the kubelet for static pods) does for Kubernetes components: a
# scheduler or controller-manager that lost its lease, or an apiserver that crashed, comes
# back. SIGTERM/SIGINT are passed to the command; once it has exited the loop ends.
set -u
child=0
stopping=0
stop() {
  stopping=1
  [ "$child" -ne 0 ] && kill -TERM "$child" 2>/dev/null
}
trap stop TERM INT
while :; do
  "$@" &
  child=$!
  # `wait` returns early when a signal arrives; wait until the command has really exited
  wait "$child"
  code=$?
  while kill -0 "$child" 2>/dev/null; do
    wait "$child"
    code=$?
  done
  child=0
  [ "$stopping" -eq 1 ] && exit 0
  echo "supervise: $1 ${2:-} exited with status $code at $(date -u +%FT%TZ); starting it again in 2 s" >&2
  sleep 2 &
  wait $! 2>/dev/null
  [ "$stopping" -eq 1 ] && exit 0
done
