;; A function whose name (in the name section) holds terminal escape
;; sequences: a backtrace must print them escaped.
(module
  (func $"evil\1b[2J\07" unreachable)
  (func (export "_start") (call $"evil\1b[2J\07")))
