;; GC objects for test_gc_heap.c: a list that grows until told to stop,
;; packed fields, arrays made every way, and objects made by constant
;; expressions.
(module
  (type $node (struct (field $next (mut (ref null $node))) (field $v (mut i32))))
  (type $packed (struct (field $b (mut i8)) (field $h (mut i16))
                        (field $d f64) (field $x v128)))
  (type $bytes (array (mut i8)))
  (type $ints (array (mut i32)))
  (type $refs (array (mut (ref null $node))))
  (global $head (mut (ref null $node)) (ref.null $node))
  (global $const (ref $ints) (array.new_fixed $ints 3 (i32.const 5)
                                                       (i32.const 6)
                                                       (i32.const 7)))
  (data $d "\01\02\03\04\ff")

  ;; Prepends n nodes to the list; returns the newest one's value.
  (func (export "grow") (param $n i32) (result i32)
    (loop $l
      (global.set $head (struct.new $node (global.get $head) (local.get $n)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (struct.get $node $v (global.get $head)))
  (func (export "drop_list") (global.set $head (ref.null $node)))

  ;; n rounds of two arrays of `size` bytes, each pair kept until the next
  ;; one is made: few objects, each large against the heap.
  (func (export "pairs") (param $n i32) (param $size i32)
    (local $a (ref null $bytes)) (local $b (ref null $bytes))
    (loop $l
      (local.set $a (array.new_default $bytes (local.get $size)))
      (local.set $b (array.new_default $bytes (local.get $size)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; Allocates n arrays of `size` bytes that nothing keeps.
  (func (export "churn") (param $n i32) (param $size i32)
    (loop $l
      (drop (array.new_default $bytes (local.get $size)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; -1 and 65535 in packed fields read back signed and unsigned.
  (func (export "packed") (result i32 i32 i32 i32 f64)
    (local $p (ref $packed))
    (local.set $p (struct.new $packed (i32.const -1) (i32.const 0x1ffff)
                                      (f64.const 2.5) (v128.const i64x2 7 9)))
    (struct.get_s $packed $b (local.get $p))
    (struct.get_u $packed $b (local.get $p))
    (struct.get_s $packed $h (local.get $p))
    (struct.get_u $packed $h (local.get $p))
    (struct.get $packed $d (local.get $p)))

  ;; Sum of the data segment's bytes read as unsigned array elements,
  ;; after an overlapping copy of [0,3) to [1,4).
  (func (export "bytes") (result i32)
    (local $a (ref $bytes)) (local $i i32) (local $s i32)
    (local.set $a (array.new_data $bytes $d (i32.const 0) (i32.const 5)))
    (array.copy $bytes $bytes (local.get $a) (i32.const 1)
                              (local.get $a) (i32.const 0) (i32.const 3))
    (loop $l
      (local.set $s (i32.add (local.get $s)
                    (array.get_u $bytes (local.get $a) (local.get $i))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                          (array.len (local.get $a)))))
    (local.get $s))

  (func (export "const_sum") (result i32)
    (i32.add (array.get $ints (global.get $const) (i32.const 0))
      (i32.add (array.get $ints (global.get $const) (i32.const 1))
               (array.get $ints (global.get $const) (i32.const 2)))))

  (func (export "oob") (result i32)
    (array.get $ints (array.new $ints (i32.const 1) (i32.const 2))
                     (i32.const 2)))
  (func (export "null_struct") (result i32)
    (struct.get $node $v (ref.null $node)))
;; The collector's roots and write barrier.
  (global $keep (mut (ref null $node)) (ref.null $node))
  (func $sum (param $l (ref null $node)) (result i32)
    (local $s i32)
    (block $done
      (loop $c
        (br_if $done (ref.is_null (local.get $l)))
        (local.set $s (i32.add (local.get $s)
                               (struct.get $node $v (local.get $l))))
        (local.set $l (struct.get $node $next (local.get $l)))
        (br $c)))
    (local.get $s))
  (func (export "list_sum") (result i32) (call $sum (global.get $head)))

  ;; A list of n nodes (n .. 1) held only by a local, with garbage made
  ;; between nodes; returns the sum of its values.
  (func (export "local_list") (param $n i32) (result i32)
    (local $l (ref null $node))
    (loop $b
      (local.set $l (struct.new $node (local.get $l) (local.get $n)))
      (drop (array.new_default $bytes (i32.const 200)))
      (br_if $b (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (call $sum (local.get $l)))

;; Moves k nodes from the front of the list to the front of a second
  ;; one, making garbage: each move overwrites the moved node's `next`,
  ;; the only reference to the rest of the first list besides a global
  ;; that held another node when the cycle began. Returns the sum of both.
  (global $other (mut (ref null $node)) (ref.null $node))
  (func (export "transfer") (param $k i32) (result i32)
    (local $x (ref null $node))
    (loop $l
      (local.set $x (global.get $head))
      (global.set $head (struct.get $node $next (local.get $x)))
      (struct.set $node $next (local.get $x) (global.get $other))
      (global.set $other (local.get $x))
      (drop (array.new_default $bytes (i32.const 1000)))
      (br_if $l (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (i32.add (call $sum (global.get $head)) (call $sum (global.get $other))))

  (func $garbage (param $n i32) (result i32)
    (loop $l
      (drop (array.new_default $bytes (i32.const 1000)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 5))
  ;; A node on the operand stack across a call that collects.
  (func (export "call_roots") (result i32)
    (struct.get $node $v
      (struct.get $node $next
        (struct.new $node
          (struct.new $node (ref.null $node) (i32.const 7))
          (call $garbage (i32.const 5000))))))
  ;; A node on the operand stack while an allocation starts a cycle; it
  ;; ends up in a node made after, which the cycle never traces.
  (func (export "alloc_roots")
    (global.set $keep
      (struct.new $node
        (struct.new $node (ref.null $node) (i32.const 9))
        (array.len (array.new_default $bytes (i32.const 2000000))))))
  (func (export "kept") (result i32)
    (struct.get $node $v (struct.get $node $next (global.get $keep))))
)
