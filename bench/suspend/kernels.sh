#!/bin/sh
# What preemptibility costs the compute kernels (bench/kernels) on lull:
#
#   1. fuel checks: lull compiles a safepoint (fuel and interrupt check) at
#      every function entry and loop header; the harness's --no-safepoints
#      runs the same compiled code on the dispatch loop built without them. Per kernel, the time and the instruction count with
#      them over without, and the geometric mean of each ratio.
#   2. Asyncify: the kernels transformed by Binaryen so that any function
#      may be on the stack when a guest parks (bench/suspend/kernels, made
#      by `make -C bench suspend-guests`), against the originals: size,
#      time and instructions, and the geometric means.
#
#   bench/suspend/kernels.sh HARNESS KERNEL_DIR ASYNCIFY_DIR [REPS] [VALGRIND]
#
# Times are bench-kernels' medians (process CPU time, default inputs, its
# default 5 runs), run REPS times (default 3) alternating the two sides,
# and the median of those taken: on a shared machine a slow patch then
# hits both sides alike. Instruction counts are callgrind's, for one
# lull_call of run(small_n): stable where times are not.
set -eu

harness=$1
kdir=$2
adir=$3
reps=${4:-3}
valgrind=${5:-valgrind}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

kernels=$(sed -n 's/^K(\([a-z0-9_]*\),.*/\1/p' "$kdir/kernels.def")

# timed NAME ARGS...: appends "kernel ms" lines of one harness run to
# $tmp/NAME.
timed() {
  name=$1
  shift
  "$harness" --no-native "$@" | awk -v ks="$kernels" '
    BEGIN { n = split(ks, k, /[ \n]+/); for (i = 1; i <= n; i++) want[k[i]] = 1 }
    ($1 in want) && $3 ~ /^[0-9.]+$/ { print $1, $3 }' >>"$tmp/$name"
}

# median NAME KERNEL: the median of KERNEL's times in $tmp/NAME.
median() {
  awk -v k="$2" '$1 == k { print $2 }' "$tmp/$1" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'
}

# count KERNEL ARGS...: callgrind's instructions inside lull_call; nothing
# when the harness did not run the kernel (0 collected).
count() {
  k=$1
  shift
  "$valgrind" --tool=callgrind --callgrind-out-file=/dev/null \
    --toggle-collect=lull_call "$harness" --small --runs 1 --no-native \
    --translate-reps 1 --kernel "$k" "$@" 2>&1 >/dev/null |
    sed -n 's/^==[0-9]*== Collected : *\([1-9][0-9]*\).*/\1/p'
}

# The geometric mean of column COL of the rows in $tmp/rows (numbers only).
geomean() {
  awk -v c="$1" '$c ~ /^[0-9.]+$/ && $c > 0 { s += log($c); n++ }
    END { if (n) printf "%.3f", exp(s / n); else printf "-" }' "$tmp/rows"
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.3f", a / b;
    else printf "-" }'
}

i=0
while [ "$i" -lt "$reps" ]; do
  timed on --dir "$kdir"
  timed off --dir "$kdir" --no-safepoints
  timed async --dir "$adir" 2>/dev/null || true
  i=$((i + 1))
done

echo "fuel checks: safepoints on / off (time: median of $reps x bench-kernels;"
echo "instructions: callgrind, one run(small_n))"
printf '%-8s %9s %9s %7s %13s %13s %7s\n' kernel "on ms" "off ms" ratio \
  "on instr" "off instr" ratio
: >"$tmp/rows"
for k in $kernels; do
  on=$(median on "$k")
  off=$(median off "$k")
  ion=$(count "$k" --dir "$kdir")
  echo "$ion" >"$tmp/instr.$k"
  ioff=$(count "$k" --dir "$kdir" --no-safepoints)
  printf '%-8s %9s %9s %7s %13s %13s %7s\n' "$k" "$on" "$off" \
    "$(ratio "$on" "$off")" "${ion:--}" "${ioff:--}" \
    "$(ratio "${ion:--}" "${ioff:--}")" | tee -a "$tmp/rows"
done
printf '%-8s %9s %9s %7s %13s %13s %7s\n' "geomean" "" "" "$(geomean 4)" \
  "" "" "$(geomean 7)"

echo
echo "Asyncify (every function instrumented) / original, on lull"
printf '%-8s %7s %7s %6s %9s %9s %7s %13s %13s %7s\n' kernel bytes \
  asyncB ratio "orig ms" "async ms" ratio "orig instr" "async instr" ratio
: >"$tmp/rows"
for k in $kernels; do
  b=$(wc -c <"$kdir/$k.wasm" | tr -d ' ')
  on=$(median on "$k")
  ion=$(cat "$tmp/instr.$k")
  if [ -f "$adir/$k.wasm" ]; then
    ab=$(wc -c <"$adir/$k.wasm" | tr -d ' ')
    as=$(median async "$k")
    ias=$(count "$k" --dir "$adir")
  else
    # A kernel newer than its Asyncify build: make -C bench suspend-guests.
    ab=- as=- ias=-
  fi
  printf '%-8s %7s %7s %6s %9s %9s %7s %13s %13s %7s\n' "$k" "$b" "$ab" \
    "$(ratio "$ab" "$b")" "$on" "$as" "$(ratio "$as" "$on")" \
    "${ion:--}" "${ias:--}" "$(ratio "${ias:--}" "${ion:--}")" |
    tee -a "$tmp/rows"
done
printf '%-8s %7s %7s %6s %9s %9s %7s %13s %13s %7s\n' "geomean" "" "" \
  "$(geomean 4)" "" "" "$(geomean 7)" "" "" "$(geomean 10)"
