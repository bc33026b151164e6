#!/usr/bin/env bash
# Crash safety, proven by killing: starts a write, kills the process with SIGKILL at a random
# moment, then runs `dossier check` on the node. The node must pass the check, and the
# interrupted work must be wholly there or wholly absent: never half. The kinds of write:
#
#   import    person import of ROWS rows (one transaction)
#   approve   an approval of a drafted exit (the action, its placements, the draft's state)
#   doc       a document added (file stored, then its record)
#   pack      an archive package written (to DATA/packages, renamed into place once whole)
#   backup    dossier backup (into the data directory, renamed into place once whole)
#   exchange  a transfer package imported by the receiving node
#
# Each kill lands at a random moment between the time a command takes to start and open the
# node and the time the write takes uninterrupted (both measured first), so that most kills
# land in the write itself. Prints each kill's outcome and a summary; exits 1 if any
# kill leaves the node inconsistent or the work half done.
#
#   scripts/crash-test.sh [KILLS_PER_KIND] [ROWS]   (default 5 and 50000: 30 kills)
#   DOSSIER_BIN=.build/debug/dossier scripts/crash-test.sh 1 5000   (the reduced run of make test)
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-5}"
rows="${2:-50000}"
bin="${DOSSIER_BIN:-.build/release/dossier}"
[ -x "$bin" ] || { echo "Build first: make build (or set DOSSIER_BIN)" >&2; exit 1; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
export LC_ALL=C.UTF-8
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
today=2026-06-30

# Credit codes with their check characters, worked out by Dossier's own rule.
codes=$(python3 - <<'PY'
chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
for serial in ("Q00000001", "Q00000002", "A00000001", "A00000002"):
    body = "11390000" + serial
    total = sum(chars.index(c) * w for c, w in zip(body, weights))
    print(body + chars[(31 - total % 31) % 31])
PY
)
read -r org_a org_b agency_a agency_b <<< "$(echo $codes)"

q() { "$bin" "$@" >/dev/null; }

echo "Preparing the nodes …"
python3 - "$work/people.csv" "$rows" "$org_a" <<'PY'
import datetime, sys
path, total, org = sys.argv[1], int(sys.argv[2]), sys.argv[3]
columns = ["id_number", "name", "sex", "birth_date", "ethnicity", "education", "political_status", "phone",
           "org_code", "category", "rank", "post", "status", "hired_on"]
weights = [pow(2, 17 - i, 11) for i in range(17)]
with open(path, "w", encoding="utf-8") as f:
    f.write(",".join(columns) + "\n")
    for i in range(total):
        born = datetime.date(1970, 1, 1) + datetime.timedelta(days=i // 999)
        body = f"110105{born:%Y%m%d}{1 + i % 999:03d}"
        number = body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
        row = {"id_number": number, "name": f"导入{i}", "ethnicity": "01", "education": "20",
               "political_status": "13", "org_code": org, "category": "admin", "status": "active",
               "hired_on": "2020-06-01"}
        f.write(",".join(row.get(c, "") for c in columns) + "\n")
PY
python3 -c "
import os, sys
open('$work/scan.pdf', 'wb').write(b'%PDF-1.5\n' + os.urandom(4_000_000) + b'\n%%EOF\n')"

template="$work/template"
for node in a b; do
    agency=$agency_a; name=甲厅
    [ "$node" = b ] && agency=$agency_b && name=乙厅
    d=(--data "$template/$node" --today "$today")
    q init "${d[@]}" --agency "$agency" --agency-name "$name"
    q user add officer --role officer --whole-node "${d[@]}"
    q user add approver --role approver --whole-node "${d[@]}"
    q keys generate --alg ed25519 "${d[@]}"
    "$bin" keys export "${d[@]}" > "$work/$node.pem"
done
a=(--data "$template/a" --today "$today")
b=(--data "$template/b" --today "$today")
# Acting as a user other than admin needs their API token (copies of a node keep them).
officer_a=$("$bin" user token officer --label crash-test "${a[@]}" 2>/dev/null)
approver_a=$("$bin" user token approver --label crash-test "${a[@]}" 2>/dev/null)
officer_b=$("$bin" user token officer --label crash-test "${b[@]}" 2>/dev/null)
q keys trust "$work/b.pem" --agency "$agency_b" "${a[@]}"
q keys trust "$work/a.pem" --agency "$agency_a" "${b[@]}"
q org add --code "$org_a" --name 甲厅机关 --kind organ --level province "${a[@]}"
q org add --code "$org_b" --name 乙厅机关 --kind organ --level province "${b[@]}"
q quota set "$org_a" --category admin --approved 1000000 --from 2020-01-01 "${a[@]}"
q quota set "$org_b" --category admin --approved 1000000 --from 2020-01-01 "${b[@]}"
head -n 11 "$work/people.csv" > "$work/few.csv"
q person import "$work/few.csv" "${a[@]}"
for person in 1 2 3; do
    q doc add "$person" "$work/scan.pdf" --class 4-1 --title "扫描件" --date 2020-01-01 "${a[@]}"
done
# A drafted exit to approve; a transfer package from A to B to import.
DOSSIER_TOKEN=$officer_a q action draft 4 --kind resign --on "$today" "${a[@]}"
exit_draft=$("$bin" action list --all --format json "${a[@]}" | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["id"])')
DOSSIER_TOKEN=$officer_a q action draft 1 --kind transfer-out --on "$today" --to "$agency_b" --reason 调任 "${a[@]}"
transfer_draft=$("$bin" action list --all --format json "${a[@]}" | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["id"])')
DOSSIER_TOKEN=$approver_a q action approve "$transfer_draft" "${a[@]}"
DOSSIER_TOKEN=$officer_a q exchange export --action "$transfer_draft" --out "$work/transfer.tar" "${a[@]}"
sed -n '12,$p' "$work/people.csv" > "$work/rows.body"
{ head -n 1 "$work/people.csv"; cat "$work/rows.body"; } > "$work/import.csv"

# What each kind of write does, run against the node copy in $node_dir (and $peer_dir).
command_for() {
    local kind=$1 out=$2
    case $kind in
        import) echo "exec '$bin' person import '$work/import.csv' --data '$out/a' --today $today" ;;
        approve) echo "exec env DOSSIER_TOKEN=$approver_a '$bin' action approve $exit_draft --data '$out/a' --today $today" ;;
        doc) echo "exec '$bin' doc add 5 '$work/scan.pdf' --class 9-2 --title 新增材料 --date 2026-01-01 --data '$out/a' --today $today" ;;
        pack) echo "exec '$bin' archive pack 2 --data '$out/a' --today $today" ;;
        backup) echo "exec '$bin' backup --out '$out/a/node.backup' --data '$out/a' --today $today" ;;
        exchange) echo "exec env DOSSIER_TOKEN=$officer_b '$bin' exchange import '$work/transfer.tar' --org $org_b --category admin --on $today --data '$out/b' --today $today" ;;
    esac
}

