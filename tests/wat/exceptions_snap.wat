;; Threads parked inside try_tables and holding exception references, for
;; the snapshot tests of test_exceptions.c (resumed in another process by
;; helper_snapshot_exn).
(module
  (import "host" "park" (func $park (param i32) (result i32)))
  (tag $e (export "e") (param i32))
  (global $g (mut exnref) (ref.null exn))

  ;; Parks in the host inside a try_table; then throws what the host
  ;; gave back, plus one, which the handler still catches.
  (func (export "park_in_try") (param $x i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (throw $e (i32.add (call $park (local.get $x)) (i32.const 1))))))

  ;; Parks holding a caught exception in a local, a global and an operand
  ;; slot; then rethrows it to a handler outside.
  (func (export "park_holding") (param $x i32) (result i32)
    (local $ex exnref)
    (block $outer (result i32)
      (try_table (result i32) (catch $e $outer)
        (block $h (result exnref)
          (try_table (catch_all_ref $h) (throw $e (local.get $x)))
          (unreachable))
        (local.set $ex)
        (global.set $g (local.get $ex))
        (local.get $ex)
        (drop (call $park (i32.const 0)))
        (throw_ref))))

  ;; Runs out of fuel in a loop inside a try_table, then throws.
  (func (export "spin_in_try") (param $n i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (loop $l
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br_if $l (local.get $n)))
        (throw $e (i32.const 42)))))

  ;; The exception the global holds, rethrown and caught: its payload.
  (func (export "from_global") (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h) (throw_ref (global.get $g))))))
