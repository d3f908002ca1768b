#!/bin/sh
# test_cli.sh -- the `lull` command: every subcommand and option, and
# every error path with its message and exit status (see `lull --help`).
#
#   test_cli.sh LULL SOURCE_DIR WASM_DIR
#     LULL        the lull binary
#     SOURCE_DIR  tests/cli (guest.wasm, committed)
#     WASM_DIR    where CMake assembled tests/cli/*.wat
set -u
LULL=$1
SRC=$2
WASM=$3
# Absolute paths: some checks run from other folders.
abs() { case $1 in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; }
LULL=$(abs "$LULL")
SRC=$(abs "$SRC")
WASM=$(abs "$WASM")
GUEST=$SRC/guest.wasm
REACTOR=$WASM/reactor.wasm
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$SRC/cli_lib.sh"

# Modules that are wrong in each way the decoder and validator report.
printf 'hello' >"$T/notwasm.wasm"
printf '\000asm\001\000\000\000\001\005\001' >"$T/truncated.wasm"
# (func (result i32)) with an empty body: a type mismatch.
printf '\000asm\001\000\000\000\001\005\001\140\000\001\177\003\002\001\000\012\004\001\002\000\013' \
  >"$T/invalid.wasm"
mkdir "$T/dir" "$T/data"
echo hello >"$T/data/f.txt"

# --- general ------------------------------------------------------------
t "no arguments: usage" 64 "" "^usage: lull run" -- "$LULL"
t "--help" 0 "^Exit status:" "" -- "$LULL" --help
t "-h" 0 "^usage: lull run" "" -- "$LULL" -h
t "--help lists every exit status" 0 "^  134 " "" -- "$LULL" --help
t "run --help" 0 "^Exit status:" "" -- "$LULL" run --help
t "resume -h" 0 "^Exit status:" "" -- "$LULL" resume -h
t "--version" 0 "^lull [0-9]+\.[0-9]+\.[0-9]+$" "" -- "$LULL" --version
t "unknown command" 64 "" "unknown command 'frobnicate'" -- "$LULL" frobnicate

# --- validate -------------------------------------------------------------
t "validate: valid" 0 "guest.wasm: valid$" "" -- "$LULL" validate "$GUEST"
t "validate: not wasm" 65 "" "notwasm.wasm: malformed module: .*magic" \
  -- "$LULL" validate "$T/notwasm.wasm"
t "validate: truncated" 65 "" "truncated.wasm: malformed module: .*offset 0x" \
  -- "$LULL" validate "$T/truncated.wasm"
t "validate: invalid" 65 "" "invalid.wasm: invalid module: .*type mismatch" \
  -- "$LULL" validate "$T/invalid.wasm"
t "validate: missing file" 66 "" "cannot read .*nope.wasm: No such file" \
  -- "$LULL" validate "$T/nope.wasm"
t "validate: a directory" 66 "" "cannot read .*: Is a directory" \
  -- "$LULL" validate "$T/dir"
t "validate: no file" 64 "" "validate: expected one FILE.wasm" \
  -- "$LULL" validate
t "validate: two files" 64 "" "validate: expected one FILE.wasm" \
  -- "$LULL" validate "$GUEST" "$GUEST"

# --- run: arguments, environment, exit codes, traps ------------------------
t "run: argv" 0 "" "" -- "$LULL" run "$GUEST" args --flag "b c"
same "run: argv[0] is the file's name, options after FILE go to the guest" \
  "guest.wasm
args
--flag
b c"
t "run: -- ends the options" 0 "^args$" "" -- "$LULL" run -- "$GUEST" args
t "run: only the given environment" 0 "" "" \
  -- "$LULL" run --env A=1 --env B=x=y --env=C= "$GUEST" env
same "run: environment is exactly --env" "A=1
B=x=y
C="
t "run: no --env, no environment" 0 "" "" -- "$LULL" run "$GUEST" env
same "run: the host's environment is not given" ""
t "run: exit code" 7 "" "" -- "$LULL" run "$GUEST" exit 7
t "run: exit 0" 0 "" "" -- "$LULL" run "$GUEST" exit 0
t "run: exit code above 255 is 255" 255 "" "" -- "$LULL" run "$GUEST" exit 300
t "run: main returns 2" 2 "" "guest: what to do" -- "$LULL" run "$GUEST"
t "run: trap exits 134" 134 "" "guest.wasm: trap: .*unreachable" \
  -- "$LULL" run "$GUEST" trap
