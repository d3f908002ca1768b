;; simd_forms.wat -- small functions whose register code test_simd.c
;; checks: v128 constants become immediates of the instruction that uses
;; them (or are folded), operands are read from locals where they are,
;; and results go straight into a local that a local.set names.
(module
  (memory 1)
  (func (export "add_k") (param v128) (result v128)
    (i32x4.add (local.get 0) (v128.const i32x4 1 2 3 4)))
  (func (export "k_add") (param v128) (result v128)
    (i32x4.add (v128.const i32x4 1 2 3 4) (local.get 0)))
  (func (export "k_sub") (param v128) (result v128)
    (i32x4.sub (v128.const i32x4 1 2 3 4) (local.get 0)))
  (func (export "k_lt") (param v128) (result v128)
    (i32x4.lt_s (v128.const i32x4 1 2 3 4) (local.get 0)))
  (func (export "shl_k") (param v128) (result v128)
    (i16x8.shl (local.get 0) (i32.const 3)))
  (func (export "splat_k") (result v128)
    (i32x4.splat (i32.const 7)))
  (func (export "extract_k") (result i32)
    (i16x8.extract_lane_s 3 (v128.const i16x8 0 1 2 -4 4 5 6 7)))
  (func (export "zero_extend") (param v128) (result v128)
    (i8x16.shuffle 16 1 17 3 18 5 19 7 20 9 21 11 22 13 23 15
      (v128.const i32x4 0 0 0 0) (local.get 0)))
  (func (export "shuffle_k") (param v128) (result v128)
    (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31
      (local.get 0) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)))
  (func (export "shuffle_one") (param v128 v128) (result v128)
    (i8x16.shuffle 3 2 1 0 7 6 5 4 11 10 9 8 15 14 13 12
      (local.get 0) (local.get 1)))
  (func (export "shuffle_two") (param v128 v128) (result v128)
    (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23
      (local.get 0) (local.get 1)))
  (func (export "swizzle_k") (param v128) (result v128)
    (i8x16.swizzle (local.get 0) (v128.const i8x16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 200)))
  (func (export "bitselect_k") (param v128 v128) (result v128)
    (v128.bitselect (local.get 0) (local.get 1) (v128.const i64x2 -1 0)))
  (func (export "store_k") (param i32)
    (v128.store (local.get 0) (v128.const i32x4 0 0 0 0)))
  (func (export "into_local") (param v128) (result v128) (local v128)
    (local.set 1 (f32x4.mul (local.get 0) (local.get 0)))
    (local.get 1))
  ;; Local 1 is never written: it is the zero the shuffle widens with.
  (func (export "zero_local") (param v128) (result v128) (local v128)
    (i8x16.shuffle 8 17 9 19 10 21 11 23 12 25 13 27 14 29 15 31
      (local.get 0) (local.get 1)))
  (func (export "widen_u16") (param v128) (result v128)
    (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23
      (local.get 0) (v128.const i32x4 0 0 0 0)))
  ;; Local 1 is written the same constant before each read.
  (func (export "const_local") (param v128) (result v128) (local v128)
    (i16x8.add
      (i16x8.add (local.get 0) (local.tee 1 (v128.const i16x8 2 2 2 2 2 2 2 2)))
      (local.get 1)))
  ;; Local 1 is read after a label, where it might still be zero.
  (func (export "late_const") (param v128) (result v128) (local v128)
    (local.set 1 (v128.const i32x4 1 1 1 1))
    (block (local.set 0 (i32x4.add (local.get 0) (local.get 1))))
    (local.get 0))
  ;; A 1-2-1 blend of three rows of bytes, as clang vectorizes it:
  ;; widened (local 4 is zero), summed, rounded, packed and stored.
  (func (export "blend") (param i32 v128 v128 v128) (result v128) (local v128)
    (v128.store (local.get 0)
      (i8x16.narrow_i16x8_u
        (v128.and
          (i16x8.shr_u
            (i16x8.add
              (i16x8.add
                (i16x8.add
                  (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get 1) (local.get 4))
                  (i16x8.shl (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get 2) (local.get 4))
                    (i32.const 1)))
                (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get 3) (local.get 4)))
              (v128.const i16x8 2 2 2 2 2 2 2 2))
            (i32.const 2))
          (v128.const i16x8 255 255 255 255 255 255 255 255))
        (v128.and
          (i16x8.shr_u
            (i16x8.add
              (i16x8.add
                (i16x8.add
                  (i8x16.shuffle 8 16 9 17 10 18 11 19 12 20 13 21 14 22 15 23 (local.get 1) (local.get 4))
                  (i16x8.shl (i8x16.shuffle 8 16 9 17 10 18 11 19 12 20 13 21 14 22 15 23 (local.get 2) (local.get 4))
                    (i32.const 1)))
                (i8x16.shuffle 8 16 9 17 10 18 11 19 12 20 13 21 14 22 15 23 (local.get 3) (local.get 4)))
              (v128.const i16x8 2 2 2 2 2 2 2 2))
            (i32.const 2))
          (v128.const i16x8 255 255 255 255 255 255 255 255))))
    (v128.load (local.get 0)))
  ;; The same over rows in memory at a + i, b + i and c + i, to d + i,
  ;; each row loaded once into a local for both halves.
  (func (export "blend_mem") (param i32 i32 i32 i32 i32) (result v128)
    (local v128 v128 v128 v128)
    (v128.store (i32.add (local.get 0) (local.get 4))
      (i8x16.narrow_i16x8_u
        (v128.and
          (i16x8.shr_u
            (i16x8.add
              (i16x8.add
                (i16x8.add
                  (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.tee 6 (v128.load (i32.add (local.get 1) (local.get 4)))) (local.get 5))
                  (i16x8.shl (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.tee 7 (v128.load (i32.add (local.get 2) (local.get 4)))) (local.get 5)) (i32.const 1)))
                (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.tee 8 (v128.load (i32.add (local.get 3) (local.get 4)))) (local.get 5)))
              (v128.const i16x8 2 2 2 2 2 2 2 2))
            (i32.const 2))
          (v128.const i16x8 255 255 255 255 255 255 255 255))
        (v128.and
          (i16x8.shr_u
            (i16x8.add
              (i16x8.add
                (i16x8.add
                  (i8x16.shuffle 8 16 9 17 10 18 11 19 12 20 13 21 14 22 15 23 (local.get 6) (local.get 5))
                  (i16x8.shl (i8x16.shuffle 8 16 9 17 10 18 11 19 12 20 13 21 14 22 15 23 (local.get 7) (local.get 5)) (i32.const 1)))
                (i8x16.shuffle 8 16 9 17 10 18 11 19 12 20 13 21 14 22 15 23 (local.get 8) (local.get 5)))
              (v128.const i16x8 2 2 2 2 2 2 2 2))
            (i32.const 2))
          (v128.const i16x8 255 255 255 255 255 255 255 255))))
    (v128.load (i32.add (local.get 0) (local.get 4))))
)
