;; Tail calls (test_tail_call.c, helper_snapshot_tail.c): loops that run
;; in constant Wasm stack, tail calls to host functions, through tables,
;; by reference and between functions of other frame sizes.
(module
  (type $i64_i64 (func (param i64) (result i64)))
  (type $i64_i32 (func (param i64) (result i32)))
  (import "env" "add" (func $add (param i64 i64) (result i64)))
  (import "env" "park" (func $park (param i64) (result i64)))
  (import "env" "fail" (func $fail (param i64) (result i64)))
  (import "env" "call_double" (func $call_double (param i64) (result i64)))
  ;; Element 3 is filled by tailcall_other.wat's instance.
  (table $t (export "table") 5 funcref)
  (elem (table $t) (i32.const 0) func $count_ind $double $peek)
  (elem (table $t) (i32.const 4) func $bounce)
  (memory (export "mem") 1)
  (data (i32.const 0) "\07")

  ;; The sum n + (n-1) + ... + 1 by a tail-recursive loop.
  (func $sum (export "sum") (param $n i64) (result i64)
    (return_call $sum_loop (local.get $n) (i64.const 0)))
  (func $sum_loop (param $n i64) (param $acc i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (local.get $acc))))
    (return_call $sum_loop
      (i64.sub (local.get $n) (i64.const 1))
      (i64.add (local.get $acc) (local.get $n))))

  ;; The same sum by plain recursion: exhausts a small stack.
  (func $sum_rec (export "sum_rec") (param $n i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.const 0))))
    (i64.add (local.get $n)
      (call $sum_rec (i64.sub (local.get $n) (i64.const 1)))))

  ;; Mutual recursion between functions of other shapes: $odd has three
  ;; parameters, a v128 and more locals (a larger frame to zero).
  (func $even (export "even") (param $n i64) (result i32)
    (if (result i32) (i64.eqz (local.get $n))
      (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get $n) (i64.const 1))
                              (i64.const 5) (i64.const 6)))))
  (func $odd (param $n i64) (param $x i64) (param $y i64) (result i32)
    (local $v v128) (local $a i64) (local $b f64)
    ;; The locals start at zero whatever the last frame left there.
    (if (i32.or (i64.ne (local.get $a) (i64.const 0))
                (i32.or (f64.ne (local.get $b) (f64.const 0))
                        (v128.any_true (local.get $v))))
      (then (unreachable)))
    (local.set $a (i64.const -1))
    (local.set $b (f64.const 2.5))
    (local.set $v (v128.const i64x2 -1 -1))
    (if (result i32) (i64.eqz (local.get $n))
      (then (i32.const 0))
      (else (return_call $even (i64.sub (local.get $n) (i64.const 1))))))

  ;; A loop through the table.
  (func $count_ind (export "count_ind") (param $n i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.const 42))))
    (return_call_indirect $t (type $i64_i64)
      (i64.sub (local.get $n) (i64.const 1)) (i32.const 0)))
  (func $double (export "double") (param $x i64) (result i64)
    (i64.shl (local.get $x) (i64.const 1)))
  ;; This instance's memory byte 0, plus x.
  (func $peek (export "peek") (param $x i64) (result i64)
    (i64.add (local.get $x) (i64.load8_u (i32.const 0))))
  ;; Half of a loop between two instances: element 3 is the other half.
  (func $bounce (param $n i64) (result i64)
    (if (i64.eqz (local.get $n))
      (then (return (i64.load8_u (i32.const 0)))))
    (return_call_indirect $t (type $i64_i64)
      (i64.sub (local.get $n) (i64.const 1)) (i32.const 3)))
  ;; Table element i called in tail position: traps as call_indirect does.
  (func (export "via_table") (param $x i64) (param $i i32) (result i64)
    (return_call_indirect $t (type $i64_i64) (local.get $x) (local.get $i)))

  ;; By reference: a loop, a null reference, a host function.
  (elem declare func $count_ref $park)
  (func $count_ref (export "count_ref") (param $n i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.const 43))))
    (return_call_ref $i64_i64 (i64.sub (local.get $n) (i64.const 1))
                              (ref.func $count_ref)))
  (func (export "ref_null") (param $x i64) (result i64)
    (return_call_ref $i64_i64 (local.get $x) (ref.null $i64_i64)))
  (func (export "park_ref") (param $x i64) (result i64)
    (i64.add (i64.const 3)
      (call $park_by_ref (local.get $x))))
  (func $park_by_ref (param $x i64) (result i64)
    (return_call_ref $i64_i64 (local.get $x) (ref.func $park)))

  ;; Host functions called by return_call: their results go to the caller
  ;; of the function that tail-called them.
  (func $to_add (export "to_add") (param $x i64) (result i64)
    (return_call $add (local.get $x) (i64.const 100)))
  (func (export "outer_add") (param $x i64) (result i64)
    (i64.add (call $to_add (local.get $x)) (i64.const 1)))
  (func $to_park (export "to_park") (param $x i64) (result i64)
    (return_call $park (local.get $x)))
  (func (export "outer_park") (param $x i64) (result i64)
    (local $keep i64)
    (local.set $keep (i64.const 1000))
    (i64.add (local.get $keep)
      (i64.mul (call $to_park (local.get $x)) (i64.const 2))))
  (func $to_fail (param $x i64) (result i64)
    (return_call $fail (local.get $x)))
  (func $outer_fail (export "outer_fail") (param $x i64) (result i64)
    (call $to_fail (local.get $x)))
  (func $to_call_double (param $x i64) (result i64)
    (return_call $call_double (local.get $x)))
  (func (export "outer_call_double") (param $x i64) (result i64)
    (i64.add (call $to_call_double (local.get $x)) (i64.const 1000)))

  ;; Backtraces show what is left: $bt_b, then $bt_outer ($bt_a is gone).
  (func $bt_a (param $x i64) (result i64)
    (return_call $bt_b (local.get $x)))
  (func $bt_b (param $x i64) (result i64)
    (unreachable))
  (func $bt_outer (export "bt_outer") (param $x i64) (result i64)
    (call $bt_a (local.get $x)))
)
