#!/usr/bin/env bash
# Measures the transfer exchange between two agencies' nodes (issue 14) against archive packing
# and verifying, in the same run: PEOPLE people with DOCS documents of KB kilobytes each (random
# bytes behind a PDF header, so nothing compresses), on node A. For every person, the archive
# side packs the whole file at A (`archive pack`) and verifies the package at B (`archive
# verify`, with B's trust store); the exchange side exports the transfer package at A, imports
# it at B (every document checked and stored, the person placed as a transfer-in draft), writes
# the signed receipt at B and imports it at A. The transfer-ins' approvals at B happen between,
# untimed: they are quota work, not exchange. Both sides run through the service's own use
# cases, in-process (dossier-bench exchange), on real SQLite and real files: a `dossier` process
# per call would time start-up, four calls a person against two. Each round takes fresh people;
# odd rounds run the archive side first, even rounds the exchange side. Prints every phase's
# seconds, both totals and the ratio; then the same through the `dossier` command for a small
# sample (start-up included), for reference.
#
#   scripts/bench-exchange.sh [PEOPLE] [DOCS] [KB] [ROUNDS]   (default 1000 5 100 2: 500 MB a
#                                                              round; needs a release build:
#                                                              swift build -c release)
#   DOSSIER_BIN=path BENCH_BIN=path scripts/bench-exchange.sh  (times another build)
#   BENCH_CLI_SAMPLE=N scripts/bench-exchange.sh               (people in the CLI sample; default
#                                                              20, 0 skips it)
#   BENCH_KEEP=1 scripts/bench-exchange.sh                     (keeps the nodes, to look into)
#
# Target (issue 14): the whole exchange at most 1.5x the pack + verify time.
set -euo pipefail
cd "$(dirname "$0")/.."
people="${1:-1000}"
docs="${2:-5}"
kb="${3:-100}"
rounds="${4:-2}"
sample="${BENCH_CLI_SAMPLE:-20}"
bin="${DOSSIER_BIN:-.build/release/dossier}"
bench="${BENCH_BIN:-.build/release/dossier-bench}"
[ -x "$bin" ] && [ -x "$bench" ] || { echo "Build first: swift build -c release" >&2; exit 1; }
work="$(mktemp -d)"
if [ -n "${BENCH_KEEP:-}" ]; then echo "Keeping the nodes in $work"; else trap 'rm -rf "$work"' EXIT; fi
export LC_ALL=C.UTF-8
today="$(date -u +%F)"

# Valid credit codes (GB 32100) and resident identity numbers (GB 11643).
codes() {
  python3 - "$@" <<'PY'
import sys
alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
for n in sys.argv[1:]:
    body = "11390000Q" + n.zfill(8)
    print(body + alphabet[(31 - sum(alphabet.index(c) * w for c, w in zip(body, weights)) % 31) % 31])
PY
}
read -r agency_a agency_b org_a org_b < <(codes 701 702 711 712 | paste -sd ' ')
total=$((people * rounds + sample))

a=(--data "$work/a")
b=(--data "$work/b")
echo "Preparing nodes A and B, $total people on A with $docs documents of $kb KB each …"
"$bin" init "${a[@]}" --agency "$agency_a" --agency-name 甲厅 >/dev/null
"$bin" init "${b[@]}" --agency "$agency_b" --agency-name 乙厅 >/dev/null
for node in a b; do
  d=(--data "$work/$node")
  "$bin" user add officer --role officer --whole-node "${d[@]}" >/dev/null
  "$bin" user add approver --role approver --whole-node "${d[@]}" >/dev/null
  "$bin" keys generate --alg sm2 "${d[@]}" >/dev/null
  "$bin" keys export "${d[@]}" > "$work/$node.pem" 2>/dev/null
done
"$bin" keys trust "$work/b.pem" --agency "$agency_b" "${a[@]}" >/dev/null
"$bin" keys trust "$work/a.pem" --agency "$agency_a" "${b[@]}" >/dev/null
"$bin" org add --code "$org_a" --name 甲厅机关 --kind organ --level province "${a[@]}" >/dev/null
"$bin" org add --code "$org_b" --name 乙厅机关 --kind organ --level province "${b[@]}" >/dev/null
"$bin" quota set "$org_a" --category admin --approved "$total" --from 2020-01-01 "${a[@]}" >/dev/null
"$bin" quota set "$org_b" --category admin --approved "$total" --from 2020-01-01 "${b[@]}" >/dev/null
python3 - "$work/people.csv" "$total" "$org_a" <<'PY'
import datetime, sys
path, total, org = sys.argv[1], int(sys.argv[2]), sys.argv[3]
columns = ["id_number", "name", "sex", "birth_date", "ethnicity", "education", "political_status", "phone",
           "org_code", "category", "rank", "post", "status", "hired_on"]
