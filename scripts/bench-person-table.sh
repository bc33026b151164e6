#!/usr/bin/env bash
# What each constraint of the person table costs when a million rows go in: the sqlite3 shell
# alone copies ready rows (random bytes in place of the sealed columns, no parsing, encryption
# or checks by Dossier) into the table as Dossier's schema declares it, and into copies with
# one kind of constraint at a time, so the cost of the schema itself can be read off. Beside it,
# the plain `.import` of the same CSV that bench-import.sh compares Dossier against.
#
#   scripts/bench-person-table.sh [ROWS]      (default 1000000; needs a release build: make build)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
bin=.build/release/dossier
[ -x "$bin" ] || { echo "Build first: make build" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Preparing $rows rows …"
"$bin" demo --data "$work/node" --people "$rows" --seed 1 --people-csv "$work/people.csv" >/dev/null
cat > "$work/plain.sql" <<SQL
CREATE TABLE people(id_number TEXT, name TEXT, sex TEXT, birth_date TEXT, ethnicity TEXT, education TEXT,
  political_status TEXT, phone TEXT, org_code TEXT, category TEXT, rank TEXT, post TEXT, status TEXT, hired_on TEXT);
.import --csv --skip 1 $work/people.csv people
SQL
/usr/bin/time -f "%e" -o "$work/import.time" sqlite3 "$work/plain.sqlite" < "$work/plain.sql"
echo "sqlite3 .import of the CSV into a plain table: $(cat "$work/import.time") s"

# The person table exactly as the node's database declares it, renamed t.
declared=$(sqlite3 "$work/node/dossier.sqlite" "SELECT sql FROM sqlite_schema WHERE name = 'person'" | sed 's/CREATE TABLE person/CREATE TABLE t/')
without_unique=$(echo "$declared" | sed 's/ UNIQUE / /')
without_checks=$(echo "$declared" | sed -E 's/CHECK \(length\(id_number_index\) = 16\)//; s/CHECK \(length\(trim\(name\)\) BETWEEN 1 AND 50\)//; s/CHECK \(sex = .1. OR sex = .2.\)//; s/CHECK \(birth_date GLOB [^)]*\)//')
bare=$(echo "$without_checks" | sed 's/ UNIQUE / /')

run() { # LABEL FOREIGN-KEYS DDL
  rm -rf "$work/copy"; cp -r "$work/node" "$work/copy"
  cat > "$work/t.sql" <<SQL
PRAGMA foreign_keys = $2; PRAGMA cache_size = -200000;
ATTACH '$work/plain.sqlite' AS plain;
CREATE TEMP TABLE src AS SELECT r.rowid AS id, randomblob(47), randomblob(16), r.name,
  CASE WHEN CAST(substr(r.id_number, 17, 1) AS INTEGER) % 2 = 1 THEN '1' ELSE '2' END,
  substr(r.id_number, 7, 4) || '-' || substr(r.id_number, 11, 2) || '-' || substr(r.id_number, 13, 2),
  r.ethnicity, r.education, r.political_status, CASE WHEN r.phone = '' THEN NULL ELSE randomblob(40) END
  FROM plain.people r;
$3;
.timer on
BEGIN; INSERT INTO t SELECT * FROM src; COMMIT;
SQL
  local seconds
  seconds=$(sqlite3 "$work/copy/dossier.sqlite" < "$work/t.sql" 2>&1 | awk '/^Run Time/ {s += $4} END {printf "%.2f", s}')
  printf '%-58s %6s s\n' "$1" "$seconds"
}
run "person table as declared (checks, 3 foreign keys, unique)" ON "$declared"
run "  without the unique blind index" ON "$without_unique"
run "  without the checks" ON "$without_checks"
run "  without the foreign keys" OFF "$declared"
run "  unique blind index only" OFF "$without_checks"
run "  checks only" OFF "$without_unique"
run "  foreign keys only" ON "$bare"
run "  none of them" OFF "$bare"
