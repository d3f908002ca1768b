;; A second instance for test_exceptions.c: its tag and function come
;; from exceptions.wat, and it catches what that instance throws.
(module
  (import "exc" "e" (tag $e (param i32)))
  (import "exc" "uncaught" (func $throws (param i32) (result i32)))
  (tag $mine (param i32))
  (func (export "catch_imported") (param $x i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $mine $h) (catch $e $h)
        (call $throws (local.get $x)))))
  ;; A tag of the same type but another identity does not catch it.
  (func (export "catch_mine_only") (param $x i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $mine $h)
        (call $throws (local.get $x))))))
