;; A valid module with a bit of everything the validator types, for
;; tests/test_validate.c. Each function's comment gives the largest
;; operand-stack height its body reaches, in slots (a v128 takes two).
(module
  (type $pair (func (param i32 i32) (result i32 i32)))
  (memory 1)
  (table $t 2 funcref)
  (table $e 1 externref)
  (global $g (mut i32) (i32.const 0))
  (data $d "hello")
  (elem $el (table $t) (i32.const 0) func $f0 $f1)
  (elem declare func $swap)

  ;; 3: local.get, i32.const, i32.const.
  (func $f0 (param i32) (result i32)
    (i32.add (local.get 0) (i32.mul (i32.const 2) (i32.const 3))))

  ;; 6: three v128 constants.
  (func $f1 (result i32)
    (i32x4.extract_lane 0
      (i32x4.add (v128.const i32x4 1 2 3 4)
                 (i32x4.mul (v128.const i32x4 1 1 1 1)
                            (v128.const i32x4 2 2 2 2)))))

  ;; 2: two results.
  (func $swap (type $pair)
    (local.get 1) (local.get 0))

  ;; 4: the nested store at the end.
  (func $f3 (param $n i32) (local $i i32)
    (loop $l
      (i32.store (local.get $i) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (memory.fill (i32.const 0) (i32.const 0) (i32.const 16))
    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 5))
    (data.drop $d)
    (drop (ref.func $swap))
    (table.set $t (i32.const 0) (ref.null func))
    (drop (table.grow $e (ref.null extern) (i32.const 1)))
    (drop (ref.is_null (table.get $t (i32.const 0))))
    (drop (drop (call $swap (i32.const 1) (i32.const 2))))
    (global.set $g (select (i32.const 1) (i32.const 2) (global.get $g)))
    (i32.const 1) (i32.const 2)
    (block $b (param i32 i32) (result i32 i32)
      (drop) (drop) (i32.const 5) (i32.const 6))
    (drop) (drop)
    (i32.store (i32.const 0)
      (i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.const 3)))))

  ;; 3: an f64 under a v128.
  (func $f4 (param i32) (result f64)
    (if (result f64) (local.get 0)
      (then (f64.add (f64.const 1) (f64.const 2)))
      (else (f64.add (f64.const 0)
                     (f64.convert_i32_s
                       (i32x4.extract_lane 1 (v128.const i32x4 0 0 0 0)))))))
)
