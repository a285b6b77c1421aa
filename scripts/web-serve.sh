#!/usr/bin/env bash
# Serves the web page (issue 11) on 127.0.0.1 (PORT, default 8080), building it first when
# web/dist/ is missing. The page makes no request but its own static files.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f web/dist/pkg/archcompat_web_bg.wasm ] || ./scripts/web-build.sh
exec node web/serve.mjs --port "${PORT:-8080}"
