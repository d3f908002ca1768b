;; GC objects between the host and a guest, for test_gc_api.c.
(module
  (type $pt (struct (field $x (mut i32)) (field $y f64) (field $b i8)))
  (type $arr (array (mut (ref null $pt))))
  (type $bytes (array (mut i8)))
  (func (export "make") (param i32) (result (ref $pt))
    (struct.new $pt (local.get 0) (f64.const 1.5) (i32.const 200)))
  (func (export "x_of") (param anyref) (result i32)
    (struct.get $pt $x (ref.cast (ref $pt) (local.get 0))))
  (func (export "x_of_ext") (param externref) (result i32)
    (struct.get $pt $x
      (ref.cast (ref $pt) (any.convert_extern (local.get 0)))))
  (func (export "to_ext") (param anyref) (result externref)
    (extern.convert_any (local.get 0)))
  (func (export "pts") (param i32) (result (ref $arr))
    (array.new $arr
      (struct.new $pt (i32.const 3) (f64.const 0) (i32.const 0))
      (local.get 0)))
  (func (export "churn") (param $n i32)
    (loop $l
      (drop (array.new_default $bytes (i32.const 1000)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
)
