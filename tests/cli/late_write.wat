;; Writes 1 MiB to stdout, then 512 KiB more, ignores both results and
;; returns. Run with stdout a regular file that may grow to 1 MiB only
;; (ulimit -f 1024, SIGXFSZ ignored), the second write fails in the
;; background after the guest's last call: only lull run can say so.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory 24)
  (func $write (param $len i32)
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1)
                          (i32.const 16))))
  (func (export "_start")
    (call $write (i32.const 1048576))
    (call $write (i32.const 524288))))
