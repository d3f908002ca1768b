;; A linked-list churn: `keep` lists of 16 nodes stay live in an array;
;; run(steps) replaces one list (chosen by an LCG) with a new one each
;; step, so the live set is stable while garbage flows. Returns the sum
;; of the lists' values at the end.
(module
  (type $node (struct (field $next (ref null $node)) (field $v i32)
                      (field $pad (mut i64))))
  (type $lists (array (mut (ref null $node))))
  (func $list (param $v i32) (result (ref null $node))
    (local $l (ref null $node)) (local $i i32)
    (loop $n
      (local.set $l (struct.new $node (local.get $l) (local.get $v)
                                      (i64.const 0)))
      (br_if $n (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                          (i32.const 16))))
    (local.get $l))
  (func (export "run") (param $steps i32) (result i32)
    (local $keep (ref $lists)) (local $x i32) (local $i i32) (local $s i32)
    (local $l (ref null $node))
    (local.set $keep (array.new_default $lists (i32.const 4096)))
    (loop $fill
      (array.set $lists (local.get $keep) (local.get $i)
                 (call $list (local.get $i)))
      (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                             (i32.const 4096))))
    (local.set $x (i32.const 12345))
    (loop $step
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245))
                             (i32.const 12345)))
      (array.set $lists (local.get $keep)
                 (i32.and (i32.shr_u (local.get $x) (i32.const 8))
                          (i32.const 4095))
                 (call $list (local.get $steps)))
      (br_if $step (local.tee $steps (i32.sub (local.get $steps) (i32.const 1)))))
    (local.set $i (i32.const 0))
    (loop $sum
      (local.set $l (array.get $lists (local.get $keep) (local.get $i)))
      (local.set $s (i32.add (local.get $s) (struct.get $node $v (local.get $l))))
      (br_if $sum (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                            (i32.const 4096))))
    (local.get $s))
)