t "run: trap backtrace names the function" 134 "" "#0 crash_here" \
  -- "$LULL" run "$GUEST" trap
t "run: sleep" 0 "^slept$" "" -- "$LULL" run "$GUEST" sleep 100

# --- run: options -----------------------------------------------------------
t "run: --dir HOST::GUEST" 0 "^hello$" "" \
  -- "$LULL" run --dir "$T/data::/data" "$GUEST" cat /data/f.txt
t "run: --dir=HOST::GUEST" 0 "^hello$" "" \
  -- "$LULL" run "--dir=$T/data::/data" "$GUEST" cat /data/f.txt
t "run: --dir HOST is seen as HOST" 0 "^hello$" "" \
  -- "$LULL" run --dir "$T/data" "$GUEST" cat "$T/data/f.txt"
t "run: --dir . (relative)" 0 "^hello$" "" \
  -- sh -c "cd '$T/data' && exec '$LULL' run --dir . '$GUEST' cat f.txt"
t "run: no --dir, no files" 4 "" "" -- "$LULL" run "$GUEST" cat /data/f.txt
t "run: --dir cannot be left with .." 4 "" "" \
  -- "$LULL" run --dir "$T/data::/data" "$GUEST" cat /data/../data/../../etc/passwd
t "run: two --dir" 0 "" "" \
  -- "$LULL" run --dir "$T/dir::/out" --dir "$T/data::/data" "$GUEST" \
  write /out/new.txt written
count=$((count + 1))
if [ "$(cat "$T/dir/new.txt" 2>/dev/null)" = written ]; then
  report 1 "run: the guest wrote through --dir"
else
  report 0 "run: the guest wrote through --dir" "no $T/dir/new.txt"
fi
t "run: --max-memory refuses growth" 3 "^no memory$" "" \
  -- "$LULL" run --max-memory 2 "$GUEST" alloc 8
t "run: --max-memory allows what fits" 0 "^ok 1$" "" \
  -- "$LULL" run --max-memory 64 "$GUEST" alloc 8
t "run: --fuel-slice" 0 "^slept$" "" \
  -- "$LULL" run --fuel-slice 1000 "$GUEST" sleep 10
t "run: --fuel-slice=N" 0 "^args$" "" \
  -- "$LULL" run --fuel-slice=50000 "$GUEST" args

# --- run: errors -------------------------------------------------------------
t "run: missing file" 66 "" "cannot read .*nope.wasm: No such file" \
  -- "$LULL" run "$T/nope.wasm"
t "run: not wasm" 65 "" "malformed module" -- "$LULL" run "$T/notwasm.wasm"
t "run: invalid module" 65 "" "invalid module" -- "$LULL" run "$T/invalid.wasm"
t "run: a reactor has no _start" 65 "" "no _start export.*--invoke" \
  -- "$LULL" run "$REACTOR"
t "run: unknown import" 65 "" "unlinkable.wasm: .*(unknown import|env)" \
  -- "$LULL" run "$WASM/unlinkable.wasm"
t "run: memory over --max-memory" 65 "" "limit" \
  -- "$LULL" run --max-memory 1 "$WASM/bigmem.wasm"
t "run: bigmem without a limit" 0 "" "" -- "$LULL" run "$WASM/bigmem.wasm"
t "run: no FILE" 64 "" "run: missing FILE.wasm" -- "$LULL" run
t "run: only options" 64 "" "run: missing FILE.wasm" -- "$LULL" run --env A=1
t "run: unknown option" 64 "" "unknown option '--bogus'" \
  -- "$LULL" run --bogus "$GUEST"
t "run: option without value" 64 "" "option '--env' needs a value" \
  -- "$LULL" run --env
t "run: --env without =" 64 "" "--env 'A': expected KEY=VALUE" \
  -- "$LULL" run --env A "$GUEST"
t "run: --env without key" 64 "" "expected KEY=VALUE" \
  -- "$LULL" run --env =1 "$GUEST"
t "run: --dir empty" 64 "" "expected HOST or HOST::GUEST" \
  -- "$LULL" run --dir "" "$GUEST"
t "run: --dir ::GUEST" 64 "" "expected HOST or HOST::GUEST" \
  -- "$LULL" run --dir ::/x "$GUEST"
