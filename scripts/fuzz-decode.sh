#!/bin/sh
# Fuzzes decode + validate for SECONDS seconds.
#   scripts/fuzz-decode.sh BUILD_DIR [SECONDS]     (default: 60)
# BUILD_DIR holds the fuzz-decode target (cmake -DLULL_FUZZ=ON, clang). The
# corpus lives in BUILD_DIR/fuzz-decode-corpus and is seeded, the first time,
# with every module of the official testsuite (wast2json's .wasm files).
# Crashing inputs go to BUILD_DIR/fuzz-decode-artifacts/.
set -eu
build=${1:?usage: scripts/fuzz-decode.sh BUILD_DIR [SECONDS]}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/tests/fuzz/fuzz-decode
corpus=$build/fuzz-decode-corpus
artifacts=$build/fuzz-decode-artifacts
[ -x "$bin" ] || { echo "fuzz-decode: $bin not built" >&2; exit 1; }
mkdir -p "$corpus" "$artifacts"

if [ -z "$(ls -A "$corpus")" ]; then
  suite=$("$root/spec-tests/find-testsuite.sh" "$build") || {
    echo "fuzz-decode: no testsuite to seed from; starting empty" >&2
    suite=
  }
  if [ -n "$suite" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    for w in "$suite"/*.wast; do
      name=$(basename "$w" .wast)
      mkdir -p "$tmp/$name"
      # Some files use features this wast2json does not know; their other
      # modules are still worth having.
      wast2json "$w" -o "$tmp/$name/$name.json" >/dev/null 2>&1 || true
    done
    n=0
    for f in "$tmp"/*/*.wasm; do
      [ -f "$f" ] || continue
      cp "$f" "$corpus/$(basename "$(dirname "$f")")-$(basename "$f")"
      n=$((n + 1))
    done
    echo "fuzz-decode: seeded $n modules from $suite"
  fi
fi

# Modules of the testsuite reach tens of KiB; allow a bit more.
"$bin" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$corpus"
