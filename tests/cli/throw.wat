;; _start throws an exception no frame catches: lull run names the tag,
;; prints the backtrace of the throw and exits 135.
(module
  (tag $oops (export "oops") (param i32))
  (func $fail (throw $oops (i32.const 7)))
  (func (export "_start")
    (block $never
      (try_table (catch_all $never) (nop)))
    (call $fail)))
