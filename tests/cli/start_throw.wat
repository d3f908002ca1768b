;; A start function that throws an exception nobody catches: lull run
;; names the tag (by its index: it is not exported) and exits 135, as for
;; _start.
(module
  (tag $boom (param i64))
  (func $init (throw $boom (i64.const 1)))
  (start $init)
  (func (export "_start")))