t "run: --dir HOST::" 64 "" "expected HOST or HOST::GUEST" \
  -- "$LULL" run --dir "$T/data::" "$GUEST"
t "run: --dir missing" 66 "" "--dir '.*nothere': No such file" \
  -- "$LULL" run --dir "$T/nothere" "$GUEST" args
t "run: --dir on a file" 66 "" "not a directory" \
  -- "$LULL" run --dir "$T/data/f.txt::/f" "$GUEST" args
for bad in 0 abc -5 12x ""; do
  t "run: --fuel-slice '$bad'" 64 "" "--fuel-slice '$bad': expected a positive" \
    -- "$LULL" run --fuel-slice "$bad" "$GUEST"
done
for bad in 0 5000 1.5 x; do
  t "run: --max-memory '$bad'" 64 "" "--max-memory '$bad': expected MiB" \
    -- "$LULL" run --max-memory "$bad" "$GUEST"
done
for bad in SIGBOGUS KILL 9 0 ""; do
  t "run: --snapshot-on '$bad'" 64 "" "--snapshot-on '$bad': expected a signal" \
    -- "$LULL" run --snapshot-on "$bad" --snapshot-file "$T/s" "$GUEST"
done
t "run: --snapshot-on needs --snapshot-file" 64 "" "needs --snapshot-file" \
  -- "$LULL" run --snapshot-on USR1 "$GUEST"
t "run: --snapshot-file needs --snapshot-on" 64 "" "needs --snapshot-on" \
  -- "$LULL" run --snapshot-file "$T/s" "$GUEST"
t "run: --snapshot-file empty" 64 "" "needs a file name" \
  -- "$LULL" run --snapshot-on USR1 --snapshot-file "" "$GUEST"
t "run: --snapshot-file in a missing folder" 73 "" "cannot write the snapshot" \
  -- "$LULL" run --snapshot-on USR1 --snapshot-file "$T/no/s" "$GUEST" args
t "run: --snapshot-on unused" 0 "^args$" "" \
  -- "$LULL" run --snapshot-on SIGUSR2 --snapshot-file "$T/s" "$GUEST" args

# --- run --invoke -------------------------------------------------------------
inv() { "$LULL" run --invoke "$@"; }
t "invoke: i32" 0 "" "" -- inv add "$REACTOR" 2 3
same "invoke: i32 result" "i32:5"
t "invoke: hex and negative" 0 "^i32:15$" "" -- inv add "$REACTOR" 0x10 -1
t "invoke: -0x" 0 "^i32:-16$" "" -- inv add "$REACTOR" -0x10 0
t "invoke: unsigned i32 wraps" 0 "^i32:0$" "" -- inv add "$REACTOR" 4294967295 1
t "invoke: i32 min" 0 "^i32:-2147483648$" "" -- inv add "$REACTOR" -2147483648 0
t "invoke: i64" 0 "^i64:-9223372036854775808$" "" \
  -- inv add64 "$REACTOR" 9223372036854775807 1
t "invoke: i64 hex" 0 "^i64:1$" "" -- inv add64 "$REACTOR" 0xffffffffffffffff 2
t "invoke: ten million tail calls, parked on fuel" 0 "^i64:50000005000000$" "" \
  -- inv sum --fuel-slice 1000 "$REACTOR" 10000000
t "invoke: f32" 0 "^f32:3$" "" -- inv mulf "$REACTOR" 1.5 2
t "invoke: f32 shortest digits" 0 "^f32:0.1$" "" -- inv mulf "$REACTOR" 0.1 1
t "invoke: f64" 0 "^f64:0.5$" "" -- inv div "$REACTOR" 1 2
t "invoke: f64 inf" 0 "^f64:inf$" "" -- inv div "$REACTOR" 1 0
t "invoke: f64 -inf" 0 "^f64:-inf$" "" -- inv div "$REACTOR" -1 0
t "invoke: f64 nan" 0 "^f64:-?nan$" "" -- inv div "$REACTOR" 0 0
t "invoke: nan argument" 0 "^f64:-?nan$" "" -- inv div "$REACTOR" nan 1
t "invoke: inf argument" 0 "^f64:inf$" "" -- inv div "$REACTOR" inf 2
t "invoke: -inf f32" 0 "^f32:-inf$" "" -- inv mulf "$REACTOR" -inf 1
t "invoke: two results" 0 "" "" -- inv swap "$REACTOR" 7 2.5
same "invoke: one line per result" "f64:2.5
i32:7"
t "invoke: no results" 0 "" "" -- inv nothing "$REACTOR"
same "invoke: no results, no output" ""
t "invoke: _initialize runs first" 0 "^i32:1000$" "" -- inv base "$REACTOR"
t "invoke: v128 result" 0 "^v128:0x00000001000000010000000100000001$" "" \
  -- inv splat "$WASM/simd.wasm" 1
