#!/bin/sh
# Prints the folder of an official WebAssembly testsuite.
#
# --suite=2.0 (the default): the folder of the Wasm 2.0 .wast files, the
# first of:
#   1. $LULL_TESTSUITE (an error when set but not a folder of .wast files)
#   2. shared/wasm-testsuite beside the checkout or beside any folder above
#      it (../shared/wasm-testsuite for a checkout in a sibling folder; a
#      clone made deeper down still finds the shared copy)
#   3. BUILD_DIR/wasm-testsuite, fetched by an earlier run
#   4. BUILD_DIR/wasm-testsuite, fetched now by fetch-testsuite.sh (needs
#      git and a network)
#
# --suite=3.0: the folder of the Wasm 3.0 .bin.wast scripts (with
# subfolders), the first of:
#   1. $LULL_TESTSUITE3: that folder, or one whose bin/ holds them (an
#      error when it holds neither)
#   2. shared/wasm-spec/bin beside the checkout or any folder above it
# There is nothing to fetch: the binary scripts are written by the spec's
# reference interpreter (see spec-tests/README.md).
#
# Usage: spec-tests/find-testsuite.sh [--suite=2.0|3.0] [BUILD_DIR]
# (BUILD_DIR defaults to build). Messages go to stderr; the exit status is
# non-zero when the suite is not found.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
suite=2.0
case "${1:-}" in
  --suite=*) suite=${1#--suite=}; shift ;;
esac
build=${1:-$root/build}

has_wast() {
  [ -d "$1" ] && ls "$1"/*.wast >/dev/null 2>&1
}

has_bin_wast() {
  [ -d "$1" ] && [ -n "$(find "$1" -name '*.bin.wast' 2>/dev/null | head -n 1)" ]
}

# Prints the first shared/$1 beside the checkout or a folder above it that
# passes test $2.
find_above() {
  dir=$root
  while :; do
    parent=$(dirname "$dir")
    if $2 "$parent/shared/$1"; then
      (cd "$parent/shared/$1" && pwd)
      return 0
    fi
    [ "$parent" = "$dir" ] && return 1
    dir=$parent
  done
}

if [ "$suite" = 3.0 ]; then
  if [ -n "${LULL_TESTSUITE3:-}" ]; then
    for d in "$LULL_TESTSUITE3/bin" "$LULL_TESTSUITE3"; do
      if has_bin_wast "$d"; then
        (cd "$d" && pwd)
        exit 0
      fi
    done
    echo "find-testsuite: LULL_TESTSUITE3=$LULL_TESTSUITE3 holds no .bin.wast files" >&2
    exit 1
  fi
  find_above wasm-spec/bin has_bin_wast && exit 0
  echo "find-testsuite: no Wasm 3.0 testsuite. Set LULL_TESTSUITE3 to a folder" >&2
  echo "  of .bin.wast scripts, or put one at $root/../shared/wasm-spec/bin." >&2
  exit 1
fi

if [ "$suite" != 2.0 ]; then
  echo "find-testsuite: unknown suite $suite (2.0 or 3.0)" >&2
  exit 2
fi

if [ -n "${LULL_TESTSUITE:-}" ]; then
  if has_wast "$LULL_TESTSUITE"; then
    (cd "$LULL_TESTSUITE" && pwd)
    exit 0
  fi
  echo "find-testsuite: LULL_TESTSUITE=$LULL_TESTSUITE holds no .wast files" >&2
  exit 1
fi

find_above wasm-testsuite has_wast && exit 0
if has_wast "$build/wasm-testsuite"; then
  (cd "$build/wasm-testsuite" && pwd)
  exit 0
fi

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
