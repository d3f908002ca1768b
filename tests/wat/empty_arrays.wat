;; Empty things whose arrays lull never allocates: a table of size 0, an
;; element segment with no items, function types with no parameters or
;; results, and frames that hold no references. NULL + 0 is undefined
;; behaviour in C, so each of these once tripped clang's sanitizer.
(module
  (type $none (func))
  (import "host" "tick" (func $tick (type $none)))
  (table $empty 0 funcref)
  (elem $seg func)
  (func (export "nothing") (type $none))
  (func (export "empty_table_ops")
    (table.init $empty $seg (i32.const 0) (i32.const 0) (i32.const 0))
    (table.copy $empty $empty (i32.const 0) (i32.const 0) (i32.const 0))
    (table.fill $empty (i32.const 0) (ref.null func) (i32.const 0)))
  (func (export "ticks") (result i32)
    (call $tick)
    (i32.const 42)))
