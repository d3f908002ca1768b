;; A guest for the scheduler's tests (tests/test_loop*.c): each export is
;; one behaviour -- exit codes, sleeps through poll_oneoff, spinning with
;; and without host calls, a trap two calls deep, memory growth, results.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get"
    (func $clock (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)

  (func (export "_start"))

  (func (export "exit") (param $code i32)
    (call $proc_exit (local.get $code)))

  ;; One relative monotonic clock subscription at 0 (48 bytes), the event
  ;; at 64, the event count at 128. Returns poll_oneoff's errno.
  (func $sleep (export "sleep") (param $ms i64) (result i32)
    (i64.store (i32.const 0) (i64.const 7))
    (i32.store8 (i32.const 8) (i32.const 0))
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (i64.mul (local.get $ms) (i64.const 1000000)))
    (i64.store (i32.const 32) (i64.const 0))
    (i32.store16 (i32.const 40) (i32.const 0))
    (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128)))

  (func (export "sleep_exit") (param $ms i64) (param $code i32)
    (drop (call $sleep (local.get $ms)))
    (call $proc_exit (local.get $code)))

  (func $now (result i64)
    (drop (call $clock (i32.const 1) (i64.const 0) (i32.const 256)))
    (i64.load (i32.const 256)))

  ;; Reads the clock until `ms` have passed; returns how many reads.
  (func (export "spin") (param $ms i64) (result i64)
    (local $end i64) (local $n i64)
    (local.set $end
      (i64.add (call $now) (i64.mul (local.get $ms) (i64.const 1000000))))
    (loop $l
      (local.set $n (i64.add (local.get $n) (i64.const 1)))
      (br_if $l (i64.lt_u (call $now) (local.get $end))))
    (local.get $n))

  ;; Never returns and never calls the host: only fuel stops it.
  (func (export "spin_forever")
    (loop $l (br $l)))

  (func $inner (unreachable))
  (func $outer (call $inner))
  (func (export "trap") (call $outer))

  (func (export "grow") (param i32) (result i32)
    (memory.grow (local.get 0)))

  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
)
