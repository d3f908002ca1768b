;; A start function that traps two calls deep: lull run prints the trap
;; and its backtrace.
(module
  (func $deep unreachable)
  (func $init (call $deep))
  (start $init)
  (func (export "_start")))
