;; A long computation for the snapshot tests: a loop mixing a value through
;; functions called indirectly, writing memory and a global, and every 50
;; iterations asking the host for a checkpoint from 20 Wasm frames deep,
;; with function references live in locals and on the operand stack.
(module
  (type $unop (func (param i64) (result i64)))
  (import "env" "checkpoint" (func $cp (param i32) (result i32)))
  (memory (export "mem") 4 64)
  (global $acc (export "acc") (mut i64) (i64.const 0))
  (table 2 funcref)
  (elem (i32.const 0) $plus $times)
  (func $plus (type $unop) (i64.add (local.get 0) (i64.const 0x9e3779b97f4a7c15)))
  (func $times (type $unop) (i64.mul (local.get 0) (i64.const 0xff51afd7ed558ccd)))

  ;; deep(d, i): d frames down, then the checkpoint; a funcref from the
  ;; table stays in a slot of the operand stack across the host call.
  (func $deep (param $d i32) (param $i i32) (result i32)
    (local $keep funcref)
    (local.set $keep (table.get 0 (i32.and (local.get $i) (i32.const 1))))
    (if (result i32) (local.get $d)
      (then
        (i32.add (call $deep (i32.sub (local.get $d) (i32.const 1)) (local.get $i))
                 (i32.add (ref.is_null (local.get $keep)) (i32.const 1))))
      (else
        (ref.is_null
          (select (result funcref)
            (table.get 0 (i32.const 1))
            (ref.null func)
            (call $cp (local.get $i))))
        (i32.add (i32.mul (call $cp (i32.add (local.get $i) (i32.const 1)))
                          (i32.const 3))))))

  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $h i64)
    (local.set $h (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $h (call_indirect (type $unop) (local.get $h)
                        (i32.and (local.get $i) (i32.const 1))))
        (i64.store (i32.and (i32.mul (local.get $i) (i32.const 8))
                            (i32.const 0x3fff8))
                   (local.get $h))
        (global.set $acc (i64.xor (global.get $acc) (local.get $h)))
        (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 50)))
          (then
            (local.set $h (i64.add (local.get $h)
              (i64.extend_i32_u (call $deep (i32.const 20) (local.get $i)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i64.xor (local.get $h) (global.get $acc)))
)
