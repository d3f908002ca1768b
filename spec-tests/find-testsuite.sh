#!/bin/sh
# Prints the folder holding the official testsuite's .wast files, the first
# of:
#   1. $LULL_TESTSUITE (an error when set but not a folder of .wast files)
#   2. ../shared/wasm-testsuite beside the checkout
#   3. BUILD_DIR/wasm-testsuite, fetched by an earlier run
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

for d in "$root/../shared/wasm-testsuite" "$build/wasm-testsuite"; do
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
