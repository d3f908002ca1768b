;; Guests for tests/test_suspend.c: a host function that may park, called at
;; the bottom of deep recursion, in a loop, and with values of several types.
(module
  (import "env" "park" (func $park (param i32) (result i32)))
  (import "env" "park_mixed"
    (func $park_mixed (param i64 f64) (result i64 f64 f32 externref)))

  ;; down(n) = park(n) + n + (n-1) + ... + 1, one Wasm frame per level. Each
  ;; frame adds its own n after the park, so a frame that lost its slots
  ;; while parked changes the sum.
  (func $down (export "down") (param $n i32) (result i32)
    (if (result i32) (local.get $n)
      (then (i32.add (call $down (i32.sub (local.get $n) (i32.const 1)))
                     (local.get $n)))
      (else (call $park (i32.const 0)))))

  ;; repeat(n): calls park(i) for i = 0 .. n-1 and returns the sum of what
  ;; came back, each multiplied by its position + 1 (so order matters).
  (func (export "repeat") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum
          (i32.add (local.get $sum)
            (i32.mul (call $park (local.get $i))
                     (i32.add (local.get $i) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  ;; mixed(a, b): parks with (a, b) and returns what the host gave back,
  ;; each value changed so the test sees it went through the guest.
  (func (export "mixed") (param $a i64) (param $b f64)
    (result i64 f64 f32 externref)
    (local $r0 i64) (local $r1 f64) (local $r2 f32) (local $r3 externref)
    (call $park_mixed (local.get $a) (local.get $b))
    (local.set $r3) (local.set $r2) (local.set $r1) (local.set $r0)
    (i64.add (local.get $r0) (i64.const 1))
    (f64.mul (local.get $r1) (f64.const 2))
    (f32.neg (local.get $r2))
    (local.get $r3))
)
