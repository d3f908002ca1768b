#!/bin/sh
# run.sh -- builds and runs the consumers of lull one way:
#   run.sh pkg-config       BUILD SOURCE WORK [SANITIZE]
#   run.sh find_package     BUILD SOURCE WORK [SANITIZE]
#   run.sh add_subdirectory BUILD SOURCE WORK [SANITIZE]
# The first two install BUILD into WORK/prefix (cmake --install); the
# third builds SOURCE as a part of a project of its own. SANITIZE=ON when
# lull was built with LULL_SANITIZE, whose archives need the sanitizers'
# runtimes in the consumer's link too.
set -eu
mode=$1 build=$2 src=$3 work=$4 sanitize=${5:-OFF}
here=$src/tests/consumer
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix

san=""
if [ "$sanitize" = ON ]; then
  san="-fsanitize=address,undefined"
fi

check() { # the two programs' outputs
  out=$("$1/consumer_core")
  [ "$out" = "add(2, 40) = 42" ] || { echo "consumer_core said: $out" >&2; exit 1; }
  out=$("$1/consumer")
  want=$(printf 'add(20, 22) = 42\nscheduler ok')
  [ "$out" = "$want" ] || { echo "consumer said: $out" >&2; exit 1; }
}

case $mode in
pkg-config)
  cmake --install "$build" --prefix "$prefix" >/dev/null
  pcdir=$(dirname "$(find "$prefix" -name lull.pc)")
  [ -f "$pcdir/lull-core.pc" ] || { echo "no lull-core.pc in $pcdir" >&2; exit 1; }
  # lull-core alone names no libuv, in its flags or its libraries.
  if PKG_CONFIG_PATH=$pcdir pkg-config --cflags --static --libs lull-core |
     grep -q uv; then
    echo "lull-core.pc pulls in libuv" >&2; exit 1
  fi
  [ -x "$prefix/bin/lull" ] || { echo "no bin/lull installed" >&2; exit 1; }
  # Nothing but lull's own headers in include/lull.
  ls "$prefix/include/lull" | grep -v -e '^lull.*\.h$' -e '^wasm\.h$' && exit 1
  make -s -C "$work" -f "$here/Makefile" SRC="$here" \
    PKG_CONFIG_PATH="$pcdir" CFLAGS="-O1 $san"
  check "$work"
  ;;
find_package)
  cmake --install "$build" --prefix "$prefix" >/dev/null
  cmake -S "$here/find_package" -B "$work/b" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_FLAGS="$san" >/dev/null
  cmake --build "$work/b" -j2 >/dev/null
  check "$work/b"
  ;;
add_subdirectory)
  cmake -S "$here/add_subdirectory" -B "$work/b" -DLULL_SOURCE="$src" \
    -DLULL_SANITIZE="$sanitize" >/dev/null
  cmake --build "$work/b" -j2 >/dev/null
  # No test of lull's was registered in the parent's build.
  if [ -n "$(ctest --test-dir "$work/b" -N | grep -E '^ *Test *#')" ]; then
    echo "lull registered tests in its parent" >&2; exit 1
  fi
  check "$work/b"
  ;;
*)
  echo "run.sh: unknown mode $mode" >&2; exit 2 ;;
esac
echo "consumer via $mode: ok"
