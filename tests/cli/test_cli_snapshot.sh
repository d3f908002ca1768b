#!/bin/sh
# test_cli_snapshot.sh -- snapshots through the command, across processes:
# a guest saved on a signal while it sleeps (and while it spins) ends its
# process; `lull resume` continues it in a new one. Plus every way resume
# refuses a snapshot.
#
#   test_cli_snapshot.sh LULL SOURCE_DIR EXAMPLES_DIR
set -u
LULL=$1
SRC=$2
EX=$3
# Absolute paths: some checks run from other folders.
abs() { case $1 in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; }
LULL=$(abs "$LULL")
SRC=$(abs "$SRC")
EX=$(abs "$EX")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$SRC/cli_lib.sh"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Waits (up to 10 s) until FILE has a line matching RE.
wait_for() {
  i=0
  while ! grep -qE -- "$2" "$1" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 200 ] && return 1
    sleep 0.05
  done
}

# save NAME GUEST READY_RE SNAPSHOT [--extra options]: runs GUEST with
# --snapshot-on SIGUSR1, signals it once READY_RE is on its stdout, and
# checks that it wrote SNAPSHOT and exited 0.
save() {
  name=$1
  guest=$2
  ready=$3
  snap=$4
  shift 4
  "$LULL" run --snapshot-on SIGUSR1 --snapshot-file "$snap" "$@" "$guest" \
    >"$T/out" 2>"$T/err" </dev/null &
  pid=$!
  if ! wait_for "$T/out" "$ready"; then
    kill "$pid" 2>/dev/null
    wait "$pid"
    count=$((count + 1))
    report 0 "$name" "the guest never printed /$ready/"
    return
  fi
  sleep 0.3
  kill -USR1 "$pid"
  wait "$pid"
  rc=$?
  count=$((count + 1))
  if [ "$rc" = 0 ] && [ -s "$snap" ] && grep -q "snapshot written to" "$T/err"; then
    report 1 "$name"
  else
    report 0 "$name" "status $rc, snapshot $(ls -l "$snap" 2>&1)"
  fi
}

# --- a sleeping guest ---------------------------------------------------
start=$(now_ms)
save "save the sleeping guest on SIGUSR1" "$EX/sleep.wasm" "wait 3s" "$T/sleep.snap"
count=$((count + 1))
if grep -q "\[wasm\] exit" "$T/out"; then
  report 0 "the saved process ended before the guest" "it printed [wasm] exit"
else
  report 1 "the saved process ended before the guest"
fi
t "resume it in a new process" 0 "^\[wasm\] exit$" "" \
  -- "$LULL" resume "$T/sleep.snap"
took=$(($(now_ms) - start))
count=$((count + 1))
# The sleep kept its deadline: 3 s after the first start, not after resume.
if [ "$took" -ge 2800 ] && [ "$took" -lt 8000 ]; then
  report 1 "the sleep ends 3 s after it began ($took ms)"
else
  report 0 "the sleep ends 3 s after it began" "took $took ms"
fi
t "resume the same file again" 0 "^\[wasm\] exit$" "" \
  -- "$LULL" resume "$T/sleep.snap"
same "the guest only prints what it had left" "[wasm] exit"
t "resume through a module cache" 0 "^\[wasm\] exit$" "" \
  -- "$LULL" resume --cache "$T/cache" "$T/sleep.snap"
t "resume from the module cache" 0 "^\[wasm\] exit$" "" \
  -- "$LULL" resume --cache "$T/cache" "$T/sleep.snap"
t "the cache holds the module" 0 "^1$" "" \
  -- sh -c "ls '$T/cache' | grep -c '[.]lullc$'"

# --- a spinning guest, saved between fuel slices ------------------------------
save "save the spinning guest" "$EX/spin.wasm" "spin 3s" "$T/spin.snap" \
  --fuel-slice 20000
t "resume the spinning guest" 0 "spun for 3s" "" \
  -- "$LULL" resume --fuel-slice 50000 "$T/spin.snap"

# --- save again after a resume --------------------------------------------------
save "save a sleeping guest early" "$EX/sleep.wasm" "wait 3s" "$T/a.snap"
"$LULL" resume --snapshot-on USR2 --snapshot-file "$T/b.snap" "$T/a.snap" \
  >"$T/out2" 2>"$T/err2" </dev/null &