# A fact that must be either its value before the write or its value after it, never another.
fact_for() {
    local kind=$1 out=$2
    local A=(--data "$out/a" --today "$today") B=(--data "$out/b" --today "$today")
    case $kind in
        import) "$bin" person list --limit 1000000 --format json "${A[@]}" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' ;;
        approve) "$bin" action list --all --format json "${A[@]}" | python3 -c "import json,sys; print([d['state'] for d in json.load(sys.stdin) if d['id'] == $exit_draft][0])"
                 ;;
        doc) "$bin" doc list 5 --format json "${A[@]}" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' ;;
        pack) ls "$out/a/packages" 2>/dev/null | grep -c '\.tar$' || true ;;
        backup) if [ -f "$out/a/node.backup" ]; then echo "written"; else echo "absent"; fi ;;
        exchange) "$bin" person list --limit 1000000 --format json "${B[@]}" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' ;;
    esac
}

# Whatever the work wrote must be whole: a package verifies, a backup restores.
whole() {
    local kind=$1 out=$2
    case $kind in
        pack)
            for package in "$out"/a/packages/*.tar; do
                [ -e "$package" ] || continue
                "$bin" archive verify "$package" --data "$out/a" --today "$today" >/dev/null || return 1
            done ;;
        backup)
            if [ -f "$out/a/node.backup" ]; then
                "$bin" restore "$out/a/node.backup" --data "$out/restored" >/dev/null || return 1
            fi ;;
    esac
    return 0
}

failures=0
total=0
summary=""
for kind in ${KINDS:-import approve doc pack backup exchange}; do
    # The values before and after, and the time, from one uninterrupted run; and the time a
    # command takes to start and open the node (a read), so that kills land in the write itself
    # (between the two), not in the start-up, where there is nothing to break.
    rm -rf "$work/run" && cp -a "$template" "$work/run"
    before=$(fact_for "$kind" "$work/run")
    start=$(date +%s%N)
    "$bin" audit head --data "$work/run/a" --today "$today" >/dev/null
    startup=$(( ($(date +%s%N) - start) / 1000000 ))
    start=$(date +%s%N)
    bash -c "$(command_for "$kind" "$work/run")" >/dev/null 2>&1
    took=$(( ($(date +%s%N) - start) / 1000000 ))
    after=$(fact_for "$kind" "$work/run")
    if [ "$before" = "$after" ]; then
        echo "$kind: the uninterrupted write changed nothing ($before); the harness is wrong" >&2
        exit 1
    fi
    passed=0
    for i in $(seq 1 "$kills"); do
        total=$((total + 1))
        rm -rf "$work/run" && cp -a "$template" "$work/run"
        # Worked out before the start: nothing but the sleep between the start and the kill.
        window=$(( took > startup ? took - startup : 1 ))
        delay=$(( startup + (RANDOM * 32768 + RANDOM) % (window + 1) ))
        pause="$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
        bash -c "$(command_for "$kind" "$work/run")" >/dev/null 2>&1 &
        pid=$!
        sleep "$pause"
        kill -9 "$pid" 2>/dev/null || true
        status=0
        wait "$pid" 2>/dev/null || status=$?
        case $status in
            137) state="killed after ${delay} ms" ;;
            0) state="finished before the kill at ${delay} ms" ;;
            *) state="ended with status $status before the kill at ${delay} ms" ;;
        esac
        problems=""
        fact=$(fact_for "$kind" "$work/run")
        [ "$fact" = "$before" ] || [ "$fact" = "$after" ] || problems+=" half-done: '$fact' is neither '$before' nor '$after';"
        for node in a b; do
            if ! "$bin" check --data "$work/run/$node" --today "$today" > "$work/check.out" 2>&1; then
                problems+=" node $node fails its check: $(grep -E 'FAILED|- ' "$work/check.out" | head -3 | tr '\n' ' ');"
            fi
        done
        leftovers=$(find "$work/run" -name '*.partial-*' | wc -l)
        [ "$leftovers" -eq 0 ] || problems+=" $leftovers partial file(s) left after the next start;"
        whole "$kind" "$work/run" || problems+=" what it wrote is not whole;"
        if [ -z "$problems" ]; then
            passed=$((passed + 1))
            echo "  $kind #$i: $state → consistent, work $( [ "$fact" = "$after" ] && echo 'wholly there' || echo 'wholly absent')"
        else
            failures=$((failures + 1))
            echo "  $kind #$i: $state → FAILED:$problems"
        fi
    done
    summary+="$kind: $passed of $kills kills consistent (start-up ${startup} ms, uninterrupted run ${took} ms)"$'\n'
done
echo
printf '%s' "$summary"
echo "$((total - failures)) of $total kills left a consistent node with the work wholly there or wholly absent."
[ "$failures" -eq 0 ]
