#!/usr/bin/env bash
# Measures `dossier report run` for every shipped table over a demo province of ROWS people as
# of one date, against hand-written SQL in the sqlite3 shell that produces the same figures for
# tables 2 (level × organisation level × sex), 3 (level × age band) and 6 (establishment use),
# in the same run. Also times the single GROUP BY of the as-of benchmark (current placements by
# unit and category, over a plain two-column table) that all tables together are compared with.
# Prints each time (best of 3), the ratios and Dossier's peak memory.
#
#   scripts/bench-reports.sh [ROWS] [DATE]   (default 1000000 2026-06-30; needs a release build: make build)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
date="${2:-2026-06-30}"
bin="${DOSSIER_BIN:-.build/release/dossier}"
[ -x "$bin" ] || { echo "Build first: make build" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Loading a demo province of $rows people …"
/usr/bin/time -f "  demo took %e s, peak %M KB" "$bin" demo --data "$work/node" --people "$rows" --seed 1 >/dev/null
db="$work/node/dossier.sqlite"
sqlite3 "$work/plain.sqlite" "ATTACH '$db' AS d;
  CREATE TABLE current_placement AS SELECT org_id AS org, category FROM d.placement WHERE valid_until IS NULL;"

# Best wall time of 3 runs of a command, in seconds; the peak memory of the last, in KB.
best() {
    local best=999999 rss=0
    for _ in 1 2 3; do
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
        read -r t m < "$work/time"
        best=$(python3 -c "print(min($best, $t))")
        rss=$m
    done
    echo "$best $rss"
}

in_post="p.occupies = 1 AND p.valid_from <= '$date' AND (p.valid_until IS NULL OR p.valid_until > '$date')"
level_sql="CASE
  WHEN p.post IN ('state-head','state-deputy','province-head','province-deputy') THEN 0
  WHEN p.post = 'bureau-head' OR p.rank = 'L1-inspector' THEN 1
  WHEN p.post = 'bureau-deputy' OR p.rank = 'L2-inspector' THEN 2
  WHEN p.post = 'division-head' OR p.rank IN ('L1-researcher','L2-researcher') THEN 3
  WHEN p.post = 'division-deputy' OR p.rank IN ('L3-researcher','L4-researcher') THEN 4
  WHEN p.post = 'section-head' OR p.rank IN ('L1-principal','L2-principal') THEN 5
  WHEN p.post = 'section-deputy' OR p.rank IN ('L3-principal','L4-principal') THEN 6
  WHEN p.rank = 'L1-clerk' THEN 7 WHEN p.rank = 'L2-clerk' THEN 8 ELSE 9 END"
cat > "$work/level.sql" <<SQL
SELECT $level_sql AS level, o.level, ps.sex, count(*) FROM placement p
JOIN person ps ON ps.id = p.person_id JOIN organization o ON o.id = p.org_id
WHERE $in_post GROUP BY 1, 2, 3;
SELECT count(*) FROM placement p WHERE $in_post;
SQL
cat > "$work/age.sql" <<SQL
WITH a AS (
  SELECT $level_sql AS level,
         CAST(substr('$date', 1, 4) AS INTEGER) - CAST(substr(ps.birth_date, 1, 4) AS INTEGER)
         - (substr(ps.birth_date, 6) > substr('$date', 6)) AS age
  FROM placement p JOIN person ps ON ps.id = p.person_id WHERE $in_post)
SELECT level, CASE WHEN age <= 30 THEN 0 WHEN age <= 35 THEN 1 WHEN age <= 40 THEN 2 WHEN age <= 45 THEN 3
                   WHEN age <= 50 THEN 4 WHEN age <= 55 THEN 5 ELSE 6 END, count(*)
FROM a GROUP BY 1, 2;
SELECT count(*) FROM placement p WHERE $in_post;
SQL
cat > "$work/establishment.sql" <<SQL
WITH quota AS (
  SELECT org_id, category, approved,
         row_number() OVER (PARTITION BY org_id, category ORDER BY effective_on DESC, id DESC) AS newest
  FROM establishment_quota WHERE effective_on <= '$date'),
occupancy AS (
  SELECT p.org_id, p.category, count(*) AS occupied FROM placement p WHERE $in_post GROUP BY 1, 2),
pairs AS (SELECT org_id, category FROM quota WHERE newest = 1 UNION SELECT org_id, category FROM occupancy)
SELECT o.code, pairs.category, coalesce(q.approved, 0), coalesce(c.occupied, 0),
       max(coalesce(q.approved, 0) - coalesce(c.occupied, 0), 0), max(coalesce(c.occupied, 0) - coalesce(q.approved, 0), 0)
FROM pairs JOIN organization o ON o.id = pairs.org_id
LEFT JOIN quota q ON q.org_id = pairs.org_id AND q.category = pairs.category AND q.newest = 1
LEFT JOIN occupancy c ON c.org_id = pairs.org_id AND c.category = pairs.category
ORDER BY o.id, pairs.category;
SQL

# The figures must agree before the times mean anything: the table's 合计 against the SQL's.
"$bin" report run level --data "$work/node" --as-of "$date" --format json > "$work/level.json"
sql_total=$(sqlite3 "$db" < "$work/level.sql" | tail -1)
report_total=$(python3 -c "import json; t=json.load(open('$work/level.json')); print(t['rows'][-1]['values'][0])")
[ "$sql_total" = "$report_total" ] || { echo "level: the SQL counts $sql_total, the table $report_total" >&2; exit 1; }
"$bin" report run establishment --data "$work/node" --as-of "$date" --format json > "$work/establishment.json"
sql_slots=$(sqlite3 "$db" < "$work/establishment.sql" | awk -F'|' '{a+=$3; o+=$4} END {print a, o}')
report_slots=$(python3 -c "import json; t=json.load(open('$work/establishment.json')); v=t['rows'][-1]['values']; print(v[0], v[1])")
[ "$sql_slots" = "$report_slots" ] || { echo "establishment: the SQL counts $sql_slots, the table $report_slots" >&2; exit 1; }
echo "  the figures agree: $report_total in post, approved and occupied $report_slots"

read -r g _ < <(best sqlite3 "$work/plain.sqlite" "SELECT org, category, count(*) FROM current_placement GROUP BY org, category")
printf "%-20s %10s %10s %8s %10s\n" "table" "dossier" "sqlite3" "ratio" "peak (MB)"
all=0
peak=0
for name in movements level age education ethnicity-politics establishment leadership rank-quotas grades cases; do
    read -r d rss < <(best "$bin" report run "$name" --data "$work/node" --as-of "$date" --format csv --out "$work/out.csv")
    all=$(python3 -c "print($all + $d)")
    peak=$(( rss > peak ? rss : peak ))
    case "$name" in
        level | age | establishment)
            read -r s _ < <(best sqlite3 "$db" ".read $work/$name.sql")
            ratio=$(python3 -c "print(f'{$d / max($s, 0.01):.2f}x')")
            printf "%-20s %10s %10s %8s %10d\n" "$name" "$d" "$s" "$ratio" $((rss / 1024)) ;;
        *) printf "%-20s %10s %10s %8s %10d\n" "$name" "$d" "-" "-" $((rss / 1024)) ;;
    esac
