#!/usr/bin/env bash
# Measures `dossier backup` of a demo province of ROWS people with DOCS document files of about
# 200 KB each, against what the issue compares it with, in the same run: SQLite's own online
# backup (`sqlite3 DB ".backup FILE"`) of the same database plus a pax tar of the blob folder
# (`bsdtar`). Prints the best of 3 of each, the ratio, the sizes, and `dossier restore` of the
# same backup (checked, keys included) for the record.
#
#   scripts/bench-backup.sh [ROWS] [DOCS]   (default 1000000 500; needs a release build: make build)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
docs="${2:-500}"
bin="${DOSSIER_BIN:-.build/release/dossier}"
[ -x "$bin" ] || { echo "Build first: make build" >&2; exit 1; }
for tool in sqlite3 bsdtar python3; do
    command -v "$tool" >/dev/null || { echo "$tool is needed: apt-get install sqlite3 libarchive-tools python3" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
node="$work/node"

echo "Loading a demo province of $rows people …"
/usr/bin/time -f "  demo took %e s" "$bin" demo --data "$node" --people "$rows" --seed 1 >/dev/null
"$bin" keys generate --data "$node" --alg ed25519 >/dev/null
echo "Adding $docs document files of about 200 KB …"
mkdir -p "$work/scans"
python3 - "$work/scans" "$docs" <<'PY'
import os, sys
folder, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    with open(os.path.join(folder, f"{i}.pdf"), "wb") as f:
        f.write(b"%PDF-1.5\n" + os.urandom(200_000) + b"\n%%EOF\n")
PY
for i in $(seq 0 $((docs - 1))); do
    "$bin" doc add $((i + 1)) "$work/scans/$i.pdf" --class 4-1 --title "扫描件 $i" --date 2020-01-01 --data "$node" >/dev/null
done
rm -rf "$work/scans"
sync

# Best wall time of 3 runs of a shell command line (each run starts from a clean output).
best() {
    local best=999999
    for _ in 1 2 3; do
        rm -f "$work"/out*
        sync
        local start end
        start=$(date +%s.%N)
        bash -c "$1" >/dev/null
        end=$(date +%s.%N)
        best=$(python3 -c "print(round(min($best, $end - $start), 3))")
    done
    echo "$best"
}

reference=$(best "sqlite3 '$node/dossier.sqlite' \".backup '$work/out.sqlite'\" && cd '$node' && bsdtar --format pax -cf '$work/out-blobs.tar' blobs")
dossier=$(best "'$bin' backup --data '$node' --out '$work/out.backup'")
"$bin" backup --data "$node" --out "$work/kept.backup" >/dev/null
echo "correct horse battery staple" | "$bin" keys backup --data "$node" --out "$work/kept.keys" >/dev/null

db_bytes=$(stat -c %s "$node/dossier.sqlite")
blob_bytes=$(du -sb "$node/blobs" | cut -f1)
backup_bytes=$(stat -c %s "$work/kept.backup")
start=$(date +%s.%N)
echo "correct horse battery staple" | "$bin" restore "$work/kept.backup" --data "$work/restored" --keys "$work/kept.keys" >/dev/null
restore=$(python3 -c "print(round($(date +%s.%N) - $start, 3))")

echo
echo "database $((db_bytes / 1000000)) MB, document files $((blob_bytes / 1000000)) MB, backup $((backup_bytes / 1000000)) MB"
echo "sqlite3 .backup + bsdtar of blobs : ${reference} s"
echo "dossier backup                    : ${dossier} s"
python3 -c "print(f'ratio                             : {$dossier / $reference:.2f}x (target: at most 2x)')"
echo "dossier restore (checked)         : ${restore} s"
