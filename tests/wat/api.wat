;; Functions the API tests call: host imports, deep recursion, traps with
;; names for backtraces, and every value type crossing the boundary.
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "fail" (func $fail))
  (memory (export "mem") 1 4)
  (global $g (export "g") (mut i64) (i64.const 7))
  (table (export "tab") 2 funcref)
  (elem (i32.const 0) $id)

  (func $id (export "id") (param i32) (result i32) (local.get 0))

  (func (export "call_add") (param i32 i32) (result i32)
    (call $add (local.get 0) (local.get 1)))

  (func (export "call_fail") (call $fail))

  ;; depth(n) = n, one Wasm frame per level.
  (func $depth (export "depth") (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (i32.add (call $depth (i32.sub (local.get 0) (i32.const 1)))
                     (i32.const 1)))
      (else (i32.const 0))))

  (func $inner (unreachable))
  (func $middle (call $inner))
  (func (export "outer") (call $middle))

  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))

  (func (export "mix") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
    (local.get 3) (local.get 2) (local.get 1) (local.get 0))

  (func (export "load") (param i32) (result i32)
    (i32.load (local.get 0)))

  (func (export "grow") (param i32) (result i32)
    (memory.grow (local.get 0)))
)
