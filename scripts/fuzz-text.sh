#!/bin/sh
# Fuzzes the text format (lull_wat_to_wasm) for SECONDS seconds.
#   scripts/fuzz-text.sh BUILD_DIR [SECONDS]     (default: 60)
# BUILD_DIR holds the fuzz-text target (cmake -DLULL_FUZZ=ON, clang). The
# corpus lives in BUILD_DIR/fuzz-text-corpus and is seeded, the first time,
# with every .wast script of both testsuites (2.0, and the 3.0 sources).
# Crashing inputs go to BUILD_DIR/fuzz-text-artifacts/.
set -eu
build=${1:?usage: scripts/fuzz-text.sh BUILD_DIR [SECONDS]}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/tests/fuzz/fuzz-text
corpus=$build/fuzz-text-corpus
artifacts=$build/fuzz-text-artifacts
[ -x "$bin" ] || { echo "fuzz-text: $bin not built" >&2; exit 1; }
mkdir -p "$corpus" "$artifacts"

if [ -z "$(ls -A "$corpus")" ]; then
  n=0
  if suite=$("$root/spec-tests/find-testsuite.sh" "$build" 2>/dev/null); then
    for w in "$suite"/*.wast; do
      cp "$w" "$corpus/2.0-$(basename "$w")"
      n=$((n + 1))
    done
  fi
  if bin3=$("$root/spec-tests/find-testsuite.sh" --suite=3.0 "$build" 2>/dev/null) &&
     [ -d "$bin3/../test/core" ]; then
    for w in $(find "$bin3/../test/core" -name '*.wast'); do
      rel=${w#"$bin3/../test/core/"}
      cp "$w" "$corpus/3.0-$(echo "$rel" | tr / -)"
      n=$((n + 1))
    done
  fi
  echo "fuzz-text: seeded $n scripts"
fi

# Scripts reach a few hundred KiB; inputs are cut at 64 KiB.
"$bin" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$corpus"
