#!/usr/bin/env bash
# Plants each bug listed in scripts/mutants.tsv, one at a time, builds, runs only the test filter
# named for it, restores the file and prints whether the tests caught it (killed) or not
# (survived). Slow (a build per mutant): run it on demand, before resolving an issue that touches
# the rules it lists, not in every CI run. The tree is left as it was, even when interrupted.
#
#   scripts/mutants.sh [FILTER]     (only the mutants whose file or test filter contains FILTER)
set -uo pipefail
cd "$(dirname "$0")/.."
only="${1:-}"
backup=""
target=""
restore() { if [ -n "$backup" ] && [ -f "$backup" ]; then cp "$backup" "$target"; rm -f "$backup"; backup=""; fi; }
trap 'restore; exit 130' INT TERM
trap restore EXIT
killed=0 survived=0 broken=0 total=0
started=$(date +%s)
# A tree that does not build as it is would make every mutant look killed.
if ! swift build --build-tests >/dev/null 2>&1; then
  echo "The tree does not build as it is; nothing was planted. Run 'swift build --build-tests' to see why." >&2
  exit 2
fi
while IFS=$'\t' read -r file original mutated filter; do
  case "$file" in ''|'#'*) continue ;; esac
  if [ -n "$only" ] && [[ "$file $filter" != *"$only"* ]]; then continue; fi
  total=$((total + 1))
  count=$(ORIGINAL="$original" python3 -c 'import os,sys; print(open(sys.argv[1]).read().count(os.environ["ORIGINAL"]))' "$file")
  if [ "$count" != 1 ]; then
    echo "BROKEN    $file: the text to mutate occurs $count times (fix scripts/mutants.tsv)"
    broken=$((broken + 1)); continue
  fi
  target="$file"; backup="$(mktemp)"; cp "$file" "$backup"
  ORIGINAL="$original" MUTATED="$mutated" python3 -c '
import os, sys
p = sys.argv[1]; s = open(p).read()
open(p, "w").write(s.replace(os.environ["ORIGINAL"], os.environ["MUTATED"], 1))' "$file"
  if ! swift build --build-tests >/dev/null 2>&1; then
    verdict="killed (does not compile)"; killed=$((killed + 1))
  elif swift test --skip-build --filter "$filter" >/dev/null 2>&1; then
    verdict="SURVIVED"; survived=$((survived + 1))
  else
    verdict="killed"; killed=$((killed + 1))
  fi
  restore
  printf '%-26s %s  [%s]\n' "$verdict" "$file: $mutated" "$filter"
done < scripts/mutants.tsv
swift build --build-tests >/dev/null 2>&1
echo "$total mutants: $killed killed, $survived survived, $broken broken, in $(( $(date +%s) - started )) s"
[ "$survived" -eq 0 ] && [ "$broken" -eq 0 ]
