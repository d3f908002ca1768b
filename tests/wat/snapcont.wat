;; A host function in the middle of the stack: outer (Wasm) calls via
;; (host), which calls inner (Wasm) with lull_host_call; inner reaches the
;; checkpoint, where the snapshot is taken.
(module
  (import "env" "checkpoint" (func $cp (param i32) (result i32)))
  (import "env" "via" (func $via (param i32) (result i32)))
  (func (export "inner") (param i32) (result i32)
    (i32.mul (call $cp (local.get 0)) (i32.const 2)))
  (func (export "outer") (param i32) (result i32)
    (i32.add (call $via (local.get 0)) (i32.const 1))))
