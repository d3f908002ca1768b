;; A WASI guest that touches the layer's allocations in a few calls: it
;; creates out.txt in its preopen (fd 3), writes a line, seeks back, reads
;; it, sleeps 1 ms through poll_oneoff, closes the file and exits 9. Any
;; failure exits with the number of the step that failed (1 to 6).
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek"
    (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close"
    (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "out.txt")
  (data (i32.const 16) "hello, wasi\n")
  ;; iovecs: the line to write (16, 12) and room to read (256, 64)
  (data (i32.const 64) "\10\00\00\00\0c\00\00\00")
  (data (i32.const 80) "\00\01\00\00\40\00\00\00")
  ;; a clock subscription at 128: relative 1 ms on the monotonic clock
  (data (i32.const 136) "\00")
  (data (i32.const 144) "\01\00\00\00")
  (data (i32.const 152) "\40\42\0f\00\00\00\00\00")
  (func $check (param $errno i32) (param $step i32)
    (if (local.get $errno) (then (call $proc_exit (local.get $step)))))
  (func (export "_start")
    ;; O_CREAT | O_TRUNC; rights fd_read | fd_seek | fd_tell | fd_write
    (call $check (call $path_open (i32.const 3) (i32.const 0) (i32.const 0)
      (i32.const 7) (i32.const 9) (i64.const 102) (i64.const 0) (i32.const 0)
      (i32.const 32)) (i32.const 1))
    (call $check (call $fd_write (i32.load (i32.const 32)) (i32.const 64)
      (i32.const 1) (i32.const 40)) (i32.const 2))
    (call $check (call $fd_seek (i32.load (i32.const 32)) (i64.const 0)
      (i32.const 0) (i32.const 48)) (i32.const 3))
    (call $check (call $fd_read (i32.load (i32.const 32)) (i32.const 80)
      (i32.const 1) (i32.const 44)) (i32.const 4))
    (if (i32.ne (i32.load (i32.const 44)) (i32.const 12))
      (then (call $proc_exit (i32.const 4))))
    (call $check (call $poll_oneoff (i32.const 128) (i32.const 192)
      (i32.const 1) (i32.const 240)) (i32.const 5))
    (call $check (call $fd_close (i32.load (i32.const 32))) (i32.const 6))
    (call $proc_exit (i32.const 9))))
