;; The other instance of test_tail_call's cross-instance tests: it shares
;; tailcall.wat's table and has a memory of its own (byte 0 is 9 here, 7
;; there), so a tail call that forgot to switch instances shows.
(module
  (type $i64_i64 (func (param i64) (result i64)))
  (import "tc" "table" (table $t 5 funcref))
  (memory 1)
  (data (i32.const 0) "\09")
  (elem (table $t) (i32.const 3) func $ping)

  ;; Into the other instance's $peek (element 2): its memory is read.
  (func $to_peek (param $x i64) (result i64)
    (return_call_indirect $t (type $i64_i64) (local.get $x) (i32.const 2)))
  ;; (x + 7) + 9 * 100: this instance's memory is back after the call.
  (func (export "peek_both") (param $x i64) (result i64)
    (i64.add (call $to_peek (local.get $x))
             (i64.mul (i64.load8_u (i32.const 0)) (i64.const 100))))

  ;; A loop that changes instance on every step: $ping here, $bounce
  ;; (element 4) there. Ends with the byte 0 of whoever gets n = 0.
  (func $ping (export "ping") (param $n i64) (result i64)
    (if (i64.eqz (local.get $n))
      (then (return (i64.load8_u (i32.const 0)))))
    (return_call_indirect $t (type $i64_i64)
      (i64.sub (local.get $n) (i64.const 1)) (i32.const 4)))
)
