;; Guests for test_loop_gc.c: one that allocates without bound (a list
;; kept by a global), one that computes and allocates nothing.
(module
  (type $bytes (array i8))
  (type $node (struct (field $next (ref null $node))
                      (field $pad (ref $bytes))))
  (global $hoard (mut (ref null $node)) (ref.null $node))
  (func (export "_start"))
  (func (export "hog")
    (loop $l
      (global.set $hoard (struct.new $node (global.get $hoard)
                           (array.new_default $bytes (i32.const 1000))))
      (br $l)))
  (func (export "work") (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 31))
                             (local.get $n)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
)
