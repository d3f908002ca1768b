;; A guest calling an embedder's host function that suspends (test.wait),
;; for lull_uv_task_wake.
(module
  (import "test" "wait" (func $wait (param i32) (result i32)))
  (func (export "run") (param i32) (result i32)
    (i32.mul (call $wait (local.get 0)) (i32.const 2)))
)
