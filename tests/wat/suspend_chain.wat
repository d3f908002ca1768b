;; Guests for tests/test_suspend_chain.c: Wasm that calls a host function
;; which calls back into Wasm through lull_host_call, level after level.
(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (import "env" "misuse" (func $misuse (param i32) (result i32)))

  ;; wasm(n) = host(n) * 3 + n: the host function is the one that goes on
  ;; down the chain, by calling wasm(n - 1) again.
  (func (export "wasm") (param $n i32) (result i32)
    (i32.add (i32.mul (call $host (local.get $n)) (i32.const 3))
             (local.get $n)))

  ;; What a continuation calls a second time: twice(x) = 2x + 1.
  (func (export "twice") (param $x i32) (result i32)
    (i32.add (i32.shl (local.get $x) (i32.const 1)) (i32.const 1)))

  ;; spin(n): counts down n loop iterations, so fuel can run out inside
  ;; a callee of lull_host_call. Returns n.
  (func (export "spin") (param $n i32) (result i32)
    (local $i i32)
    (local.set $i (local.get $n))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $i)))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $n))

  (func (export "call_misuse") (param $mode i32) (result i32)
    (call $misuse (local.get $mode)))
)