# (type $t (func (result (ref $t)))) (func $f (export "f") (type $t)
# (ref.func $f)) (func (export "g") (param (ref $t))): typed references.
printf '\000asm\001\000\000\000\001\013\002\140\000\001\144\000\140\001\144\000\000\003\003\002\000\001\007\011\002\001\146\000\000\001\147\000\001\012\011\002\004\000\322\000\013\002\000\013' \
  >"$T/typed.wasm"
t "invoke: typed reference result" 0 '^\(ref \$t\):func$' "" \
  -- inv f "$T/typed.wasm"
t "invoke: typed reference argument" 64 "" 'a \(ref \$t\) can be given as text only as null' \
  -- inv g "$T/typed.wasm" x
t "invoke: --invoke=NAME" 0 "^i32:3$" "" \
  -- "$LULL" run --invoke=add "$REACTOR" 1 2
t "invoke: trap" 134 "" "trap: .*divide by zero" -- inv idiv "$REACTOR" 1 0
t "invoke: trap backtrace" 134 "" "#0 divide" -- inv idiv "$REACTOR" 1 0
t "invoke: too few values" 64 "" "'add' takes 2 arguments \(i32 i32\), 1 given" \
  -- inv add "$REACTOR" 1
t "invoke: too many values" 64 "" "'nothing' takes 0 arguments \(none\), 1 given" \
  -- inv nothing "$REACTOR" 1
t "invoke: not a number" 64 "" "argument 1 of 'add': 'x' is not an i32" \
  -- inv add "$REACTOR" x 1
t "invoke: i32 out of range" 64 "" "'4294967296' is not an i32" \
  -- inv add "$REACTOR" 4294967296 0
t "invoke: i32 below range" 64 "" "'-2147483649' is not an i32" \
  -- inv add "$REACTOR" -2147483649 0
t "invoke: i64 out of range" 64 "" "is not an i64" \
  -- inv add64 "$REACTOR" 18446744073709551616 0
t "invoke: bad hex" 64 "" "is not an i32" -- inv add "$REACTOR" 0x 0
t "invoke: f32 out of range" 64 "" "out of range for f32" \
  -- inv mulf "$REACTOR" 1e39 1
t "invoke: f64 out of range" 64 "" "out of range for f64" \
  -- inv div "$REACTOR" 1e400 1
t "invoke: float garbage" 64 "" "'1.5x' is not an f64" \
  -- inv div "$REACTOR" 1.5x 1
t "invoke: v128 not in hex" 64 "" "'0' is not a v128" \
  -- inv lanes "$WASM/simd.wasm" 0
t "invoke: v128 parameter" 0 "^i32:-559038737$" "" \
  -- inv lanes "$WASM/simd.wasm" 0x1deadbeef
t "invoke: no such export" 64 "" "no export named 'nope'" \
  -- inv nope "$REACTOR"
t "invoke: not a function" 64 "" "export 'memory' is not a function" \
  -- inv memory "$REACTOR"
t "invoke: empty name" 64 "" "--invoke needs an export name" \
  -- "$LULL" run --invoke "" "$REACTOR"
t "invoke: missing file" 66 "" "cannot read" -- inv add "$T/nope.wasm" 1 2
t "invoke: a command's export" 2 "" "guest: what to do" -- inv _start "$GUEST"

# --- text modules: a file that starts with `(` is read as text -------------
cat >"$T/hello.wat" <<'WAT'
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from text\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1)
                          (i32.const 8)))))
