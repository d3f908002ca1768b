#!/bin/sh
# Instruction counts of lull on each kernel's small input, from callgrind:
# stable figures (unlike times) to compare changes of the interpreter by.
#
#   bench/callgrind.sh HARNESS KERNEL_DIR [VALGRIND]
#
# For each kernel of KERNEL_DIR/kernels.def, two counts: everything inside
# lull_call (running run(small_n) once) and everything inside
# lull_module_new (decoding, validating and compiling the module once).
# --toggle-collect limits callgrind to a function and its callees, so the
# harness's own work and the instantiation are left out. A kernel with a
# SIMD build (a SIMD row in kernels.def) gets a second line, <name>+simd.
set -eu

harness=$1
kdir=$2
valgrind=${3:-valgrind}

# The "Collected" line callgrind prints on stderr when the program exits.
count() {
  "$valgrind" --tool=callgrind --callgrind-out-file=/dev/null \
    --toggle-collect="$1" "$harness" --small --runs 1 --no-native \
    --translate-reps 1 --dir "$kdir" --kernel "$2" --variant "${3:-plain}" \
    2>&1 >/dev/null |
    sed -n 's/^==[0-9]*== Collected : *\([0-9]*\).*/\1/p'
}
simd=$(sed -n 's/^SIMD(\([a-z0-9_]*\)).*/\1/p' "$kdir/kernels.def")

echo "instructions (callgrind, small inputs, one run each)"
printf '%-9s %8s %16s %16s\n' kernel n lull_call lull_module_new
sed -n 's/^K(\([a-z0-9_]*\), *[0-9]*, *\([0-9]*\),.*/\1 \2/p' \
  "$kdir/kernels.def" |
while read -r name small; do
  run=$(count lull_call "$name")
  load=$(count lull_module_new "$name")
  printf '%-9s %8s %16s %16s\n' "$name" "$small" "${run:--}" "${load:--}"
  for s in $simd; do
    [ "$s" = "$name" ] || continue
    run=$(count lull_call "$name" simd)
    load=$(count lull_module_new "$name" simd)
    printf '%-9s %8s %16s %16s\n' "$name+simd" "$small" "${run:--}" "${load:--}"
  done
done
