#!/usr/bin/env bash
# Measures the as-of headcount of every organisation over a demo province of ROWS people
# (`dossier quota show --date`, derived from the placement timeline), against a plain
# `SELECT org, category, count(*) … GROUP BY org, category` over a table of ROWS current
# placements in the sqlite3 shell, in the same run. Prints both times (best of 5) and the ratio.
#
#   scripts/bench-asof.sh [ROWS]     (default 1000000; needs a release build: make build)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
bin=.build/release/dossier
[ -x "$bin" ] || { echo "Build first: make build" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Loading a demo province of $rows people …"
/usr/bin/time -f "  demo took %e s, peak %M KB" "$bin" demo --data "$work/node" --people "$rows" --seed 1 >/dev/null

# Reference: the current placements only, as a plain two-column table in its own file.
sqlite3 "$work/plain.sqlite" "ATTACH '$work/node/dossier.sqlite' AS d;
  CREATE TABLE current_placement AS SELECT org_id AS org, category FROM d.placement WHERE valid_until IS NULL;"
echo "  reference table: $(sqlite3 "$work/plain.sqlite" 'SELECT count(*) FROM current_placement') rows"

best() { # best wall time of 5 runs of a command, in seconds
  local best=999999
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N)
    best=$(python3 -c "print(min($best, $end - $start))")
  done
  echo "$best"
}
d=$(best "$bin" quota show --data "$work/node" --date 2026-01-01 --format json)
s=$(best sqlite3 "$work/plain.sqlite" "SELECT org, category, count(*) FROM current_placement GROUP BY org, category")
echo "sqlite3 GROUP BY       : $(printf %.3f "$s") s"
echo "dossier as-of headcount: $(printf %.3f "$d") s"
python3 -c "print(f'ratio                  : {$d / $s:.2f}x  (target: at most 3x)')"