WAT
printf '(module\n  (func (i32.ad)))' >"$T/typo.wat"
printf '(module (func (result i32)))' >"$T/invalid.wat"
printf ';; a comment\n(; and another ;)\n(func (export "one") (result i32)\n  i32.const 1)' >"$T/bare.wat"
t "text: run a WASI command" 0 "^hello from text$" "" -- "$LULL" run "$T/hello.wat"
t "text: invoke" 0 "^i32:5$" "" -- inv add "$SRC/reactor.wat" 2 3
t "text: invoke, two results" 0 "^i32:7$" "" -- inv swap "$SRC/reactor.wat" 7 0.5
t "text: validate" 0 "reactor.wat: valid$" "" -- "$LULL" validate "$SRC/reactor.wat"
t "text: malformed, with line and column" 65 "" \
  "typo.wat: malformed module: unknown operator i32.ad at 2:10" \
  -- "$LULL" validate "$T/typo.wat"
t "text: invalid" 65 "" "invalid.wat: invalid module: .*type mismatch" \
  -- "$LULL" validate "$T/invalid.wat"
t "text: bare module fields after comments" 0 "^i32:1$" "" \
  -- inv one "$T/bare.wat"
t "text: run malformed" 65 "" "typo.wat: malformed module: unknown operator" \
  -- "$LULL" run "$T/typo.wat"

# --- closed standard descriptors, writes that fail late --------------------
# Started with 0, 1 or 2 closed, lull puts /dev/null in their place before
# libuv opens its own descriptors (which would otherwise take those numbers
# and abort lull when the guest's stdio closed them).
closing() { fd=$1; shift; sh -c "exec $fd>&-; exec \"\$@\"" sh "$@"; }
t "run: stdin closed" 0 "^hello$" "" \
  -- closing 0 "$LULL" run --dir "$T/data::/data" "$GUEST" cat /data/f.txt
t "run: stdout closed" 0 "" "" \
  -- closing 1 "$LULL" run --dir "$T/data::/data" "$GUEST" cat /data/f.txt
t "run: stderr closed" 0 "^hello$" "" \
  -- closing 2 "$LULL" run --dir "$T/data::/data" "$GUEST" cat /data/f.txt
# stdout is a file that may grow to 1 MiB (2048 blocks of 512 bytes):
# the guest's second write is queued, fails after its last call, and its
# exit status 0 would hide the loss.
t "run: a write that fails after the guest's last call" 74 "" \
  "late_write.wasm: a write to fd 1 failed after the guest was told it succeeded: File too large" \
  -- sh -c 'trap "" XFSZ; ulimit -f 2048; exec "$@"' sh \
  "$LULL" run "$WASM/late_write.wasm"
count=$((count + 1))
if [ "$(wc -c <"$T/out")" -eq 1048576 ]; then
  report 1 "run: the first MiB is in the file"
else
  report 0 "run: the first MiB is in the file" "$(wc -c <"$T/out") bytes"
fi

# --- start functions -----------------------------------------------------
t "start function: proc_exit's code is the exit status" 3 "" "" \
  -- "$LULL" run "$WASM/start_exit.wasm"
t "start function: a trap is a trap" 134 "" "start_trap.wasm: trap: unreachable" \
  -- "$LULL" run "$WASM/start_trap.wasm"
t "start function: with its backtrace" 134 "" "#1 init \(func 1\)" \
  -- "$LULL" run "$WASM/start_trap.wasm"
t "uncaught exception exits 135" 135 "" \
  'throw.wasm: uncaught exception: tag "oops"' \
  -- "$LULL" run "$WASM/throw.wasm"
t "uncaught exception: the backtrace of the throw" 135 "" "#0 fail \(func 0\)" \
  -- "$LULL" run "$WASM/throw.wasm"
t "start function: an uncaught exception exits 135" 135 "" \
  "start_throw.wasm: uncaught exception: tag 0" \
  -- "$LULL" run "$WASM/start_throw.wasm"
t "start function: the backtrace of its throw" 135 "" "#0 init \(func 0\)" \
  -- "$LULL" run "$WASM/start_throw.wasm"
t "--help lists the exception status" 0 "^  135 " "" -- "$LULL" --help
t "_start a global: one error" 65 "" "_start is not a function" \
  -- "$LULL" run "$WASM/start_global.wasm"
count=$((count + 1))
if [ "$(wc -l <"$T/err")" = 1 ]; then
  report 1 "_start a global: one line on stderr"
else
  report 0 "_start a global: one line on stderr" "$(wc -l <"$T/err") lines"
fi

