#!/bin/sh
# Snapshots between CPU architectures: this machine's lull and lull built
# for aarch64 (make test-cross), run under qemu-user, each save guests
# that the other resumes to the same end. CTest's test_snapshot_cross.
#
#   scripts/cross-snapshot.sh HOST_BUILD AARCH64_BUILD
#
# 1. scripts/snapshot-matrix.sh with both builds' helper_snapshot_values:
#    a guest parked 21 frames deep with f32, f64 and v128 NaN payloads,
#    and out of fuel in loops; the stored snapshots too.
# 2. The lull command: tests/cross/wasi_sleep.wat, saved on SIGUSR1 while
#    it sleeps 12 frames deep with a file open, resumed by the other
#    architecture's `lull resume`, prints what an uninterrupted run does.
#
# Exits 77, which CTest reports as skipped, saying so plainly, when the
# aarch64 build or qemu-aarch64 is not there.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
host=$1
cross=$2
if ! command -v qemu-aarch64 >/dev/null 2>&1; then
  echo "SKIPPED: qemu-aarch64 is not installed (make test-cross installs it," \
       "builds lull for aarch64 and runs this test)"
  exit 77
fi
if [ ! -x "$cross/helper_snapshot_values" ] || [ ! -x "$cross/lull" ]; then
  echo "SKIPPED: no aarch64 build of lull in $cross (make test-cross makes" \
       "it and runs this test)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The aarch64 programs (linked statically), run as the host's are: under
# qemu.
for p in helper_snapshot_values lull; do
  printf '#!/bin/sh\nexec qemu-aarch64 "%s" "$@"\n' \
    "$cross/$p" >"$tmp/aarch64-$p"
  chmod +x "$tmp/aarch64-$p"
done
status=0
"$src/scripts/snapshot-matrix.sh" "$host/tests/helper_snapshot_values" \
  "$tmp/aarch64-helper_snapshot_values" || status=1

mkdir "$tmp/dir"
printf 'hello world, from the file\n' >"$tmp/dir/data.txt"
"$host/lull-wat" "$src/tests/cross/wasi_sleep.wat" -o "$tmp/guest.wasm" || exit 1
"$host/lull" run --dir "$tmp/dir::." "$tmp/guest.wasm" >"$tmp/want" || status=1

# round_trip NAME SAVER RESUMER: SAVER's lull runs the guest and saves it
# on SIGUSR1 once it sleeps; RESUMER's lull resumes it; together they must
# print what the uninterrupted run did.
round_trip() {
  snap=$tmp/$1.snap
  "$2" run --snapshot-on SIGUSR1 --snapshot-file "$snap" --dir "$tmp/dir::." \
    "$tmp/guest.wasm" >"$tmp/out1" 2>"$tmp/err1" </dev/null &
  pid=$!
  i=0
  while ! grep -q ready "$tmp/out1" 2>/dev/null && [ $i -lt 200 ]; do
    i=$((i + 1))
    sleep 0.05
  done
  sleep 0.3
  kill -USR1 "$pid"
  wait "$pid"
  rc=$?
  "$3" resume --dir "$tmp/dir" "$snap" >"$tmp/out2" 2>"$tmp/err2"
  cat "$tmp/out1" "$tmp/out2" >"$tmp/got"
  if [ "$rc" = 0 ] && [ -s "$snap" ] && cmp -s "$tmp/got" "$tmp/want"; then
    echo "ok   WASI guest saved while sleeping: $1"
  else
    echo "FAIL WASI guest saved while sleeping: $1 (save status $rc)"
    cat "$tmp/err1" "$tmp/got" "$tmp/err2"
    status=1
  fi
}
round_trip "x86-64 -> aarch64" "$host/lull" "$tmp/aarch64-lull"
round_trip "aarch64 -> x86-64" "$tmp/aarch64-lull" "$host/lull"
exit $status
