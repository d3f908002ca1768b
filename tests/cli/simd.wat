;; v128 for `lull run --invoke` (test_cli.sh): a v128 result prints as
;; hex, and a v128 parameter is given the same way.
(module
  (func (export "lanes") (param v128) (result i32)
    (i32x4.extract_lane 0 (local.get 0)))
  (func (export "splat") (param i32) (result v128)
    (i32x4.splat (local.get 0)))
)
