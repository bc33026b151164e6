#!/usr/bin/env bash
# Load test of the HTTP front: with a demo province of ROWS people, `wrk` on
# GET /api/v1/people/{id} for random ids (with a valid API token) and on /healthz, in the same
# run. Prints both request rates, their ratio, the p99 latencies, and the server's peak
# resident memory.
#
#   scripts/bench-http.sh [ROWS] [SECONDS] [ROUNDS]
#       (default 1000000 people, 10 s per measurement, 3 rounds; release build)
#
# Each round measures /healthz and then the look-ups, back to back: the machines are shared and
# their speed drifts, so each round's ratio compares two runs made under the same conditions, and
# the median of the rounds is reported.
#
# Targets (issue 5): person look-ups at least 40% of the /healthz rate, p99 under 20 ms with
# 16 connections, server resident memory under 300 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
seconds="${2:-10}"
rounds="${3:-3}"
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
for round in $(seq 1 "$rounds"); do
  run "http://127.0.0.1:$port/healthz" >"$work/health.$round.txt"
  run -s "$work/people.lua" "http://127.0.0.1:$port" >"$work/people.$round.txt"
done
rss=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")

python3 - "$work" "$rounds" "$rss" <<'PY'
import re, statistics, sys
work, rounds, rss = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def parse(path):
    text = open(path).read()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return rate, float(p99.group(1)) * scale, int(errors.group(1)) if errors else 0
ratios, worst_h, worst_p, errors = [], 0.0, 0.0, 0
for r in range(1, rounds + 1):
    h_rate, h_p99, h_err = parse(f"{work}/health.{r}.txt")
    p_rate, p_p99, p_err = parse(f"{work}/people.{r}.txt")
    ratios.append(p_rate / h_rate)
    worst_h, worst_p, errors = max(worst_h, h_p99), max(worst_p, p_p99), errors + h_err + p_err
    print(f"round {r}: /healthz {h_rate:8.0f} req/s, /api/v1/people/{{id}} {p_rate:8.0f} req/s, "
          f"ratio {p_rate / h_rate:.2f}, p99 {h_p99:.2f} / {p_p99:.2f} ms")
print(f"ratio people/healthz   : {statistics.median(ratios):.2f} median of {rounds} rounds  (target: at least 0.40)")
print(f"p99, worst round       : /healthz {worst_h:.2f} ms, people {worst_p:.2f} ms  (target: under 20 ms)")
print(f"non-2xx responses      : {errors}")
print(f"server peak memory     : {rss / 1024:.0f} MB  (target: under 300 MB)")
PY
