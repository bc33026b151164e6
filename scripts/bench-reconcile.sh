#!/usr/bin/env bash
# Measures the reconciliation feed imports (issue 12) against the sqlite3 shell's plain `.import`
# of the same files, in the same run, and prints the times, the ratios and Dossier's peak memory.
#
# The files are made from the demo province's people (the person-import CSV `demo --people-csv`
# writes, so every identity number is valid): a social-insurance snapshot and a payroll month of
# ROWS rows each (one pension row per person; one salary per person), and ATTENDANCE_DAYS working
# days of attendance for ATTENDANCE_PEOPLE people.
#
#   scripts/bench-reconcile.sh [ROWS] [ATTENDANCE_PEOPLE] [ATTENDANCE_DAYS]
#       (default 1000000, 200000, 22; needs a release build: make build)
#   DOSSIER_BIN=path scripts/bench-reconcile.sh   (times another build)
#
# Targets (issue 12): each import at most 3x its plain .import; peak memory under 300 MB.
# The reconciliation run (`reconcile run`) is not built yet: this script times the imports only.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
attendance_people="${2:-200000}"
attendance_days="${3:-22}"
bin="${DOSSIER_BIN:-.build/release/dossier}"
[ -x "$bin" ] || { echo "Build first: make build" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Preparing the feeds from $rows demo people …"
"$bin" demo --data "$work/node" --people "$rows" --seed 1 --people-csv "$work/people.csv" >/dev/null
python3 - "$work" "$attendance_people" "$attendance_days" <<'PY'
import csv, datetime, sys
work, att_people, att_days = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(f"{work}/people.csv", newline="", encoding="utf-8") as f:
    people = [(r["id_number"], r["name"], r["org_code"]) for r in csv.DictReader(f)]
with open(f"{work}/social-insurance.csv", "w", encoding="utf-8") as out:
    out.write("公民身份号码,姓名,单位统一社会信用代码,险种类型,个人缴费状态,离退休标志,状态变更日期\n")
    for i, (id_number, name, org) in enumerate(people):
        status = "2" if i % 97 == 0 else "1"
        out.write(f"{id_number},{name},{org},110,{status},0,2026-10-01\n")
with open(f"{work}/payroll.csv", "w", encoding="utf-8") as out:
    out.write("公民身份号码,姓名,单位统一社会信用代码,发放年月,应发合计,实发合计\n")
    for i, (id_number, name, org) in enumerate(people):
        gross = 6000 + (i % 5000)
        out.write(f"{id_number},{name},{org},2026-10,{gross}.00,{gross * 0.8:.2f}\n")
days, day = [], datetime.date(2026, 10, 1)
while len(days) < att_days:
    if day.weekday() < 5:
        days.append(day.isoformat())
    day += datetime.timedelta(days=1)
with open(f"{work}/attendance.csv", "w", encoding="utf-8") as out:
    out.write("公民身份号码,姓名,日期,考勤状态\n")
    for i, (id_number, name, _) in enumerate(people[:att_people]):
        for d in days:
            out.write(f"{id_number},{name},{d},{'旷工' if i % 211 == 0 else '出勤'}\n")
PY
sync

printf "%-17s %10s %12s %8s %12s %7s\n" "feed" "rows" "sqlite3 (s)" "dossier" "peak (MB)" "ratio"
for kind in social-insurance payroll attendance; do
    file="$work/$kind.csv"
    lines=$(($(wc -l < "$file") - 1))
    # Reference: a plain table, every column TEXT, no checks, no indexes.
    columns=$(head -1 "$file" | python3 -c 'import sys; print(", ".join(f"c{i} TEXT" for i, _ in enumerate(sys.stdin.readline().split(","))))')
    printf "CREATE TABLE feed(%s);\n.import --csv --skip 1 %s feed\n" "$columns" "$file" > "$work/plain.sql"
    rm -f "$work/plain.sqlite"
    /usr/bin/time -f "%e %M" -o "$work/sqlite.time" sqlite3 "$work/plain.sqlite" < "$work/plain.sql"
    /usr/bin/time -f "%e %M" -o "$work/dossier.time" \
        "$bin" reconcile import --data "$work/node" --kind "$kind" "$file" --as-of 2026-10-31 >/dev/null
    read -r s_time _ < "$work/sqlite.time"
    read -r d_time d_rss < "$work/dossier.time"
    ratio=$(python3 -c "print(f'{float(\"$d_time\") / max(float(\"$s_time\"), 0.01):.2f}x')")
    printf "%-17s %10d %12s %8s %12d %7s\n" "$kind" "$lines" "$s_time" "$d_time" $((d_rss / 1024)) "$ratio"
done
echo "targets: each import at most 3x its plain .import; peak memory under 300 MB"
