;; Exception handling for test_exceptions.c: throws caught in the same
;; function and frames away, every kind of catch clause, rethrows, throws
;; through call_indirect and call_ref, deep unwinds, and exceptions that
;; nobody catches.
(module
  (type $ii (func (param i32) (result i32)))
  (tag $e (export "e") (param i32))
  (tag $big (param i32 i64 f64 v128))
  (tag $none (export "none"))
  (table $t 1 funcref)
  (elem (table $t) (i32.const 0) func $thrower)
  (elem declare func $thrower)

  (func $thrower (param $x i32) (result i32)
    (throw $e (local.get $x)))

  ;; catch: the payload arrives at the label.
  (func (export "catch_here") (param $x i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h)
        (throw $e (i32.add (local.get $x) (i32.const 1))))
      (i32.const -1)))

  ;; Every value type in one payload, through a call.
  (func $throw_big (param $x i32)
    (throw $big (local.get $x) (i64.const 0x1122334455667788) (f64.const 2.5)
      (v128.const i32x4 1 2 3 4)))
  (func (export "catch_big") (param $x i32) (result i32 i64 f64 i32)
    (local $v v128)
    (block $h (result i32 i64 f64 v128)
      (try_table (catch $big $h) (call $throw_big (local.get $x)))
      (unreachable))
    (local.set $v)
    (i32x4.extract_lane 3 (local.get $v)))

  ;; Down `depth` frames, then a throw; caught by the outermost.
  (func $down (param $d i32) (result i32)
    (if (i32.eqz (local.get $d)) (then (throw $e (i32.const 7))))
    (i32.add (call $down (i32.sub (local.get $d) (i32.const 1))) (i32.const 1)))
  (func (export "deep") (param $d i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h) (call $down (local.get $d)))))

  ;; catch_ref, then throw_ref of the caught exception (kept in a local)
  ;; to an outer catch_all_ref, then again to a catch_all.
  (func (export "rethrow") (param $x i32) (result i32)
    (local $n i32) (local $ex exnref)
    (block $outer
      (block $all (result exnref)
        (try_table (catch_all_ref $all)
          (block $h (result i32 exnref)
            (try_table (catch_ref $e $h) (drop (call $thrower (local.get $x))))
            (unreachable))
          (local.set $ex)
          (local.set $n)
          (throw_ref (local.get $ex)))
        (unreachable))
      (local.set $ex)
      (local.set $n (i32.add (local.get $n) (i32.const 100)))
      (try_table (catch_all $outer) (throw_ref (local.get $ex)))
      (unreachable))
    (i32.add (local.get $n) (i32.const 1000)))

  ;; A tag that is not caught goes past a catch of another tag.
  (func (export "other_tag") (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (throw $none))
      (i32.const -1)))

  ;; Inner try_table first: the innermost handler wins.
  (func (export "nested") (result i32)
    (block $outer (result i32)
      (try_table (catch $e $outer)
        (block $inner (result i32)
          (try_table (catch $e $inner) (throw $e (i32.const 1)))
          (i32.const -1))
        (i32.add (i32.const 10))
        (return))
      (unreachable))
    (i32.add (i32.const 100)))

  ;; A catch to the function's own label returns the payload.
  (func (export "catch_to_return") (param $x i32) (result i32)
    (try_table (catch $e 0) (throw $e (local.get $x)))
    (i32.const -1))

  ;; A catch to a loop's label starts the loop again.
  (func (export "retry") (param $n i32) (result i32)
    (local $tries i32)
    (i32.const 0)
    (loop $again (param i32)
      (drop)
      (local.set $tries (i32.add (local.get $tries) (i32.const 1)))
      (try_table (catch $e $again)
        (if (i32.lt_u (local.get $tries) (local.get $n))
          (then (throw $e (local.get $tries))))))
    (local.get $tries))

  (func (export "via_indirect") (param $x i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call_indirect $t (type $ii) (local.get $x) (i32.const 0)))))
  (func (export "via_ref") (param $x i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call_ref $ii (local.get $x) (ref.func $thrower)))))

  (func (export "uncaught") (param $x i32) (result i32)
    (call $thrower (local.get $x)))
  (func (export "throw_null")
    (throw_ref (ref.null exn)))

  ;; Throws and catches n times (memory must not grow).
  (func (export "churn") (param $n i32) (result i32)
    (local $sum i32)
    (loop $l
      (block $h (result i32)
        (try_table (catch $e $h) (throw $e (local.get $n)))
        (unreachable))
      (local.set $sum (i32.add (local.get $sum)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum))
)
