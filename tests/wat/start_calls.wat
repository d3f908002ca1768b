;; A module whose start function traps two calls deep (start_trap
;; exported so the test can tell which module it has).
(module
  (func $deep unreachable)
  (func $start_trap (call $deep))
  (start $start_trap))
