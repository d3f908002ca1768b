;; Host frames in every arrangement lull_host_call can build, for the
;; snapshot tests: outer (Wasm) calls via (host), which calls what the test
;; chose with lull_host_call: checkpoint (host -> host), inner (host ->
;; Wasm -> host), or via again (host -> host -> ...), where the last one
;; parks.
(module
  (import "env" "checkpoint" (func $cp (param i32) (result i32)))
  (import "env" "via" (func $via (param i32) (result i32)))
  (import "env" "via2" (func $via2 (param i32) (result i32)))
  (func (export "inner") (param i32) (result i32)
    (i32.mul (call $cp (local.get 0)) (i32.const 2)))
  (func (export "outer") (param i32) (result i32)
    (i32.add (call $via (local.get 0)) (i32.const 1)))
  (func (export "outer2") (param i32) (result i32)
    (i32.add (call $via2 (local.get 0)) (i32.const 1))))
