;; GC objects through lull_host_call, for test_gc_hostcall.c: "twice" is
;; the host's; it calls "churn" with the box through lull_host_call, and
;; its continuation gets the box back after churn made enough garbage to
;; run the collector several times.
(module
  (type $box (struct (field (mut i32))))
  (import "host" "twice" (func $twice (param (ref null $box))
                                      (result (ref null $box) i32)))
  (func (export "churn") (param $b (ref null $box)) (result (ref null $box))
    (local $i i32)
    (loop $l
      (drop (struct.new $box (local.get $i)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                          (i32.const 300000))))
    (local.get $b))
  ;; The field as the host read it, plus the field as Wasm reads it.
  (func (export "run") (result i32)
    (local $seen i32)
    (call $twice (struct.new $box (i32.const 41)))
    local.set $seen
    struct.get $box 0
    local.get $seen
    i32.add)
)
