;; Exceptions carrying GC objects for test_exceptions.c: caught
;; exceptions kept in a struct's field, an array's element, a global and
;; a local while the guest allocates enough garbage for the collector to
;; run several cycles, then rethrown and their structs read back.
(module
  (type $box (struct (field $v i32)))
  (type $holder (struct (field $x (mut exnref))))
  (type $exns (array (mut exnref)))
  (type $bytes (array (mut i8)))
  (tag $e (param (ref $box)))
  (tag $i (param i32))
  (global $g (mut exnref) (ref.null exn))

  (func $churn (param $n i32)
    (loop $l
      (drop (array.new_default $bytes (i32.const 4096)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; A caught exception whose payload is a new box of v.
  (func $caught (param $v i32) (result exnref)
    (block $c (result exnref)
      (try_table (catch_all_ref $c)
        (throw $e (struct.new $box (local.get $v))))
      (unreachable)))

  ;; The box's value of an exception, rethrown and caught.
  (func $value (param $x exnref) (result i32)
    (block $got (result (ref $box))
      (try_table (catch $e $got) (throw_ref (local.get $x)))
      (unreachable))
    (struct.get $box $v))

  (func (export "held_across_gc") (param $v i32) (param $n i32) (result i32)
    (local $h (ref null $holder))
    (local $a (ref null $exns))
    (local $l exnref)
    (local.set $h (struct.new $holder (call $caught (local.get $v))))
    (local.set $a (array.new $exns (call $caught (i32.add (local.get $v)
                                                          (i32.const 1)))
                               (i32.const 3)))
    (global.set $g (call $caught (i32.add (local.get $v) (i32.const 2))))
    (local.set $l (call $caught (i32.add (local.get $v) (i32.const 3))))
    (call $churn (local.get $n))
    (i32.add
      (i32.add (call $value (struct.get $holder $x (local.get $h)))
               (call $value (array.get $exns (local.get $a) (i32.const 2))))
      (i32.add (call $value (global.get $g))
               (call $value (local.get $l)))))

  ;; A struct holds an exception of plain values while the guest churns.
  (func (export "struct_holds") (param $n i32) (result i32)
    (local $h (ref null $holder))
    (local.set $h
      (struct.new $holder
        (block $c (result exnref)
          (try_table (catch_all_ref $c) (throw $i (i32.const 5)))
          (unreachable))))
    (call $churn (local.get $n))
    (i32.const 1)))
