(module
  (import "host" "log" (func (param i32 i64)))
  (import "host" "limit" (global i32))
  (func (export "func") (param i32 f32 f64 i64) (result f64 i64 funcref)
    (local.get 2) (local.get 3) (ref.null func))
  (global (export "global") (mut f64) (f64.const 1))
  (table (export "table") 5 50 funcref)
  (memory (export "memory") 1))
