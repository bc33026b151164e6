#!/usr/bin/env bash
# Runs the real-browser test of the admin pages (admin_pages_test.py) against a live server
# with demo data. Needs chromium, chromium-driver and selenium (make test installs them).
#
#   Tests/browser/run.sh DOSSIER-BINARY PYTHON
set -euo pipefail
bin=$(realpath "$1")
python=${2:-python3}
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
"$bin" demo --data "$work/node" --people 400 --seed 7 --passwords >/dev/null
"$bin" keys generate --data "$work/node" --alg sm2 >/dev/null
port=$((20000 + RANDOM % 20000))
"$bin" serve --data "$work/node" --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
rm -rf browser-screenshots
status=0
DOSSIER_URL="http://127.0.0.1:$port" DOSSIER_DATA_DIR="$work/node" DOSSIER_BIN="$bin" \
  "$python" Tests/browser/admin_pages_test.py || status=$?
if [ "$status" -ne 0 ]; then echo "--- server log"; tail -n 40 "$work/serve.log"; fi
exit "$status"
