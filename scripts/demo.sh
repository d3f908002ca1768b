#!/bin/sh
# The demo (`make demo`): guests that sleep and spin never stop the host's
# event loop, and a sleeping guest moves to a new process.
#
#   scripts/demo.sh BUILD_DIR
#
# Part 1 runs examples/demo_host (a host program with its own 1-second
# timer, using lull_uv.h) with two guests on its loop: examples/sleep.wasm
# sleeps 3 s through WASI, examples/spin.wasm spins 3 s reading the clock.
# The host prints "[host] tick N" every second throughout.
#
# Part 2 starts the sleeping guest with `lull run --snapshot-on SIGUSR1`,
# sends the signal while it sleeps (the process writes the snapshot and
# exits), then `lull resume` continues it in a new process, which prints
# "[wasm] exit" when the original 3 s are up.
set -eu
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EX=$ROOT/examples

cmake --build "$BUILD" -j2 --target lull_cmd demo_host >/dev/null
LULL=$BUILD/lull
HOST=$BUILD/examples/demo_host
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

if [ -t 1 ]; then
  say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
else
  say() { printf '\n%s\n' "$*"; }
fi
secs() { awk "BEGIN { printf \"%.1f\", ($(date +%s%N) - $1) / 1e9 }"; }

say "== 1. A sleeping and a spinning guest on the host's event loop =="
echo "\$ demo_host examples/sleep.wasm examples/spin.wasm"
"$HOST" "$EX/sleep.wasm" "$EX/spin.wasm"

say "== 2. Snapshot a sleeping guest, resume it in a new process =="
echo "\$ lull run --snapshot-on SIGUSR1 --snapshot-file sleep.snap examples/sleep.wasm &"
t0=$(date +%s%N)
"$LULL" run --snapshot-on SIGUSR1 --snapshot-file "$T/sleep.snap" \
  "$EX/sleep.wasm" &
pid=$!
sleep 1
echo "[demo] $(secs "$t0") s: the guest sleeps; \$ kill -USR1 $pid"
kill -USR1 "$pid"
status=0
wait "$pid" || status=$?
echo "[demo] $(secs "$t0") s: process $pid ended with status $status;" \
  "snapshot: $(wc -c <"$T/sleep.snap") bytes"
echo "\$ lull resume sleep.snap"
"$LULL" resume "$T/sleep.snap"
echo "[demo] $(secs "$t0") s: the guest finished in a new process, 3 s after it began"
