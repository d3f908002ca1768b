;; The guest of the cross-architecture WASI round trip
;; (scripts/cross-snapshot.sh): it opens data.txt in its preopened folder,
;; prints the file's first 5 bytes, goes 12 frames down holding f32, f64
;; and v128 values with NaN payloads, prints "ready" and sleeps 1.5 s at
;; the bottom (where the test saves it), then reads the file's next 5
;; bytes from the same descriptor and prints them and a hash of every bit
;; the frames held, in hex. Only integer and bit operations touch the
;; floats, so every CPU prints the same.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; 0 iovec, 8 count, 12 the file's descriptor, 16 its name, 40 texts,
  ;; 64 the clock subscription, 128 its event, 160 the event count,
  ;; 256 what was read, 300 the hash in hex
  (data (i32.const 16) "data.txt")
  (data (i32.const 40) "ready\n")
  (data (i32.const 48) "\n")

  (func $print (param $at i32) (param $n i32)
    (i32.store (i32.const 0) (local.get $at))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1)
                          (i32.const 8))))

  ;; The next 5 bytes of the file, printed on a line of their own.
  (func $read5
    (i32.store (i32.const 0) (i32.const 256))
    (i32.store (i32.const 4) (i32.const 5))
    (if (call $fd_read (i32.load (i32.const 12)) (i32.const 0) (i32.const 1)
                       (i32.const 8))
      (then (call $proc_exit (i32.const 3))))
    (call $print (i32.const 256) (i32.load (i32.const 8)))
    (call $print (i32.const 48) (i32.const 1)))

  (func $sleep_ms (param $ms i64)
    (i64.store (i32.const 64) (i64.const 1))
    (i32.store8 (i32.const 72) (i32.const 0))
    (i32.store (i32.const 80) (i32.const 1))
    (i64.store (i32.const 88) (i64.mul (local.get $ms) (i64.const 1000000)))
    (i64.store (i32.const 96) (i64.const 0))
    (i32.store16 (i32.const 104) (i32.const 0))
    (drop (call $poll_oneoff (i32.const 64) (i32.const 128) (i32.const 1)
                             (i32.const 160))))

  (func $mix (param $h i64) (param $x i64) (result i64)
    (i64.mul (i64.xor (local.get $h) (local.get $x))
             (i64.const 0x100000001b3)))

  (func $fold (param $a f32) (param $b f64) (param $v v128) (param $r i64)
              (result i64)
    (call $mix
      (call $mix
        (call $mix
          (call $mix (local.get $r)
                     (i64.extend_i32_u (i32.reinterpret_f32 (local.get $a))))
          (i64.reinterpret_f64 (local.get $b)))
        (i64x2.extract_lane 0 (local.get $v)))
      (i64x2.extract_lane 1 (local.get $v))))

  (func $down (param $d i32) (param $a f32) (param $b f64) (param $v v128)
              (result i64)
    (if (result i64) (i32.eqz (local.get $d))
      (then
        (call $print (i32.const 40) (i32.const 6))
        (call $sleep_ms (i64.const 1500))
        (call $fold (local.get $a) (local.get $b) (local.get $v)
                    (i64.const 7)))
      (else
        (call $fold
          (f32.neg (local.get $a))
          (local.get $b)
          (v128.not (local.get $v))
          (call $down (i32.sub (local.get $d) (i32.const 1))
                      (f32.neg (local.get $a))
                      (f64.abs (local.get $b))
                      (v128.xor (local.get $v)
                                (v128.const i32x4 0x7fc00001 0xffc00002
                                                  0x7ff80000 0x00000003)))))))

  (func (export "_start")
    (local $h i64) (local $i i32) (local $n i64)
    (if (call $path_open (i32.const 3) (i32.const 0) (i32.const 16)
                         (i32.const 8) (i32.const 0) (i64.const 2)
                         (i64.const 0) (i32.const 0) (i32.const 12))
      (then (call $proc_exit (i32.const 2))))
    (call $read5)
    (local.set $h (call $down (i32.const 12) (f32.const nan:0x200001)
                              (f64.const -nan:0x8000000000123)
                              (v128.const i32x4 0x7f800001 0xff812345
                                                0 0x7fffffff)))
    (call $read5)
    (loop $hex
      (local.set $n (i64.and (i64.shr_u (local.get $h)
                                        (i64.extend_i32_u
                                          (i32.sub (i32.const 60)
                                                   (i32.mul (local.get $i)
                                                            (i32.const 4)))))
                             (i64.const 15)))
      (i32.store8 (i32.add (i32.const 300) (local.get $i))
        (i32.wrap_i64 (i64.add (local.get $n)
          (select (i64.const 48) (i64.const 87)
                  (i64.lt_u (local.get $n) (i64.const 10))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $hex (i32.lt_u (local.get $i) (i32.const 16))))
    (i32.store8 (i32.const 316) (i32.const 10))
    (call $print (i32.const 300) (i32.const 17)))
)