pid=$!
sleep 0.5
kill -USR2 "$pid"
wait "$pid"
rc=$?
count=$((count + 1))
if [ "$rc" = 0 ] && [ -s "$T/b.snap" ]; then
  report 1 "resume --snapshot-on saves again"
else
  report 0 "resume --snapshot-on saves again" "status $rc"
fi
t "resume the second snapshot" 0 "^\[wasm\] exit$" "" \
  -- "$LULL" resume "$T/b.snap"

# --- a snapshot that cannot be written: the guest keeps running ------------
mkdir "$T/gone"
"$LULL" run --snapshot-on SIGUSR1 --snapshot-file "$T/gone/s.snap" \
  "$EX/sleep.wasm" >"$T/out" 2>"$T/err" </dev/null &
pid=$!
wait_for "$T/out" "wait 3s"
rmdir "$T/gone"
kill -USR1 "$pid"
wait "$pid"
rc=$?
count=$((count + 1))
if [ "$rc" = 0 ] && grep -q "^\[wasm\] exit$" "$T/out" &&
  grep -q "cannot write .*gone/s.snap: .*the guest keeps running" "$T/err"; then
  report 1 "an unwritable snapshot: lull says why, the guest runs on"
else
  report 0 "an unwritable snapshot: lull says why, the guest runs on" \
    "status $rc"
fi

# --- resume errors -----------------------------------------------------------
printf 'junk' >"$T/junk.snap"
head -c 100 "$T/sleep.snap" >"$T/short.snap"
t "resume: missing file" 66 "" "cannot read .*nope.snap" \
  -- "$LULL" resume "$T/nope.snap"
t "resume: not a snapshot" 65 "" "not a lull task snapshot" \
  -- "$LULL" resume "$T/junk.snap"
t "resume: truncated" 65 "" "truncated" -- "$LULL" resume "$T/short.snap"
t "resume: a module instead" 65 "" "not a lull task snapshot" \
  -- "$LULL" resume "$EX/sleep.wasm"
t "resume: no file" 64 "" "resume: missing SNAPSHOT" -- "$LULL" resume
t "resume: two files" 64 "" "unexpected argument" \
  -- "$LULL" resume "$T/sleep.snap" "$T/sleep.snap"
t "resume: --env is not allowed" 64 "" "'--env' is not allowed" \
  -- "$LULL" resume --env A=1 "$T/sleep.snap"
t "resume: --invoke is not allowed" 64 "" "'--invoke' is not allowed" \
  -- "$LULL" resume --invoke f "$T/sleep.snap"
t "resume: bad --fuel-slice" 64 "" "--fuel-slice" \
  -- "$LULL" resume --fuel-slice 0 "$T/sleep.snap"

# The module is found by the path saved in the snapshot, and checked.
cp "$EX/sleep.wasm" "$T/moved.wasm"
save "save a guest of a copied module" "$T/moved.wasm" "wait 3s" "$T/moved.snap"
cp "$EX/spin.wasm" "$T/moved.wasm"
t "resume: the module changed" 65 "" "moved.snap: .*" \
  -- "$LULL" resume "$T/moved.snap"
rm "$T/moved.wasm"
t "resume: the module is gone" 66 "" "cannot read the module the snapshot names .*moved.wasm" \
  -- "$LULL" resume "$T/moved.snap"

# --- a snapshot grants no directory the resuming user did not ----------------
mkdir "$T/granted" "$T/other"
save "save a guest that has a directory" "$EX/sleep.wasm" "wait 3s" \
  "$T/dir.snap" --dir "$T/granted::data"
t "resume: a directory not granted is refused" 77 "" \
  "host directory '$T/granted', which was not granted \(grant it with --dir\)" \
  -- "$LULL" resume "$T/dir.snap"
t "resume: another directory does not grant it" 77 "" "was not granted" \
  -- "$LULL" resume --dir "$T/other" "$T/dir.snap"
t "resume: granted with --dir, it runs" 0 "^\[wasm\] exit$" "" \
  -- "$LULL" resume --dir "$T/granted" "$T/dir.snap"
t "resume: --dir names a directory that exists" 66 "" "--dir '$T/nope'" \
  -- "$LULL" resume --dir "$T/nope" "$T/dir.snap"

