#!/bin/sh
# Moves snapshots between lull builds: every build given writes snapshots
# of tests/data/snapshots/snap_values.wasm (parked in a host call 21 frames
# deep, and out of fuel in a loop, early and late), and every build,
# itself included, resumes each to the result of an uninterrupted run.
# Every build also resumes the snapshots stored in tests/data/snapshots to
# the results listed there. Ends with the line "N passed, N failed" (one
# per writer, reader and snapshot, and per build and stored snapshot).
#
#   scripts/snapshot-matrix.sh HELPER...
#
# Each HELPER is a build's tests/helper_snapshot_values, or a program that
# runs one (under qemu-user, say) with the same arguments.
set -u
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../tests/data/snapshots
module=$data/snap_values.wasm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
helpers=$*
pass=0
fail=0
# check WHAT GOT WANT: one result, counted.
check() {
  if [ "$2" = "$3" ]; then
    echo "ok   $1"
    pass=$((pass + 1))
  else
    echo "FAIL $1: '$2', not $3"
    fail=$((fail + 1))
  fi
}
if [ -z "$helpers" ]; then
  echo "snapshot matrix: no build given"
  echo "0 passed, 1 failed"
  exit 1
fi
for w in $helpers; do
  if ! want=$("$w" run "$module"); then
    echo "FAIL $w cannot run the guest"
    fail=$((fail + 1))
    continue
  fi
  for spec in "157 0" "-1 900" "-1 20000"; do
    stop=${spec% *}
    fuel=${spec#* }
    snap=$tmp/snap
    if ! "$w" take "$module" "$snap" "$stop" "$fuel"; then
      echo "FAIL $w cannot take a snapshot (stop $stop, fuel $fuel)"
      fail=$((fail + 1))
      continue
    fi
    for r in $helpers; do
      check "$w -> $r (stop $stop, fuel $fuel)" \
        "$("$r" resume "$module" "$snap")" "$want"
    done
  done
done
for r in $helpers; do
  while read -r file mod want; do
    case $file in '#'* | '') continue ;; esac
    check "stored $file -> $r" "$("$r" resume "$data/$mod" "$data/$file")" \
      "$want"
  done <"$data/results"
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
