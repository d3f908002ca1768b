;; binary-trees (the Benchmarks Game's): a long-lived tree of depth n
;; stays while many short-lived trees of growing depth are made and
;; walked. run(n) returns the checksum of every walk.
(module
  (type $tree (struct (field $l (ref null $tree)) (field $r (ref null $tree))))
  (global $long (mut (ref null $tree)) (ref.null $tree))
  (func $make (param $d i32) (result (ref $tree))
    (if (result (ref $tree)) (i32.eqz (local.get $d))
      (then (struct.new $tree (ref.null $tree) (ref.null $tree)))
      (else (struct.new $tree
              (call $make (i32.sub (local.get $d) (i32.const 1)))
              (call $make (i32.sub (local.get $d) (i32.const 1)))))))
  (func $check (param $t (ref null $tree)) (result i32)
    (if (result i32) (ref.is_null (struct.get $tree $l (local.get $t)))
      (then (i32.const 1))
      (else (i32.add (i32.const 1)
              (i32.add (call $check (struct.get $tree $l (local.get $t)))
                       (call $check (struct.get $tree $r (local.get $t))))))))
  (func (export "run") (param $n i32) (result i32)
    (local $d i32) (local $i i32) (local $iters i32) (local $sum i32)
    (global.set $long (call $make (local.get $n)))
    (local.set $d (i32.const 4))
    (loop $depths
      (local.set $iters (i32.shl (i32.const 1)
                          (i32.add (i32.sub (local.get $n) (local.get $d))
                                   (i32.const 4))))
      (local.set $i (i32.const 0))
      (loop $trees
        (local.set $sum (i32.add (local.get $sum)
                          (call $check (call $make (local.get $d)))))
        (br_if $trees (i32.lt_u (local.tee $i (i32.add (local.get $i)
                                                       (i32.const 1)))
                                (local.get $iters))))
      (br_if $depths (i32.le_u (local.tee $d (i32.add (local.get $d)
                                                      (i32.const 2)))
                               (local.get $n))))
    (i32.add (local.get $sum) (call $check (global.get $long))))
)
