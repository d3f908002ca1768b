#!/bin/bash
# run_guest.sh RUN_WASI SRC_DIR NAME -- runs guests/NAME.wasm with the
# test driver in a fresh scratch directory and compares what it prints
# with expected/NAME.out and its exit code with expected/NAME.code (0 when
# absent; 134 is a trap). The guest sees SCRATCH/sandbox as /sandbox; the
# sandbox guest also gets symlinks that point outside it and the absolute
# path of a file outside. expected/NAME.stdin, when present, is fed to the
# guest's stdin through a pipe, 0.3 s late, and the pipe stays open 0.3 s
# more. expected/NAME.err, when present, must match stderr. A NAME with a
# dash, GUEST-ARG, runs guests/GUEST.wasm with ARG as its first argument.
set -u
run=$1
src=$2
name=$3
exp=$src/expected
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lull-wasi-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

box=$tmp/sandbox
mkdir -p "$box/sub/deeper" "$tmp/outside"
echo SECRET > "$tmp/secret.txt"
echo inside > "$box/inside.txt"
args=()
if [ "$name" = sandbox ]; then
  ln -s "$tmp/secret.txt" "$box/abs_link"
  ln -s ../secret.txt "$box/rel_link"
  ln -s ../evil_target "$box/rel_evil"
  ln -s .. "$box/dir_link"
  ln -s / "$box/root_link"
  ln -s ../.. "$box/sub/up"
  ln -s sub/deeper/c2 "$box/chain"
  ln -s ../../dir_link/secret.txt "$box/sub/deeper/c2"
  # l0 -> l1 -> ... -> l49 -> inside.txt: 50 links, over the limit of 40;
  # l20 starts 30 from the end.
  for i in $(seq 0 48); do ln -s "l$((i + 1))" "$box/l$i"; done
  ln -s inside.txt "$box/l49"
  args=("$tmp/secret.txt")
fi

guest=$name
gargs=()
case $name in
  *-*) guest=${name%%-*}; gargs=("${name#*-}") ;;
esac

want_code=0
[ -f "$exp/$name.code" ] && want_code=$(cat "$exp/$name.code")

cmd=("$run" --dir "$box::/sandbox" --env LULL_TEST=yes --env EMPTY=
     "$src/guests/$guest.wasm" "${gargs[@]}" "${args[@]}")
if [ -f "$exp/$name.stdin" ]; then
  { sleep 0.3; cat "$exp/$name.stdin"; sleep 0.3; } |
    "${cmd[@]}" > "$tmp/out" 2> "$tmp/err"
  code=${PIPESTATUS[1]}
else
  "${cmd[@]}" < /dev/null > "$tmp/out" 2> "$tmp/err"
  code=$?
fi

fail=0
if ! diff -u "$exp/$name.out" "$tmp/out"; then
  echo "$name: output differs from expected/$name.out"
  fail=1
fi
if [ "$code" != "$want_code" ]; then
  echo "$name: exit code $code, expected $want_code"
  fail=1
fi
if [ -f "$exp/$name.err" ] && ! diff -u "$exp/$name.err" "$tmp/err"; then
  echo "$name: stderr differs from expected/$name.err"
  fail=1
elif [ ! -f "$exp/$name.err" ] && [ -s "$tmp/err" ]; then
  echo "$name: unexpected stderr:"
  cat "$tmp/err"
  fail=1
fi
# Nothing the guest did may show outside the preopen.
if [ "$(cat "$tmp/secret.txt")" != SECRET ]; then
  echo "$name: secret.txt outside the sandbox was changed"
  fail=1
fi
extra=$(cd "$tmp" && ls -A | grep -v -x -e sandbox -e outside -e secret.txt -e out -e err)
if [ -n "$extra" ] || [ -n "$(ls -A "$tmp/outside")" ]; then
  echo "$name: files appeared outside the sandbox: $extra"
  fail=1
fi
exit $fail
