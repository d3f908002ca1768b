;; An array-heavy kernel: each round makes an f64 array of n elements,
;; fills it, smooths it into a second one (a three-point stencil), copies
;; a slice back with array.copy and sums. run(rounds, n) returns the sum's
;; integer part.
(module
  (type $vec (array (mut f64)))
  (func (export "run") (param $rounds i32) (param $n i32) (result i32)
    (local $a (ref $vec)) (local $b (ref $vec)) (local $i i32)
    (local $s f64)
    (loop $round
      (local.set $a (array.new_default $vec (local.get $n)))
      (local.set $b (array.new_default $vec (local.get $n)))
      (local.set $i (i32.const 0))
      (loop $fill
        (array.set $vec (local.get $a) (local.get $i)
                   (f64.convert_i32_u (i32.and (local.get $i) (i32.const 255))))
        (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                               (local.get $n))))
      (local.set $i (i32.const 1))
      (loop $smooth
        (array.set $vec (local.get $b) (local.get $i)
          (f64.mul (f64.const 0.333)
            (f64.add (array.get $vec (local.get $a) (i32.sub (local.get $i) (i32.const 1)))
              (f64.add (array.get $vec (local.get $a) (local.get $i))
                       (array.get $vec (local.get $a) (i32.add (local.get $i) (i32.const 1)))))))
        (br_if $smooth (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                 (i32.sub (local.get $n) (i32.const 1)))))
      (array.copy $vec $vec (local.get $a) (i32.const 0) (local.get $b) (i32.const 1)
                  (i32.sub (local.get $n) (i32.const 2)))
      (local.set $s (f64.add (local.get $s)
                      (array.get $vec (local.get $a) (i32.const 7))))
      (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
    (i32.trunc_f64_u (local.get $s)))
)
