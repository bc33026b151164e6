#!/usr/bin/env bash
# Measures `dossier promotion eligible` over a whole node (issue 13) against the sqlite3 shell,
# in the same run: a demo province of PEOPLE people with YEARS years of final assessment grades
# each (10 % 优秀, 5 % 基本称职/基本合格, the rest 称职/合格), and a plain SQL query over the same
# rows that computes only the minimum-time rule (months in the current rank against the step's
# minimum). Prints both times, their ratio and Dossier's peak memory, and how many people each
# finds eligible (they differ by what the plain query leaves out: grades, 优秀, sanctions,
# leadership posts and unbroken runs in the rank).
#
#   scripts/bench-promotion.sh [PEOPLE] [YEARS]   (default 1000000, 10: 10M grades; needs a
#                                                  release build: make build)
#   DOSSIER_BIN=path scripts/bench-promotion.sh    (times another build)
#   BENCH_KEEP=1 scripts/bench-promotion.sh        (keeps the node, to look into)
#
# Target (issue 13): at most 3x the plain query; peak memory under 300 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
people="${1:-1000000}"
years="${2:-10}"
bin="${DOSSIER_BIN:-.build/release/dossier}"
[ -x "$bin" ] || { echo "Build first: make build" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "The sqlite3 shell is needed (apt-get install sqlite3)" >&2; exit 1; }
work="$(mktemp -d)"
if [ -n "${BENCH_KEEP:-}" ]; then echo "Keeping the node in $work"; else trap 'rm -rf "$work"' EXIT; fi
as_of=2026-12-31
db="$work/node/dossier.sqlite"

echo "Preparing a demo node of $people people with $years years of grades each …"
"$bin" demo --data "$work/node" --people "$people" --seed 1 --as-of 2026-11-30 >/dev/null
first_year=$((2025 - years + 1))
sqlite3 "$db" <<SQL
PRAGMA journal_mode = WAL;
WITH RECURSIVE year(y) AS (SELECT $first_year UNION ALL SELECT y + 1 FROM year WHERE y < 2025)
INSERT INTO assessment(person_id, org_id, year, grade, reason, decided_on, state, recorded_by, recorded_at)
SELECT p.person_id, p.org_id, y,
    CASE WHEN (p.person_id * 7 + y) % 20 < 2 THEN 'excellent'
         WHEN (p.person_id * 7 + y) % 20 = 2
             THEN CASE WHEN p.category IN ('admin', 'legal', 'pscs') THEN 'basically-competent' ELSE 'basic-pass' END
         ELSE CASE WHEN p.category IN ('admin', 'legal', 'pscs') THEN 'competent' ELSE 'pass' END END,
    NULL, (y + 1) || '-01-20', 'final', 'admin', '2026-12-01T00:00:00.000Z'
FROM placement p, year WHERE p.valid_until IS NULL;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
grades=$(sqlite3 "$db" "SELECT count(*) FROM assessment")
echo "$grades grades on file."

# The plain query: each person in post (在职) in a civil-service category, the first day they
# held their current rank, and the months since the start of that month against the step's
# minimum (the figures of Policies/civil-service-ranks-2019.yaml).
cat > "$work/plain.sql" <<SQL
CREATE TEMP TABLE step(from_rank TEXT PRIMARY KEY, months INTEGER NOT NULL);
INSERT INTO step VALUES ('L2-inspector', 48), ('L1-researcher', 48), ('L2-researcher', 36), ('L3-researcher', 24),
    ('L4-researcher', 24), ('L1-principal', 24), ('L2-principal', 24), ('L3-principal', 24), ('L4-principal', 24),
    ('L1-clerk', 24), ('L2-clerk', 24);
SELECT count(*) FROM (
    SELECT p.rank,
        (SELECT min(q.valid_from) FROM placement q WHERE q.person_id = p.person_id AND q.rank = p.rank) AS since
    FROM placement p
    WHERE p.valid_from <= '$as_of' AND (p.valid_until IS NULL OR p.valid_until > '$as_of')
        AND p.status = 'active' AND p.category IN ('admin', 'legal', 'pscs') AND p.rank IS NOT NULL
) c JOIN step s ON s.from_rank = c.rank
WHERE (${as_of:0:4} * 12 + ${as_of:5:2}) - (CAST(substr(c.since, 1, 4) AS INTEGER) * 12
    + CAST(substr(c.since, 6, 2) AS INTEGER)) >= s.months;
SQL
# Each side once before timing, so both start from a warm page cache.
sqlite3 "$db" < "$work/plain.sql" >/dev/null
"$bin" promotion eligible --data "$work/node" --as-of "$as_of" --format csv >/dev/null

/usr/bin/time -f "%e %M" -o "$work/plain.time" sqlite3 "$db" < "$work/plain.sql" > "$work/plain.out"
/usr/bin/time -f "%e %M" -o "$work/dossier.time" \
    "$bin" promotion eligible --data "$work/node" --as-of "$as_of" --format csv > "$work/dossier.csv"
read -r s_time _ < "$work/plain.time"
read -r d_time d_rss < "$work/dossier.time"
ratio=$(python3 -c "print(f'{float(\"$d_time\") / max(float(\"$s_time\"), 0.01):.2f}x')")
printf "%-24s %10s %10s %12s %7s\n" "" "sqlite3 s" "dossier s" "dossier MB" "ratio"
printf "%-24s %10s %10s %12d %7s\n" "promotion eligible" "$s_time" "$d_time" $((d_rss / 1024)) "$ratio"
echo "eligible on $as_of: plain minimum-time rule $(cat "$work/plain.out"), Dossier $(($(wc -l < "$work/dossier.csv") - 1))"
