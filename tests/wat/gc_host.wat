;; A host function handed a struct nothing else holds, for test_gc_api.c.
(module
  (type $pt (struct (field $x i32)))
  (import "env" "inspect" (func $inspect (param anyref) (result i32)))
  (func (export "pass_fresh") (result i32)
    (call $inspect (struct.new $pt (i32.const 77)))))