# --- a snapshot whose entry the module does not export ------------------------
# The entry's name edited and the checksum sealed again (gzip's trailer is
# the CRC-32 of what it compressed), so only the missing export is wrong.
cp "$T/sleep.snap" "$T/entry.snap"
off=$(grep -obUa "_start" "$T/entry.snap" | head -n 1 | cut -d: -f1)
printf '_stard' | dd of="$T/entry.snap" bs=1 seek="$off" conv=notrunc 2>/dev/null
size=$(wc -c <"$T/entry.snap")
head -c $((size - 4)) "$T/entry.snap" >"$T/entry.body"
gzip -c "$T/entry.body" | tail -c 8 | head -c 4 >"$T/entry.crc"
cat "$T/entry.body" "$T/entry.crc" >"$T/entry.snap"
t "resume: an entry the module does not export" 65 "" "exports no '_stard'" \
  -- "$LULL" resume "$T/entry.snap"

# --- what a snapshot reads is refused unless it is a regular file -------------
# The module a snapshot names is replaced after the save by a device, a
# FIFO and a link to a device: resume refuses each at once (none is read
# whole or waited on), as it refuses a snapshot that is one of them.
mkdir "$T/mod"
cp "$EX/sleep.wasm" "$T/mod/m.wasm"
save "save a guest for its module to be replaced" "$T/mod/m.wasm" "wait 3s" \
  "$T/mod.snap"
rm "$T/mod/m.wasm"
ln -s /dev/zero "$T/mod/m.wasm"
t "resume: the module is now a link to /dev/zero" 66 "" "not a regular file" \
  -- timeout 10 "$LULL" resume "$T/mod.snap"
rm "$T/mod/m.wasm"
mkfifo "$T/mod/m.wasm"
t "resume: the module is now a FIFO" 66 "" "not a regular file" \
  -- timeout 10 "$LULL" resume "$T/mod.snap"
t "resume: the snapshot is /dev/zero" 66 "" "not a regular file" \
  -- timeout 10 "$LULL" resume /dev/zero
t "resume: the snapshot is a FIFO" 66 "" "not a regular file" \
  -- timeout 10 "$LULL" resume "$T/mod/m.wasm"

# --- the snapshot file is written safely ----------------------------------------
t "run: --snapshot-file a directory" 73 "" "is a directory" \
  -- "$LULL" run --snapshot-on USR1 --snapshot-file "$T/other" "$EX/sleep.wasm"
t "run: --snapshot-file a device" 73 "" "not a regular file" \
  -- "$LULL" run --snapshot-on USR1 --snapshot-file /dev/null "$EX/sleep.wasm"
mkfifo "$T/fifo.snap"
t "run: --snapshot-file a FIFO" 73 "" "not a regular file" \
  -- timeout 10 "$LULL" run --snapshot-on USR1 --snapshot-file "$T/fifo.snap" \
     "$EX/sleep.wasm"
ln -s "$T/victim" "$T/link.snap"
t "run: --snapshot-file a symbolic link" 73 "" "is a symbolic link" \
  -- "$LULL" run --snapshot-on USR1 --snapshot-file "$T/link.snap" \
     "$EX/sleep.wasm"
# A planted F.tmp link is not followed: the snapshot goes to a new file.
ln -s "$T/victim" "$T/safe.snap.tmp"
save "save beside a planted .tmp link" "$EX/sleep.wasm" "wait 3s" "$T/safe.snap"
count=$((count + 1))
if [ ! -e "$T/victim" ] && [ -L "$T/safe.snap.tmp" ]; then
  report 1 "the planted link's target is untouched"
else
  report 0 "the planted link's target is untouched" "$(ls -l "$T")"
fi
count=$((count + 1))
if [ -z "$(find "$T" -name 'safe.snap.??????')" ]; then
  report 1 "no temporary file is left behind"
else
  report 0 "no temporary file is left behind" "$(ls "$T")"
fi

# --- signals lull cannot watch ---------------------------------------------------
for sig in 32 SEGV SIGCHLD PIPE 9 STOP; do
  t "run: --snapshot-on $sig is refused" 64 "" "--snapshot-on '$sig'" \
    -- "$LULL" run --snapshot-on "$sig" --snapshot-file "$T/s.snap" \
       "$EX/sleep.wasm"
done
# (64 for the missing export: the signal itself passed)
t "run: a real-time signal is accepted" 64 "" "no export named 'nope'" \
  -- "$LULL" run --snapshot-on 40 --snapshot-file "$T/s.snap" --invoke nope \
     "$EX/spin.wasm"

finish
