#!/usr/bin/env bash
# Load test of the HTTP front: with a demo province of ROWS people, `wrk` on
# GET /api/v1/people/{id} for random ids (with a valid API token) and on /healthz, in the same
# run. Prints both request rates, their ratio, the p99 latencies, and the server's peak
# resident memory.
#
#   scripts/bench-http.sh [ROWS] [SECONDS]   (default 1000000 people, 20 s each; release build)
#
# Targets (issue 5): person look-ups at least 40% of the /healthz rate, p99 under 20 ms with
# 16 connections, server resident memory under 300 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
seconds="${2:-20}"
bin=${DOSSIER_BIN:-.build/release/dossier}
[ -x "$bin" ] || { echo "Build first: make build" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

echo "Loading a demo province of $rows people …"
"$bin" demo --data "$work/node" --people "$rows" --seed 1 >/dev/null
token=$("$bin" user token --data "$work/node" viewer --label "load test" 2>/dev/null)

"$bin" serve --data "$work/node" --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

cat >"$work/people.lua" <<LUA
math.randomseed(os.time())
request = function()
  local path = "/api/v1/people/" .. math.random(1, $rows)
  return wrk.format("GET", path, { ["Authorization"] = "Bearer $token" })
end
LUA
# Warm up both paths (page cache, statement caches), then measure.
wrk -t2 -c16 -d3s -s "$work/people.lua" "http://127.0.0.1:$port" >/dev/null
wrk -t2 -c16 -d3s "http://127.0.0.1:$port/healthz" >/dev/null

run() { wrk -t2 -c16 -d"${seconds}s" --latency "$@"; }
run "http://127.0.0.1:$port/healthz" >"$work/health.txt"
run -s "$work/people.lua" "http://127.0.0.1:$port" >"$work/people.txt"
rss=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")

python3 - "$work/health.txt" "$work/people.txt" "$rss" <<'PY'
import re, sys
def parse(path):
    text = open(path).read()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return rate, float(p99.group(1)) * scale, int(errors.group(1)) if errors else 0
h_rate, h_p99, h_err = parse(sys.argv[1])
p_rate, p_p99, p_err = parse(sys.argv[2])
rss_mb = int(sys.argv[3]) / 1024
print(f"/healthz               : {h_rate:10.0f} req/s, p99 {h_p99:6.2f} ms, non-2xx {h_err}")
print(f"/api/v1/people/{{id}}    : {p_rate:10.0f} req/s, p99 {p_p99:6.2f} ms, non-2xx {p_err}")
print(f"ratio people/healthz   : {p_rate / h_rate:.2f}  (target: at least 0.40)")
print(f"server peak memory     : {rss_mb:.0f} MB  (target: under 300 MB)")
PY
