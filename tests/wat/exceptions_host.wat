;; Exceptions between Wasm and the host for test_exceptions.c: a tag the
;; host made, thrown by a host function; a Wasm callee of lull_host_call
;; that throws into the host's continuation.
(module
  (import "host" "tag" (tag $h (param i32 i64)))
  (import "host" "throw" (func $hthrow (param i32)))
  (import "host" "call" (func $hcall (param i32) (result i32)))
  (tag $e (export "e") (param i32))

  ;; Called back by the host: throws its argument unless it is 0.
  (func (export "inner") (param $x i32) (result i32)
    (if (local.get $x) (then (throw $e (local.get $x))))
    (i32.const 5))

  (func (export "catch_host") (param $x i32) (result i32 i64)
    (block $c (result i32 i64)
      (try_table (catch $h $c) (call $hthrow (local.get $x)))
      (i32.const -1) (i64.const -1)))
  (func (export "host_uncaught") (param $x i32)
    (call $hthrow (local.get $x)))
  (func (export "through_host") (param $x i32) (result i32)
    (block $c (result i32)
      (try_table (result i32) (catch $e $c) (call $hcall (local.get $x))))))
