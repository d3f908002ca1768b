#!/bin/sh
# Prints the folder holding the official testsuite's .wast files, the first
# of:
#   1. $LULL_TESTSUITE (an error when set but not a folder of .wast files)
#   2. ../shared/wasm-testsuite beside the checkout, or shared/wasm-testsuite
#      beside any folder above it (a clone made one level deeper still
#      finds the shared copy)
#   3. BUILD_DIR/wasm-testsuite, fetched by an earlier run, then
#      /work/shared/wasm-testsuite (the development machines' layout)
#   4. BUILD_DIR/wasm-testsuite, fetched now by fetch-testsuite.sh (needs
#      git and a network)
# Usage: spec-tests/find-testsuite.sh [BUILD_DIR]   (default: build)
# Messages go to stderr; the exit status is non-zero when none is found.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${1:-$root/build}

has_wast() {
  [ -d "$1" ] && ls "$1"/*.wast >/dev/null 2>&1
}

if [ -n "${LULL_TESTSUITE:-}" ]; then
  if has_wast "$LULL_TESTSUITE"; then
    (cd "$LULL_TESTSUITE" && pwd)
    exit 0
  fi
  echo "find-testsuite: LULL_TESTSUITE=$LULL_TESTSUITE holds no .wast files" >&2
  exit 1
fi

dir=$root
while :; do
  parent=$(dirname "$dir")
  if has_wast "$parent/shared/wasm-testsuite"; then
    (cd "$parent/shared/wasm-testsuite" && pwd)
    exit 0
  fi
  [ "$parent" = "$dir" ] && break
  dir=$parent
done
# The build folder's fetched copy, then the shared copy of the machines
# lull is developed and tested on, wherever the checkout was cloned.
for d in "$build/wasm-testsuite" /work/shared/wasm-testsuite; do
  if has_wast "$d"; then
    (cd "$d" && pwd)
    exit 0
  fi
done

echo "find-testsuite: no testsuite found; fetching it into $build/wasm-testsuite" >&2
mkdir -p "$build" || exit 1
if "$here/fetch-testsuite.sh" "$build/wasm-testsuite" >&2 &&
   has_wast "$build/wasm-testsuite"; then
  (cd "$build/wasm-testsuite" && pwd)
  exit 0
fi
echo "find-testsuite: no testsuite. Set LULL_TESTSUITE to a folder of .wast files," >&2
echo "  put one at $root/../shared/wasm-testsuite, or run" >&2
echo "  spec-tests/fetch-testsuite.sh $build/wasm-testsuite with a network." >&2
exit 1
