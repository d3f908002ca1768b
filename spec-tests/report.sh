#!/bin/sh
# make spec-report: every command of both testsuites, failures included,
# pending files too (each file's line, then the suite's total), then what
# pending.txt says against what ran: the failures in pending files and in
# the others, and the pending files that pass already (delete their
# lines).
# Usage: spec-tests/report.sh BUILD_DIR [SUITE2_DIR [SUITE3_DIR]]
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
spectest=$build/lull-spectest
status=0

suite2=${2:-}
[ -n "$suite2" ] || suite2=$("$here/find-testsuite.sh" "$build") || status=1
if [ -n "$suite2" ]; then
  echo "== Wasm 2.0 testsuite ($suite2), --features=2.0"
  "$spectest" --allow-failures --features=2.0 "$suite2"/*.wast || status=1
fi

suite3=${3:-}
[ -n "$suite3" ] || suite3=$("$here/find-testsuite.sh" --suite=3.0 "$build") || status=1
if [ -n "$suite3" ]; then
  echo "== Wasm 3.0 testsuite ($suite3)"
  out=$("$spectest" --allow-failures "$suite3") || status=1
  printf '%s\n' "$out"
  printf '%s\n' "$out" | awk -v pending="$here/pending.txt" '
    BEGIN {
      while ((getline line < pending) > 0)
        if (line !~ /^[ \t]*(#|$)/) { split(line, f, /[ \t]+/); p[f[1]] = 1 }
    }
    /^[^ ].*: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$/ && !/^spec:/ {
      file = $0; sub(/: [0-9]+ passed.*/, "", file)
      n = split($0, w, " ")
      failed = w[n - 3]; skipped = w[n - 1]
      if (file in p) {
        pf += failed
        if (failed == 0 && skipped == 0) passing = passing "  " file "\n"
      } else {
        of += failed
      }
    }
    END {
      printf "pending files: %d failed; the others: %d failed\n", pf, of
      if (passing != "")
        printf "pending files that pass now (delete their lines):\n%s", passing
    }'
fi
exit $status
