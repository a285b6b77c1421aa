#!/usr/bin/env bash
# Starts and stops a throwaway Debian `docker-registry` on 127.0.0.1 for the image tests.
#   scripts/test-registry.sh start DIR PORT [USER:PASSWORD]   # htpasswd auth when USER:PASSWORD given
#   scripts/test-registry.sh stop DIR
# The registry listens on loopback only, keeps its data under DIR, and writes DIR/registry.pid;
# it stops with `stop` or when the process that ran `start` exits.
set -euo pipefail
cmd=${1:?usage: test-registry.sh start DIR PORT [USER:PASS] | stop DIR}
dir=${2:?missing DIR}
case "$cmd" in
start)
  port=${3:?missing PORT}
  creds=${4:-}
  command -v docker-registry >/dev/null || { echo "test-registry: docker-registry missing (scripts/setup.sh)" >&2; exit 2; }
  mkdir -p "$dir/data"
  dir=$(cd "$dir" && pwd)
  auth=""
  if [ -n "$creds" ]; then
    command -v htpasswd >/dev/null || { echo "test-registry: htpasswd missing (apache2-utils)" >&2; exit 2; }
    htpasswd -Bbn "${creds%%:*}" "${creds#*:}" > "$dir/htpasswd"
    auth="auth: {htpasswd: {realm: archcompat-test, path: $dir/htpasswd}}"
  fi
  cat > "$dir/config.yml" <<EOF
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $dir/data}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:$port
$auth
EOF
  docker-registry serve "$dir/config.yml" > "$dir/registry.log" 2>&1 &
  pid=$!
  echo $pid > "$dir/registry.pid"
  # Stopped also when the process that started it is gone: a test binary keeps its registry
  # in a static, which is never dropped, so `stop` is not always called.
  owner=$PPID
  (while kill -0 "$owner" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 1; done
    kill "$pid" 2>/dev/null || true) > /dev/null 2>&1 < /dev/null &
  for _ in $(seq 1 100); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true)
    if [ "$code" = 200 ] || [ "$code" = 401 ]; then exit 0; fi
    kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null || { cat "$dir/registry.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "test-registry: not ready on 127.0.0.1:$port" >&2
  exit 1
  ;;
stop)
  if [ -f "$dir/registry.pid" ]; then
    kill "$(cat "$dir/registry.pid")" 2>/dev/null || true
    rm -f "$dir/registry.pid"
  fi
  ;;
*) echo "test-registry: unknown command $cmd" >&2; exit 2 ;;
esac
