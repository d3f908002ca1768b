#!/bin/sh
# Instructions per round trip of each way of bench-suspend, from callgrind:
# a figure that, unlike time, other processes on the machine do not move.
#
#   bench/suspend/callgrind.sh BENCH_SUSPEND [VALGRIND]
#
# For each way and depth, the whole program runs twice under callgrind,
# with N and 2N round trips (bench-suspend --once); the difference of the
# two counts over N leaves out loading, instantiating and exiting.
# User-space instructions only: the system calls glibc's swapcontext makes
# (two per fiber switch) count as one instruction each here, though they
# cost more time than anything else in the fibers' round trip.
set -eu

bench=$1
valgrind=${2:-valgrind}
n=${TRIPS:-4000}

count() {
  "$valgrind" --tool=callgrind --callgrind-out-file=/dev/null \
    "$bench" --once "$1" "$2" "$3" 2>&1 >/dev/null |
    sed -n 's/^==[0-9]*== Collected : *\([0-9]*\).*/\1/p'
}

per_trip() {
  a=$(count "$1" "$2" "$n")
  b=$(count "$1" "$2" $((2 * n)))
  if [ -z "$a" ] || [ -z "$b" ]; then
    echo "-"
  else
    echo $(((b - a) / n))
  fi
}

echo "instructions per round trip (callgrind; $n and $((2 * n)) trips)"
printf '%-17s %10s %10s\n' way "depth 1" "depth 50"
for way in suspend return fiber fiber-asm asyncify asyncify-globals; do
  printf '%-17s %10s %10s\n' "$way" "$(per_trip "$way" 1)" \
    "$(per_trip "$way" 50)"
done