weights = [pow(2, 17 - i, 11) for i in range(17)]
with open(path, "w", encoding="utf-8") as f:
    f.write(",".join(columns) + "\n")
    for i in range(total):
        born = datetime.date(1980, 1, 1) + datetime.timedelta(days=i // 999)
        body = f"110105{born:%Y%m%d}{1 + i % 999:03d}"
        number = body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
        row = {"id_number": number, "name": f"测试{i}", "ethnicity": "01", "education": "20",
               "political_status": "13", "org_code": org, "category": "admin", "status": "active",
               "hired_on": "2020-06-01"}
        f.write(",".join(row.get(c, "") for c in columns) + "\n")
PY
"$bin" person import "$work/people.csv" "${a[@]}" >/dev/null
# Documents and approved transfer-outs for everyone: "PERSON DRAFT" lines, in file order.
"$bench" exchange-seed "$work/a" "$agency_b" 1 "$total" "$docs" "$kb" > "$work/transfers.txt"
sync

grand_archive=0
grand_exchange=0
for round in $(seq 1 "$rounds"); do
  order=archive-first
  [ $((round % 2)) -eq 0 ] && order=exchange-first
  sed -n "$(((round - 1) * people + 1)),$((round * people))p" "$work/transfers.txt" > "$work/round-$round.txt"
  echo "Round $round ($order): $people people × $docs × $kb KB, in-process"
  "$bench" exchange "$work/a" "$work/b" "$work/round-$round.txt" "$org_b" "$work/round-$round" "$order" \
    | tee "$work/round-$round.out"
  grand_archive=$(awk -v s="$grand_archive" '/pack \+ verify/ { print s + $(NF - 1) }' "$work/round-$round.out")
  grand_exchange=$(awk -v s="$grand_exchange" '/^  exchange  / { print s + $(NF - 1) }' "$work/round-$round.out")
  rm -rf "$work/round-$round"
  sync
done
python3 -c "
a, e = $grand_archive, $grand_exchange
print(f'all rounds: pack + verify {a:.2f} s, exchange {e:.2f} s, ratio {e / a:.2f}x (target 1.5x)')"

if [ "$sample" -gt 0 ]; then
  echo "The same through the dossier command, $sample people (process start-up included) …"
  mkdir -p "$work/cli"
  cli_archive=0
  cli_exchange=0
  now() { echo "$EPOCHREALTIME"; }
  add() { awk -v s="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.6f", s + b - a }'; }
  # Acting as officer or approver needs their API token.
  officer_a=$("$bin" user token officer --label bench "${a[@]}" 2>/dev/null)
  officer_b=$("$bin" user token officer --label bench "${b[@]}" 2>/dev/null)
  approver_b=$("$bin" user token approver --label bench "${b[@]}" 2>/dev/null)
  while read -r person draft; do
    t0=$(now)
    DOSSIER_TOKEN=$officer_a "$bin" archive pack "$person" --out "$work/cli/pack-$person.tar" "${a[@]}" >/dev/null
    DOSSIER_TOKEN=$officer_b "$bin" archive verify "$work/cli/pack-$person.tar" "${b[@]}" >/dev/null
    t1=$(now)
    DOSSIER_TOKEN=$officer_a "$bin" exchange export --action "$draft" --out "$work/cli/transfer-$person.tar" "${a[@]}"
    in_draft=$(DOSSIER_TOKEN=$officer_b "$bin" exchange import "$work/cli/transfer-$person.tar" --org "$org_b" --category admin \
      --on "$today" --format json "${b[@]}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["draft"])')
    t2=$(now)
    DOSSIER_TOKEN=$approver_b "$bin" action approve "$in_draft" "${b[@]}" >/dev/null
    t3=$(now)
    DOSSIER_TOKEN=$officer_b "$bin" exchange receipt --action "$in_draft" --out "$work/cli/receipt-$person.tar" "${b[@]}" >/dev/null
    DOSSIER_TOKEN=$officer_a "$bin" exchange import "$work/cli/receipt-$person.tar" "${a[@]}" >/dev/null
    t4=$(now)
    cli_archive=$(add "$cli_archive" "$t0" "$t1")
    cli_exchange=$(add "$(add "$cli_exchange" "$t1" "$t2")" "$t3" "$t4")
  done < <(tail -n "$sample" "$work/transfers.txt")
  python3 -c "
a, e = $cli_archive, $cli_exchange
print(f'dossier command: pack + verify {a:.2f} s, exchange {e:.2f} s (4 calls a person against 2), ratio {e / a:.2f}x')"
fi
