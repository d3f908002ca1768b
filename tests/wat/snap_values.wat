;; A guest for snapshots that move between builds, versions and machines:
;; each call of run's loop goes 20 frames down and asks the host for a
;; checkpoint at the bottom; every frame holds an f32, an f64 and a v128
;; with NaN payloads, in locals and on the operand stack across its call,
;; and spins a short loop where fuel can run out. Only integer and bit
;; operations touch the floats, so the result is the same on every CPU.
(module
  (import "env" "checkpoint" (func $cp (param i32) (result i32)))
  (memory (export "mem") 1 2)
  (global $g (mut f64) (f64.const nan:0x4000000000001))

  (func $mix (param $h i64) (param $x i64) (result i64)
    (i64.mul (i64.xor (local.get $h) (local.get $x))
             (i64.const 0x100000001b3)))

  ;; Folds every bit of a, b and v into r.
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

  (func $down (param $d i32) (param $i i32) (param $a f32) (param $b f64)
              (param $v v128) (result i64)
    (local $k i32)
    (loop $spin
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $spin (i32.lt_u (local.get $k) (i32.const 5))))
    (if (result i64) (i32.eqz (local.get $d))
      (then
        (call $fold (local.get $a) (local.get $b) (local.get $v)
                    (i64.extend_i32_u (call $cp (local.get $i)))))
      (else
        ;; f32.neg, f64.abs and v128.not are bit operations: the NaN
        ;; payloads survive them on every machine.
        (call $fold
          (f32.neg (local.get $a))
          (local.get $b)
          (v128.not (local.get $v))
          (call $down (i32.sub (local.get $d) (i32.const 1))
                      (i32.add (local.get $i) (i32.const 7))
                      (f32.neg (local.get $a))
                      (f64.abs (local.get $b))
                      (v128.xor (local.get $v)
                                (v128.const i32x4 0x7fc00001 0xffc00002
                                                  0x7ff80000 0x00000003)))))))

  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $h i64)
    (local.set $h (i64.reinterpret_f64 (global.get $g)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $h
          (call $mix (local.get $h)
            (call $down (i32.const 20) (local.get $i)
                        (f32.const nan:0x200001)
                        (f64.const -nan:0x8000000000123)
                        (v128.const i32x4 0x7f800001 0xff812345
                                          0x00000000 0x7fffffff))))
        (i64.store (i32.and (i32.mul (local.get $i) (i32.const 8))
                            (i32.const 0xfff8))
                   (local.get $h))
        (global.set $g (f64.neg (global.get $g)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $mix (local.get $h) (i64.reinterpret_f64 (global.get $g))))
)
