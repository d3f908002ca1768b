;; Guests for tests/test_interrupt.c: loops that only an interrupt stops.
(module
  (import "env" "poke" (func $poke))
  (memory (export "mem") 1)
  (global $count (export "count") (mut i64) (i64.const 0))

  ;; spin(): counts loop iterations in a local and in the global `count`
  ;; until the i32 at address 0 is not zero, then returns the local count.
  ;; Nothing in the loop calls out, so only a safepoint can park it.
  (func (export "spin") (result i64)
    (local $i i64)
    (block $done
      (loop $next
        (br_if $done (i32.load (i32.const 0)))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (global.set $count (local.get $i))
        (br $next)))
    (local.get $i))

  ;; poke_every(k): like spin, but calls poke() (which interrupts this
  ;; very thread) in every k-th iteration.
  (func (export "poke_every") (param $k i64) (result i64)
    (local $i i64)
    (block $done
      (loop $next
        (br_if $done (i32.load (i32.const 0)))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (global.set $count (local.get $i))
        (if (i64.eqz (i64.rem_u (local.get $i) (local.get $k)))
          (then (call $poke)))
        (br $next)))
    (local.get $i))
)
