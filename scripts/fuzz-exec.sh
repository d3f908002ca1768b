#!/bin/sh
# Differential execution fuzzing against binaryen's interpreter.
#
#   scripts/fuzz-exec.sh BUILD_DIR [SECONDS]          random modules for
#                                                     SECONDS (default 60)
#   scripts/fuzz-exec.sh --seeds N BUILD_DIR [_]      N fixed modules (their
#                                                     seeds are slices of
#                                                     lull's own sources)
#
# Each module comes from binaryen's translate-to-fuzz (wasm-opt -ttf, with
# --denan so that results are exact, and the 2.0 features binaryen 108 can
# generate but SIMD, see below); wasm-opt --fuzz-exec-before runs it in binaryen's interpreter
# and lull-fuzz-exec runs it in lull and compares every call, logged value,
# result and trap. Each module is run six ways: plainly, with fuel 1, 7 and
# 1,000 per slice, with every host call suspending, and with fuel 7,
# suspending host calls and a snapshot written and read back at every park.
# A module whose output differs is kept in BUILD_DIR/fuzz-exec-failures/
# with binaryen's output. The last line is "fuzz-exec: M modules, R runs,
# D differences, S skipped".
set -u
seeds=0
if [ "${1:-}" = "--seeds" ]; then
  seeds=$2
  shift 2
fi
build=${1:?usage: scripts/fuzz-exec.sh [--seeds N] BUILD_DIR [SECONDS]}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
tool=$build/tests/lull-fuzz-exec
[ -x "$tool" ] || { echo "fuzz-exec: $tool not built" >&2; exit 1; }
command -v wasm-opt >/dev/null || { echo "fuzz-exec: wasm-opt (binaryen) not installed" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=$build/fuzz-exec-failures
# Not SIMD: --denan does not reach v128 arithmetic, whose NaN results the
# spec lets differ (binaryen gives the canonical NaN, lull may keep an
# operand's), and such a NaN flows into integers through lanes and memory.
# The spec suites and test_simd (x86 forms against portable C) cover it.
features="--enable-sign-ext --enable-nontrapping-float-to-int \
--enable-bulk-memory --enable-multivalue --enable-mutable-globals"

modules=0 runs=0 diffs=0 skipped=0
end=$(($(date +%s) + seconds))
i=0
while :; do
  i=$((i + 1))
  if [ "$seeds" -gt 0 ]; then
    [ "$i" -le "$seeds" ] || break
    cat "$root"/interp/*.c | tail -c +$((i * 4099 + 1)) | head -c 4096 \
      >"$work/seed"
  else
    [ "$(date +%s)" -lt "$end" ] || break
    head -c $((1024 + i % 8 * 1024)) /dev/urandom >"$work/seed"
  fi
  # shellcheck disable=SC2086
  wasm-opt "$work/seed" -ttf --denan $features -o "$work/m.wasm" \
    >/dev/null 2>&1 || continue
  # shellcheck disable=SC2086
  wasm-opt "$work/m.wasm" $features --fuzz-exec-before >"$work/expect" 2>&1 ||
    continue
  modules=$((modules + 1))
  for mode in "" "--fuel 1" "--fuel 7" "--fuel 1000" "--suspend" \
    "--fuel 7 --suspend --snapshot"; do
    runs=$((runs + 1))
    # shellcheck disable=SC2086
    "$tool" $mode --expect "$work/expect" "$work/m.wasm" >"$work/out" 2>&1
    rc=$?
    if [ "$rc" = 3 ]; then
      skipped=$((skipped + 1))
      continue
    fi
    if [ "$rc" != 0 ]; then
      diffs=$((diffs + 1))
      mkdir -p "$fails"
      n=$(date +%s)-$i
      cp "$work/m.wasm" "$fails/$n.wasm"
      cp "$work/expect" "$fails/$n.binaryen.txt"
      echo "fuzz-exec: module $i, lull-fuzz-exec $mode: $(cat "$work/out")"
      echo "  kept as $fails/$n.wasm"
    fi
  done
done
echo "fuzz-exec: $modules modules, $runs runs, $diffs differences, $skipped skipped"
[ "$diffs" = 0 ]
