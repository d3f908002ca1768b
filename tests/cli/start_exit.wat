;; A start function that ends the program: lull run exits with its code.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func $start (call $exit (i32.const 3)))
  (start $start)
  (func (export "_start") unreachable))
