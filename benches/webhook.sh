#!/usr/bin/env bash
# Load benchmark of `archcompat webhook` (issue 13), as a cluster drives it: wrk on loopback
# POSTs AdmissionReviews over TLS with keep-alive to the release build; a Deployment whose image
# lives in Debian's docker-registry on 127.0.0.1 (pushed by skopeo).
#   warm: the cache holds the image; p99 latency and reviews/s at 16 connections for 10 s.
#   cold: --cache-ttl 0, one connection: every review reads the index from the registry; compared
#         with wrk fetching the same manifest from the registry directly (its own round trip).
# Prints a Markdown table. Needs wrk, skopeo, docker-registry, openssl (installed when missing).
# Everything stops by itself: wrk runs for fixed durations, servers are killed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for t in wrk skopeo docker-registry openssl curl; do command -v "$t" >/dev/null || need+=("$t"); done
[ "${#need[@]}" = 0 ] || apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
cargo build --release -q -p archcompat-cli
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/archcompat
tmp=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; scripts/test-registry.sh stop "$tmp/registry" || true; rm -rf "$tmp"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
scripts/test-registry.sh start "$tmp/registry" "$port"
reg=127.0.0.1:$port
skopeo copy -q --all --dest-tls-verify=false oci:examples/hello-multiarch:latest "docker://$reg/hello:multi"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=bench \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/tls.key" -out "$tmp/tls.crt" 2>/dev/null
cat > "$tmp/review.json" <<JSON
{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"bench",
 "kind":{"group":"apps","version":"v1","kind":"Deployment"},"resource":{"group":"apps","version":"v1","resource":"deployments"},
 "namespace":"default","operation":"CREATE","userInfo":{"username":"bench"},
 "object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
 "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
 "spec":{"containers":[{"name":"web","image":"$reg/hello:multi"}]}}}},"dryRun":false}}
JSON
cat > "$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$tmp/review.json", "r"); wrk.body = f:read("*a"); f:close()
LUA
start() { # start ARGS… → echoes the address
  "$bin" webhook --listen 127.0.0.1:0 --print-address --tls-cert "$tmp/tls.crt" --tls-key "$tmp/tls.key" \
    --cluster-platforms linux/amd64,linux/arm64 "$@" > "$tmp/addr" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 1 100); do [ -s "$tmp/addr" ] && break; sleep 0.05; done
  head -1 "$tmp/addr"; : > "$tmp/addr"
}
# wrk --latency output → "p50 p99 req/s" in milliseconds.
summary() { awk '/^ +50%/{p50=$2} /^ +99%/{p99=$2} /^Requests\/sec/{r=$2}
  function ms(v){ if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
  END { printf "%.2f %.2f %.0f\n", ms(p50), ms(p99), r }'; }
addr=$(start)
curl -s --cacert "$tmp/tls.crt" -X POST --data-binary @"$tmp/review.json" "https://$addr/validate" > /dev/null
read -r w50 w99 wrps < <(wrk -t2 -c16 -d10s --latency -s "$tmp/post.lua" "https://$addr/validate" | summary)
cold=$(start --cache-ttl 0)
read -r c50 c99 crps < <(wrk -t1 -c1 -d5s --latency -s "$tmp/post.lua" "https://$cold/validate" | summary)
read -r r50 r99 rrps < <(wrk -t1 -c1 -d5s --latency \
  -H 'Accept: application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json' \
  "http://$reg/v2/hello/manifests/multi" | summary)
ratio=$(awk -v a="$c50" -v b="$r50" 'BEGIN{ printf "%.2f", a/b }')
echo "| webhook (machine: $(nproc) cores, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg)) | p50 ms | p99 ms | reviews/s |"
echo "|---|---:|---:|---:|"
echo "| warm cache, 16 connections, 10 s | $w50 | $w99 | $wrps |"
echo "| cold cache (every review reads the registry), 1 connection | $c50 | $c99 | $crps |"
echo "| the registry's own manifest round trip, 1 connection | $r50 | $r99 | $rrps |"
echo
echo "targets: warm p99 ≤ 5 ms: $(awk -v v="$w99" 'BEGIN{print (v<=5)?"met":"NOT met"}'); warm ≥ 2000 reviews/s: $(awk -v v="$wrps" 'BEGIN{print (v>=2000)?"met":"NOT met"}'); cold p50 within 2x the registry round trip: ${ratio}x, $(awk -v v="$ratio" 'BEGIN{print (v<=2)?"met":"NOT met"}')"
