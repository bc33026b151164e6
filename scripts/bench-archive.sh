#!/usr/bin/env bash
# Packs and verifies COUNT documents of SIZE KB (default 10,000 × 50 KB = 512 MB) with Dossier's
# package code and, in the same run, with the stock pipeline: `bsdtar --format pax -cf` plus
# `openssl dgst -sha256` and `-sm3` over every file for packing, `bsdtar -xf` plus the same
# digests for verifying. Prints the times, the ratios and Dossier's peak memory.
#
#   scripts/bench-archive.sh [COUNT] [SIZE_KB]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"
size_kb="${2:-50}"
swift build -c release --product dossier-bench >/dev/null
bench=.build/release/dossier-bench
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export LC_ALL=C.UTF-8

echo "Writing $count files of $size_kb KB …"
mkdir -p "$work/files"
python3 - "$work/files" "$count" "$size_kb" <<'PY'
import os, sys
folder, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) * 1024
for i in range(count):
    with open(os.path.join(folder, f"doc-{i:06d}.pdf"), "wb") as f:
        f.write(b"%PDF-1.4\n" + os.urandom(size - 9))
PY
openssl genpkey -algorithm ed25519 -out "$work/key.pem" 2>/dev/null
openssl pkey -in "$work/key.pem" -pubout -out "$work/pub.pem"
sync

timed() { # wall seconds and peak KB of a command
  /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null
  cat "$work/t"
}
# Stock pack: digests of every file with both algorithms, then the tar.
stock_pack() {
  (cd "$work/files" && ls | xargs openssl dgst -sha256 -r > "$work/m-sha256.txt"
   ls | xargs openssl dgst -sm3 -r > "$work/m-sm3.txt"
   bsdtar --format pax -cf "$work/stock.tar" .)
}
stock_verify() {
  rm -rf "$work/x" && mkdir "$work/x"
  bsdtar -xf "$work/stock.tar" -C "$work/x"
  (cd "$work/x" && ls | xargs openssl dgst -sha256 -r > /dev/null && ls | xargs openssl dgst -sm3 -r > /dev/null)
}
export -f stock_pack stock_verify
export work

read -r sp _ < <(timed bash -c stock_pack)
read -r dp dpm < <(timed "$bench" pack "$work/files" "$work/dossier.tar" "$work/key.pem")
read -r sv _ < <(timed bash -c stock_verify)
read -r dv dvm < <(timed "$bench" verify "$work/dossier.tar" "$work/pub.pem")
echo "pack   : dossier ${dp} s (peak $((dpm / 1024)) MB), stock ${sp} s"
echo "verify : dossier ${dv} s (peak $((dvm / 1024)) MB), stock ${sv} s"
python3 -c "print(f'ratios : pack {$dp/$sp:.2f}x (target 1.2x), verify {$dv/$sv:.2f}x (target 1.0x), memory target 100 MB')"
