#!/usr/bin/env bash
# Measures `dossier person import` against the sqlite3 shell's plain `.import` of the same rows,
# in the same run, and prints both times, the ratio and Dossier's peak memory.
#
#   scripts/bench-import.sh [ROWS]      (default 1000000; needs a release build: make build)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
bin=.build/release/dossier
[ -x "$bin" ] || { echo "Build first: make build" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Preparing $rows valid rows against the demo province …"
"$bin" demo --data "$work/node" --people "$rows" --seed 1 --people-csv "$work/people.csv" >/dev/null
ls -l "$work/people.csv" | awk '{printf "CSV file: %.1f MB\n", $5/1e6}'
sync

# Reference: a plain table, every column TEXT, no checks, no indexes.
cat > "$work/plain.sql" <<SQL
CREATE TABLE people(id_number TEXT, name TEXT, sex TEXT, birth_date TEXT, ethnicity TEXT, education TEXT,
  political_status TEXT, phone TEXT, org_code TEXT, category TEXT, rank TEXT, post TEXT, status TEXT, hired_on TEXT);
.import --csv --skip 1 $work/people.csv people
SQL
/usr/bin/time -f "%e %M" -o "$work/sqlite.time" sqlite3 "$work/plain.sqlite" < "$work/plain.sql"
plain_rows=$(sqlite3 "$work/plain.sqlite" "SELECT count(*) FROM people")

/usr/bin/time -f "%e %M" -o "$work/dossier.time" "$bin" person import "$work/people.csv" --data "$work/node" >/dev/null
imported=$("$bin" quota show --data "$work/node" --format json | python3 -c 'import json,sys; print(sum(r["occupied"] for r in json.load(sys.stdin)))')

read -r s_time s_rss < "$work/sqlite.time"
read -r d_time d_rss < "$work/dossier.time"
echo "sqlite3 .import : ${s_time} s  (${plain_rows} rows, peak ${s_rss} KB)"
echo "dossier import  : ${d_time} s  (${imported} people in post, peak $((d_rss / 1024)) MB)"
python3 -c "print(f'ratio           : {float(\"$d_time\") / float(\"$s_time\"):.2f}x  (target: at most 4x, peak memory under 200 MB)')"