done
# Ad-hoc questions (person search): the same filter as Dossier's query and as plain SQL over the
# same indexed tables. One: a prefecture and the units under it, 四级调研员 under 40 with a
# postgraduate degree; two: everyone whose name holds 张.
org_code=$(sqlite3 "$db" "SELECT code FROM organization WHERE level = 'prefecture' ORDER BY id LIMIT 1")
cat > "$work/search.sql" <<SQL
WITH RECURSIVE units(id) AS (SELECT id FROM organization WHERE code = '$org_code'
                              UNION SELECT o.id FROM organization o JOIN units ON o.parent_id = units.id)
SELECT count(*) FROM placement pl JOIN person p ON p.id = pl.person_id
WHERE $(echo "$in_post" | sed 's/\bp\./pl./g') AND pl.org_id IN units AND pl.rank = 'L4-researcher'
  AND p.education IN ('10', '11', '14')
  AND CAST(substr('$date', 1, 4) AS INTEGER) - CAST(substr(p.birth_date, 1, 4) AS INTEGER)
      - (substr(p.birth_date, 6) > substr('$date', 6)) <= 39;
SQL
cat > "$work/name.sql" <<SQL
SELECT count(*) FROM placement pl JOIN person p ON p.id = pl.person_id
WHERE $(echo "$in_post" | sed 's/\bp\./pl./g') AND instr(p.name, '张') > 0;
SQL
search=("$bin" person search --data "$work/node" --date "$date" --org "$org_code" --rank 四级调研员 --max-age 39 --education 研究生 --count)
name=("$bin" person search --data "$work/node" --date "$date" --name 张 --count)
[ "$("${search[@]}")" = "$(sqlite3 "$db" < "$work/search.sql")" ] || { echo "person search: the counts differ" >&2; exit 1; }
[ "$("${name[@]}")" = "$(sqlite3 "$db" < "$work/name.sql")" ] || { echo "name search: the counts differ" >&2; exit 1; }
read -r d1 _ < <(best "${search[@]}")
read -r s1 _ < <(best sqlite3 "$db" ".read $work/search.sql")
read -r d2 _ < <(best "${name[@]}")
read -r s2 _ < <(best sqlite3 "$db" ".read $work/name.sql")
python3 -c "print(f'person search (unit, rank, age, education): {$d1} s against SQL {$s1} s = {$d1 / max($s1, 0.01):.2f}x (target at most 2x)')"
python3 -c "print(f'person search (part of a name)           : {$d2} s against SQL {$s2} s = {$d2 / max($s2, 0.01):.2f}x (target at most 2x)')"
read -r d3 _ < <(best "$bin" person search --data "$work/node" --date "$date" --name zw --count)
echo "person search (pinyin initials zw, no SQL equivalent): $d3 s"

echo "single GROUP BY (as-of benchmark): $g s"
python3 -c "print(f'all tables together : {$all:.2f} s = {$all / max($g, 0.01):.1f}x the single GROUP BY (target under 10x)')"
echo "peak memory          : $((peak / 1024)) MB (target under 300 MB)"
echo "targets: each compared table at most 1.5x its SQL"