# --- names from the module are printed escaped ----------------------------
t "backtrace: control characters escaped" 134 "" '#0 evil\\x1b\[2J\\x07 ' \
  -- "$LULL" run "$WASM/evil_names.wasm"
count=$((count + 1))
if LC_ALL=C grep -q "$(printf '\033')" "$T/err"; then
  report 0 "backtrace: no escape byte reaches the terminal" "ESC on stderr"
else
  report 1 "backtrace: no escape byte reaches the terminal"
fi

# --- inputs that are not regular files, or too large ----------------------
mkfifo "$T/fifo.wasm"
t "run: a FIFO is refused, not waited on" 66 "" "fifo.wasm: not a regular file" \
  -- timeout 10 "$LULL" run "$T/fifo.wasm"
t "validate: a FIFO" 66 "" "not a regular file" \
  -- timeout 10 "$LULL" validate "$T/fifo.wasm"
t "validate: /dev/zero is refused" 66 "" "/dev/zero: not a regular file" \
  -- timeout 10 "$LULL" validate /dev/zero
# 2 GiB without data blocks: refused by its size, or by its header when the
# cap allows it, before it is read.
truncate -s 2G "$T/huge.wasm"
t "run: a file over the default cap" 65 "" "more than the 1073741824 allowed" \
  -- timeout 10 "$LULL" run "$T/huge.wasm"
t "run: --max-file: the header decides first" 65 "" \
  "huge.wasm: malformed module: magic header" \
  -- timeout 10 "$LULL" run --max-file 4096 "$T/huge.wasm"
printf '\000asm' >"$T/big.wasm"
truncate -s 2M "$T/big.wasm"
t "run: --max-file below the module's size" 65 "" "more than the 1048576 allowed" \
  -- "$LULL" run --max-file 1 "$T/big.wasm"
t "run: bad --max-file" 64 "" "--max-file '0'" -- "$LULL" run --max-file 0 "$GUEST"
: >"$T/empty.wasm"
t "run: an empty file" 65 "" "an empty file" -- "$LULL" run "$T/empty.wasm"

# --- --cache: compiled modules kept between runs ----------------------------
C=$T/cache
t "cache: the first run compiles and stores" 0 "^i32:5$" "" \
  -- "$LULL" run --cache "$C" --invoke add "$REACTOR" 2 3
t "cache: one entry, named by a hash and the size" 0 "^1$" "" \
  -- sh -c "ls '$C' | grep -cE '^[0-9a-f]{16}-[0-9]+[.]lullc$'"
entry=$(ls "$C"/*.lullc)
cp "$entry" "$T/entry.first"
t "cache: the second run loads it" 0 "^i32:7$" "" \
  -- "$LULL" run --cache "$C" --invoke add "$REACTOR" 3 4
t "cache: the entry is left as it was" 0 "" "" -- cmp "$entry" "$T/entry.first"
t "cache: a WASI program too" 0 "^args$" "" \
  -- "$LULL" run --cache "$C" "$GUEST" args
t "cache: a trap in a cached module" 134 "" "trap: .*divide by zero" \
  -- "$LULL" run --cache "$C" --invoke idiv "$REACTOR" 1 0
printf 'LULLCODE this is not a compiled module' >"$entry"
t "cache: a damaged entry is compiled again" 0 "^i32:9$" "" \
  -- "$LULL" run --cache "$C" --invoke add "$REACTOR" 4 5
t "cache: and replaced" 0 "" "" -- cmp "$entry" "$T/entry.first"
: >"$T/not-a-dir"
t "cache: an unusable folder only warns" 0 "^i32:3$" \
  "warning: cannot write cache file .*not-a-dir" \
  -- "$LULL" run --cache "$T/not-a-dir" --invoke add "$REACTOR" 1 2
t "cache: an empty --cache" 64 "" "--cache needs a directory" \
  -- "$LULL" run --cache= "$GUEST"
printf '(module (func (export "f") (result i32) (i32.const 3)))' >"$T/three.wat"
t "cache: a text module is cached by its binary form" 0 "^i32:3$" "" \
  -- "$LULL" run --cache "$C" --invoke f "$T/three.wat"
t "cache: three modules, three entries" 0 "^3$" "" \
  -- sh -c "ls '$C' | grep -cE '^[0-9a-f]{16}-[0-9]+[.]lullc$'"

finish
