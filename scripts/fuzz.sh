#!/bin/sh
# Runs one libFuzzer target for SECONDS seconds.
#   scripts/fuzz.sh TARGET BUILD_DIR [SECONDS]     (default: 60)
# TARGET is decode (binary modules), text (the text format), run
# (execution), snapshot (lull_snapshot_read and resuming what it reads) or
# wasi (random arguments to every WASI function).
# BUILD_DIR holds the fuzz-TARGET program (cmake -DLULL_FUZZ=ON, clang).
# The corpus lives in BUILD_DIR/fuzz-TARGET-corpus and is seeded the first
# time: decode and run with every module of the 2.0 testsuite (wast2json's
# .wasm files) and the benchmark guests, text with the .wast scripts of
# both testsuites, snapshot with the snapshots its own guest writes at its
# parks; wasi starts empty. Crashing inputs go to
# BUILD_DIR/fuzz-TARGET-artifacts/.
set -eu
usage="usage: scripts/fuzz.sh decode|text|run|snapshot|wasi BUILD_DIR [SECONDS]"
target=${1:?$usage}
build=${2:?$usage}
seconds=${3:-60}
case $target in
decode | text | run | snapshot | wasi) ;;
*) echo "$usage" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/tests/fuzz/fuzz-$target
corpus=$build/fuzz-$target-corpus
artifacts=$build/fuzz-$target-artifacts
[ -x "$bin" ] || { echo "fuzz-$target: $bin not built" >&2; exit 1; }
mkdir -p "$corpus" "$artifacts"

seed_modules() {
  n=0
  if suite=$("$root/spec-tests/find-testsuite.sh" "$build" 2>/dev/null); then
    tmp=$(mktemp -d)
    for w in "$suite"/*.wast; do
      name=$(basename "$w" .wast)
      mkdir -p "$tmp/$name"
      # Some files use features this wast2json does not know; their other
      # modules are still worth having.
      wast2json "$w" -o "$tmp/$name/$name.json" >/dev/null 2>&1 || true
    done
    for f in "$tmp"/*/*.wasm; do
      [ -f "$f" ] || continue
      cp "$f" "$corpus/$(basename "$(dirname "$f")")-$(basename "$f")"
      n=$((n + 1))
    done
    rm -rf "$tmp"
  else
    echo "fuzz-$target: no 2.0 testsuite to seed from" >&2
  fi
  for f in "$root"/bench/kernels/*.wasm; do
    [ -f "$f" ] || continue
    cp "$f" "$corpus/bench-$(basename "$f")"
    n=$((n + 1))
  done
  echo "fuzz-$target: seeded $n modules"
}

seed_scripts() {
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
  echo "fuzz-$target: seeded $n scripts"
}

if [ -z "$(ls -A "$corpus")" ]; then
  case $target in
  decode | run) seed_modules ;;
  text) seed_scripts ;;
  snapshot)
    # One empty run writes the guest's snapshots into the corpus.
    LULL_FUZZ_SEED_DIR=$corpus "$bin" -runs=0 >/dev/null 2>&1 || true
    echo "fuzz-$target: seeded $(ls "$corpus" | wc -l) snapshots" ;;
  esac
fi

# Inputs are cut at 64 KiB: modules of the testsuite reach tens of KiB,
# scripts a few hundred (their beginnings are what matters).
"$bin" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$corpus"
