;; A guest parked in a host call with a GC reference of an exact type on
;; its operand stack, in a slot of its own (the result of ref.cast), for
;; test_gc_snapshot.c: "tell" gives the host the array's and the node's
;; addresses, "park" suspends, and array.get uses the operand after it.
(module
  (type $node (struct (field $x (mut anyref))))
  (type $arr (array (mut anyref)))
  (import "host" "tell" (func $tell (param externref externref)))
  (import "host" "park" (func $park (result i32)))
  (func (export "run") (result i32)
    (local $a (ref null $node))
    (local.set $a (struct.new $node
      (array.new_fixed $arr 2 (ref.i31 (i32.const 5)) (ref.i31 (i32.const 6)))))
    (call $tell (extern.convert_any (struct.get $node $x (local.get $a)))
                (extern.convert_any (local.get $a)))
    (i31.get_s (ref.cast (ref i31)
      (array.get $arr (ref.cast (ref $arr) (struct.get $node $x (local.get $a)))
                      (call $park)))))
)
