/*
 * ops_simd.h -- the v128 instructions of the register code (see ops.h for
 * the formats). A v128 value takes two consecutive slots, low half first,
 * lanes little-endian; "fp[a]" below names both slots of a v128 operand.
 * Most ops are named after the Wasm instruction they run.
 *
 * Layouts, by size in cells (each row of the table states its cells and
 * format, as in ops.h):
 *
 *   2 cells
 *   [h][d addr off32]      V128_LOAD*: d = load(mem[fp[addr] + off]), the
 *                          extending, splat and zero forms included
 *   [h][addr v off32]      V128_STORE
 *   [h][d a _ _]           splats (d = a in every lane), unary v128 ops,
 *                          v128 -> i32 tests (ANY_TRUE, ALL_TRUE, BITMASK)
 *   [h][d a lane _]        extract_lane: d = fp[a] lane `lane`
 *   [h][d a b lane]        replace_lane: d = fp[a] with lane `lane` = fp[b]
 *   [h][d a b _]           binary v128 ops, and shifts by an i32 count b
 *   [h][d a imm32]         shifts _I by the count imm
 *   [h][d a b c]           V128_BITSELECT: d = (a & c) | (b & ~c); the
 *                          relaxed ternaries: d = f(a, b, c)
 *
 *   3 cells: lane loads and stores
 *   [h][d addr off32][v lane]   d = fp[v] with lane `lane` loaded
 *   [h][addr v off32][lane]     stores lane `lane` of fp[v]
 *
 *   4 cells: one v128 immediate in cells 2 and 3
 *   [h][d a _ _][k lo][k hi]    binary _I forms: d = a op k
 *   [h][addr _ off32][k lo][k hi]
 *                               V128_STORE_I: stores the constant k
 *   [h][d a b _][k lo][k hi]    V128_BITSELECT_I: d = (a & k) | (b & ~k)
 *   [h][d a b _][lanes]         I8X16_SHUFFLE: 16 lane bytes, 0..31
 *   [h][d a _ _][idx]           I8X16_SWIZZLE_I (the _I form of
 *                               I8X16_SWIZZLE): d[i] = a[idx[i]] if
 *                               idx[i] < 16, else 0; the compiler stores
 *                               every idx[i] as 0..15 or 0x80
 *
 *   6 cells
 *   [h][d a _ _][idx][k]        I8X16_SHUFFLE_I: the swizzle above, then
 *                               OR k (a shuffle with one constant operand)
 *
 * Fused forms (compile_fuse.c), 2 cells:
 *   I16X8_ADD_EXTLO_U_SHL [h][d a b k]
 *                          d = a + (extend_low_u(b) << k), i16x8 lanes:
 *                          a row of bytes widened, maybe weighted, and
 *                          added to a sum (k may be 0)
 *   I16X8_ADD_EXTHI_U_SHL  the same of b's high half
 *   I16X8_EXT2HI_U_SHL [h][d a b k]
 *                          d = extend_high_u(a) + (extend_high_u(b) << k):
 *                          a sum's first two rows
 * 3 cells:
 *   V128_LOAD_RR_EXTLO_U [h][d a b v][off32 _]
 *                          v = load(mem[(u32)(a + b) + off]); d =
 *                          extend_low_u(v): a row of bytes loaded (kept
 *                          for its high half) and its low half widened
 *   I16X8_ADD_EXTLO_U_SHL_RR [h][d x a b][v k off32]
 *                          v loaded as above; d = x + (extend_low_u(v)
 *                          << k), x read before v is written
 *   I8X16_NARROW_I16X8_U_STORE [h][addr a b _][off32 _]
 *                          store(mem[fp[addr] + off], narrow_u(a, b)):
 *                          16-bit results packed to bytes and stored
 * 6 cells:
 *   I16X8_ADD_SHR_U_AND_I [h][d a s _][k][m]
 *                          d = ((a + k) >> s) & m, i16x8 lanes: a
 *                          rounding shift, then the mask clang puts
 *                          before a narrow that truncates
 *
 * Notes
 * - v128.const is CONST128 (ops.h) or an immediate of the op that uses it.
 *   Every binary v128 -> v128 op has an _I form taking its right operand
 *   from the code; comparisons with a constant on the left use the
 *   swapped comparison, commutative ops swap their operands.
 * - f32x4 and f64x2 splat, extract_lane and replace_lane are the i32x4
 *   and i64x2 ones: slots hold the bits.
 * - Relaxed SIMD runs the same way on every build (simd_c.h says what
 *   each instruction does); most relaxed instructions compile to the
 *   deterministic op they may behave as, only the ones below have ops.
 * - Shift counts are taken modulo the lane width by the handlers.
 * - An op named with _SSSE3 or _SSE41 does what the op without that
 *   suffix does, with code for that x86 feature; the compiler emits it
 *   only on a CPU that has the feature (simd_cpu.h). It has the size of
 *   its base op, so code has the same layout on every machine.
 */
#ifndef LULL_INTERP_OPS_SIMD_H
#define LULL_INTERP_OPS_SIMD_H

/* Binary v128 ops: each has a plain form [h][d a b _] (2 cells) and an _I
 * form [h][d a _ _][k lo][k hi] (4 cells). F is LULLI_SIMD_PLAIN_ or
 * LULLI_SIMD_IMM_, which write the full row of one form or the other. */
#define LULLI_SIMD_BINOPS(X, F) \
  F(X, V128_AND) F(X, V128_ANDNOT) F(X, V128_OR) F(X, V128_XOR) \
  F(X, I8X16_EQ) F(X, I8X16_NE) F(X, I8X16_LT_S) F(X, I8X16_LT_U) \
  F(X, I8X16_GT_S) F(X, I8X16_GT_U) F(X, I8X16_LE_S) F(X, I8X16_LE_U) \
  F(X, I8X16_GE_S) F(X, I8X16_GE_U) \
  F(X, I16X8_EQ) F(X, I16X8_NE) F(X, I16X8_LT_S) F(X, I16X8_LT_U) \
  F(X, I16X8_GT_S) F(X, I16X8_GT_U) F(X, I16X8_LE_S) F(X, I16X8_LE_U) \
  F(X, I16X8_GE_S) F(X, I16X8_GE_U) \
  F(X, I32X4_EQ) F(X, I32X4_NE) F(X, I32X4_LT_S) F(X, I32X4_LT_U) \
  F(X, I32X4_GT_S) F(X, I32X4_GT_U) F(X, I32X4_LE_S) F(X, I32X4_LE_U) \
  F(X, I32X4_GE_S) F(X, I32X4_GE_U) \
  F(X, I64X2_EQ) F(X, I64X2_NE) F(X, I64X2_LT_S) F(X, I64X2_GT_S) \
  F(X, I64X2_LE_S) F(X, I64X2_GE_S) \
  F(X, F32X4_EQ) F(X, F32X4_NE) F(X, F32X4_LT) F(X, F32X4_GT) \
  F(X, F32X4_LE) F(X, F32X4_GE) \
  F(X, F64X2_EQ) F(X, F64X2_NE) F(X, F64X2_LT) F(X, F64X2_GT) \
  F(X, F64X2_LE) F(X, F64X2_GE) \
  F(X, I8X16_NARROW_I16X8_S) F(X, I8X16_NARROW_I16X8_U) F(X, I8X16_ADD) \
  F(X, I8X16_ADD_SAT_S) F(X, I8X16_ADD_SAT_U) F(X, I8X16_SUB) \
  F(X, I8X16_SUB_SAT_S) F(X, I8X16_SUB_SAT_U) F(X, I8X16_MIN_S) \
  F(X, I8X16_MIN_U) F(X, I8X16_MAX_S) F(X, I8X16_MAX_U) F(X, I8X16_AVGR_U) \
  F(X, I8X16_SWIZZLE) \
  F(X, I16X8_Q15MULR_SAT_S) F(X, I16X8_NARROW_I32X4_S) \
  F(X, I16X8_NARROW_I32X4_U) F(X, I16X8_ADD) F(X, I16X8_ADD_SAT_S) \
  F(X, I16X8_ADD_SAT_U) F(X, I16X8_SUB) F(X, I16X8_SUB_SAT_S) \
  F(X, I16X8_SUB_SAT_U) F(X, I16X8_MUL) F(X, I16X8_MIN_S) F(X, I16X8_MIN_U) \
  F(X, I16X8_MAX_S) F(X, I16X8_MAX_U) F(X, I16X8_AVGR_U) \
  F(X, I16X8_EXTMUL_LOW_I8X16_S) F(X, I16X8_EXTMUL_HIGH_I8X16_S) \
  F(X, I16X8_EXTMUL_LOW_I8X16_U) F(X, I16X8_EXTMUL_HIGH_I8X16_U) \
  F(X, I32X4_ADD) F(X, I32X4_SUB) F(X, I32X4_MUL) F(X, I32X4_MIN_S) \
  F(X, I32X4_MIN_U) F(X, I32X4_MAX_S) F(X, I32X4_MAX_U) \
  F(X, I32X4_DOT_I16X8_S) F(X, I32X4_EXTMUL_LOW_I16X8_S) \
  F(X, I32X4_EXTMUL_HIGH_I16X8_S) F(X, I32X4_EXTMUL_LOW_I16X8_U) \
  F(X, I32X4_EXTMUL_HIGH_I16X8_U) \
  F(X, I64X2_ADD) F(X, I64X2_SUB) F(X, I64X2_MUL) \
  F(X, I64X2_EXTMUL_LOW_I32X4_S) F(X, I64X2_EXTMUL_HIGH_I32X4_S) \
  F(X, I64X2_EXTMUL_LOW_I32X4_U) F(X, I64X2_EXTMUL_HIGH_I32X4_U) \
  F(X, F32X4_ADD) F(X, F32X4_SUB) F(X, F32X4_MUL) F(X, F32X4_DIV) \
  F(X, F32X4_MIN) F(X, F32X4_MAX) F(X, F32X4_PMIN) F(X, F32X4_PMAX) \
  F(X, F64X2_ADD) F(X, F64X2_SUB) F(X, F64X2_MUL) F(X, F64X2_DIV) \
  F(X, F64X2_MIN) F(X, F64X2_MAX) F(X, F64X2_PMIN) F(X, F64X2_PMAX) \
  F(X, I16X8_RELAXED_DOT_I8X16_I7X16_S)
#define LULLI_SIMD_PLAIN_(X, name) X(name, 2, REG, name##_I, NONE, NONE)
#define LULLI_SIMD_IMM_(X, name) X(name##_I, 4, C128, NONE, NONE, NONE)

/* Shifts: [h][d a b _] by fp[b], and _I: [h][d a imm32] (2 cells both). */
#define LULLI_SIMD_SHIFTS(X, F) \
  F(X, I8X16_SHL) F(X, I8X16_SHR_S) F(X, I8X16_SHR_U) \
  F(X, I16X8_SHL) F(X, I16X8_SHR_S) F(X, I16X8_SHR_U) \
  F(X, I32X4_SHL) F(X, I32X4_SHR_S) F(X, I32X4_SHR_U) \
  F(X, I64X2_SHL) F(X, I64X2_SHR_S) F(X, I64X2_SHR_U)

/* The _I rows of the shifts: the count in cell 1. */
#define LULLI_SIMD_SHIFT_IMM_(X, name) X(name##_I, 2, I32, NONE, NONE, NONE)
/* Every other 2-cell op. */
#define LULLI_SIMD_OPS_2(X) \
  /* memory: [h][d addr off32], store [h][addr v off32] */ \
  X(V128_LOAD, 2, LOAD, NONE, NONE, NONE) \
  X(V128_LOAD8X8_S, 2, LOAD, NONE, NONE, NONE) \
  X(V128_LOAD8X8_U, 2, LOAD, NONE, NONE, NONE) \
  X(V128_LOAD16X4_S, 2, LOAD, NONE, NONE, NONE) \
  X(V128_LOAD16X4_U, 2, LOAD, NONE, NONE, NONE) \
  X(V128_LOAD32X2_S, 2, LOAD, NONE, NONE, NONE) \
  X(V128_LOAD32X2_U, 2, LOAD, NONE, NONE, NONE) \
  X(V128_LOAD8_SPLAT, 2, LOAD, NONE, NONE, NONE) \
  X(V128_LOAD16_SPLAT, 2, LOAD, NONE, NONE, NONE) \
  X(V128_LOAD32_SPLAT, 2, LOAD, NONE, NONE, NONE) \
  X(V128_LOAD64_SPLAT, 2, LOAD, NONE, NONE, NONE) \
  X(V128_LOAD32_ZERO, 2, LOAD, NONE, NONE, NONE) \
  X(V128_LOAD64_ZERO, 2, LOAD, NONE, NONE, NONE) \
  X(V128_STORE, 2, STORE, NONE, NONE, NONE) \
  /* lanes: splat [h][d a], extract [h][d a lane], replace [h][d a b lane] */ \
  X(I8X16_SPLAT, 2, REG, NONE, NONE, NONE) \
  X(I16X8_SPLAT, 2, REG, NONE, NONE, NONE) \
  X(I32X4_SPLAT, 2, REG, NONE, NONE, NONE) \
  X(I64X2_SPLAT, 2, REG, NONE, NONE, NONE) \
  X(I8X16_EXTRACT_LANE_S, 2, REG, NONE, NONE, NONE) \
  X(I8X16_EXTRACT_LANE_U, 2, REG, NONE, NONE, NONE) \
  X(I16X8_EXTRACT_LANE_S, 2, REG, NONE, NONE, NONE) \
  X(I16X8_EXTRACT_LANE_U, 2, REG, NONE, NONE, NONE) \
  X(I32X4_EXTRACT_LANE, 2, REG, NONE, NONE, NONE) \
  X(I64X2_EXTRACT_LANE, 2, REG, NONE, NONE, NONE) \
  X(I8X16_REPLACE_LANE, 2, REG, NONE, NONE, NONE) \
  X(I16X8_REPLACE_LANE, 2, REG, NONE, NONE, NONE) \
  X(I32X4_REPLACE_LANE, 2, REG, NONE, NONE, NONE) \
  X(I64X2_REPLACE_LANE, 2, REG, NONE, NONE, NONE) \
  /* v128 -> i32: [h][d a] */ \
  X(V128_ANY_TRUE, 2, REG, NONE, NONE, NONE) \
  X(I8X16_ALL_TRUE, 2, REG, NONE, NONE, NONE) \
  X(I8X16_BITMASK, 2, REG, NONE, NONE, NONE) \
  X(I16X8_ALL_TRUE, 2, REG, NONE, NONE, NONE) \
  X(I16X8_BITMASK, 2, REG, NONE, NONE, NONE) \
  X(I32X4_ALL_TRUE, 2, REG, NONE, NONE, NONE) \
  X(I32X4_BITMASK, 2, REG, NONE, NONE, NONE) \
  X(I64X2_ALL_TRUE, 2, REG, NONE, NONE, NONE) \
  X(I64X2_BITMASK, 2, REG, NONE, NONE, NONE) \
  /* unary v128 -> v128: [h][d a] */ \
  X(V128_NOT, 2, REG, NONE, NONE, NONE) \
  X(I8X16_ABS, 2, REG, NONE, NONE, NONE) \
  X(I8X16_NEG, 2, REG, NONE, NONE, NONE) \
  X(I8X16_POPCNT, 2, REG, NONE, NONE, NONE) \
  X(I16X8_ABS, 2, REG, NONE, NONE, NONE) \
  X(I16X8_NEG, 2, REG, NONE, NONE, NONE) \
  X(I32X4_ABS, 2, REG, NONE, NONE, NONE) \
  X(I32X4_NEG, 2, REG, NONE, NONE, NONE) \
  X(I64X2_ABS, 2, REG, NONE, NONE, NONE) \
  X(I64X2_NEG, 2, REG, NONE, NONE, NONE) \
  X(I16X8_EXTEND_LOW_I8X16_S, 2, REG, NONE, NONE, NONE) \
  X(I16X8_EXTEND_HIGH_I8X16_S, 2, REG, NONE, NONE, NONE) \
  X(I16X8_EXTEND_LOW_I8X16_U, 2, REG, NONE, NONE, NONE) \
  X(I16X8_EXTEND_HIGH_I8X16_U, 2, REG, NONE, NONE, NONE) \
  X(I32X4_EXTEND_LOW_I16X8_S, 2, REG, NONE, NONE, NONE) \
  X(I32X4_EXTEND_HIGH_I16X8_S, 2, REG, NONE, NONE, NONE) \
  X(I32X4_EXTEND_LOW_I16X8_U, 2, REG, NONE, NONE, NONE) \
  X(I32X4_EXTEND_HIGH_I16X8_U, 2, REG, NONE, NONE, NONE) \
  X(I64X2_EXTEND_LOW_I32X4_S, 2, REG, NONE, NONE, NONE) \
  X(I64X2_EXTEND_HIGH_I32X4_S, 2, REG, NONE, NONE, NONE) \
  X(I64X2_EXTEND_LOW_I32X4_U, 2, REG, NONE, NONE, NONE) \
  X(I64X2_EXTEND_HIGH_I32X4_U, 2, REG, NONE, NONE, NONE) \
  X(I16X8_EXTADD_PAIRWISE_I8X16_S, 2, REG, NONE, NONE, NONE) \
  X(I16X8_EXTADD_PAIRWISE_I8X16_U, 2, REG, NONE, NONE, NONE) \
  X(I32X4_EXTADD_PAIRWISE_I16X8_S, 2, REG, NONE, NONE, NONE) \
  X(I32X4_EXTADD_PAIRWISE_I16X8_U, 2, REG, NONE, NONE, NONE) \
  X(F32X4_ABS, 2, REG, NONE, NONE, NONE) \
  X(F32X4_NEG, 2, REG, NONE, NONE, NONE) \
  X(F32X4_SQRT, 2, REG, NONE, NONE, NONE) \
  X(F32X4_CEIL, 2, REG, NONE, NONE, NONE) \
  X(F32X4_FLOOR, 2, REG, NONE, NONE, NONE) \
  X(F32X4_TRUNC, 2, REG, NONE, NONE, NONE) \
  X(F32X4_NEAREST, 2, REG, NONE, NONE, NONE) \
  X(F64X2_ABS, 2, REG, NONE, NONE, NONE) \
  X(F64X2_NEG, 2, REG, NONE, NONE, NONE) \
  X(F64X2_SQRT, 2, REG, NONE, NONE, NONE) \
  X(F64X2_CEIL, 2, REG, NONE, NONE, NONE) \
  X(F64X2_FLOOR, 2, REG, NONE, NONE, NONE) \
  X(F64X2_TRUNC, 2, REG, NONE, NONE, NONE) \
  X(F64X2_NEAREST, 2, REG, NONE, NONE, NONE) \
  X(I32X4_TRUNC_SAT_F32X4_S, 2, REG, NONE, NONE, NONE) \
  X(I32X4_TRUNC_SAT_F32X4_U, 2, REG, NONE, NONE, NONE) \
  X(F32X4_CONVERT_I32X4_S, 2, REG, NONE, NONE, NONE) \
  X(F32X4_CONVERT_I32X4_U, 2, REG, NONE, NONE, NONE) \
  X(I32X4_TRUNC_SAT_F64X2_S_ZERO, 2, REG, NONE, NONE, NONE) \
  X(I32X4_TRUNC_SAT_F64X2_U_ZERO, 2, REG, NONE, NONE, NONE) \
  X(F64X2_CONVERT_LOW_I32X4_S, 2, REG, NONE, NONE, NONE) \
  X(F64X2_CONVERT_LOW_I32X4_U, 2, REG, NONE, NONE, NONE) \
  X(F32X4_DEMOTE_F64X2_ZERO, 2, REG, NONE, NONE, NONE) \
  X(F64X2_PROMOTE_LOW_F32X4, 2, REG, NONE, NONE, NONE) \
  /* ternary: [h][d a b c] */ \
  X(V128_BITSELECT, 2, REG, V128_BITSELECT_I, NONE, NONE) \
  X(F32X4_RELAXED_MADD, 2, REG, NONE, NONE, NONE) \
  X(F32X4_RELAXED_NMADD, 2, REG, NONE, NONE, NONE) \
  X(F64X2_RELAXED_MADD, 2, REG, NONE, NONE, NONE) \
  X(F64X2_RELAXED_NMADD, 2, REG, NONE, NONE, NONE) \
  X(I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S, 2, REG, NONE, NONE, NONE) \
  /* fused (compile_fuse.c): bytes widened into a 16-bit sum */ \
  X(I16X8_ADD_EXTLO_U_SHL, 2, REG, NONE, NONE, NONE) \
  X(I16X8_ADD_EXTHI_U_SHL, 2, REG, NONE, NONE, NONE) \
  X(I16X8_EXT2HI_U_SHL, 2, REG, NONE, NONE, NONE) \
  /* CPU-feature variants of the base op without the suffix */ \
  X(I8X16_SWIZZLE_SSSE3, 2, REG, NONE, NONE, NONE) \
  X(F32X4_CEIL_SSE41, 2, REG, NONE, NONE, NONE) \
  X(F32X4_FLOOR_SSE41, 2, REG, NONE, NONE, NONE) \
  X(F32X4_TRUNC_SSE41, 2, REG, NONE, NONE, NONE) \
  X(F32X4_NEAREST_SSE41, 2, REG, NONE, NONE, NONE) \
  X(F64X2_CEIL_SSE41, 2, REG, NONE, NONE, NONE) \
  X(F64X2_FLOOR_SSE41, 2, REG, NONE, NONE, NONE) \
  X(F64X2_TRUNC_SSE41, 2, REG, NONE, NONE, NONE) \
  X(F64X2_NEAREST_SSE41, 2, REG, NONE, NONE, NONE) \
  LULLI_SIMD_BINOPS(X, LULLI_SIMD_PLAIN_) \
  LULLI_SIMD_SHIFTS(X, LULLI_SIMD_PLAIN_) \
  LULLI_SIMD_SHIFTS(X, LULLI_SIMD_SHIFT_IMM_)

/* Lane loads and stores: 3 cells. */
#define LULLI_SIMD_OPS_3(X) \
  X(V128_LOAD_RR_EXTLO_U, 3, LOAD_RR, NONE, NONE, NONE) \
  X(I16X8_ADD_EXTLO_U_SHL_RR, 3, I32X2, NONE, NONE, NONE) \
  X(I8X16_NARROW_I16X8_U_STORE, 3, I32X2, NONE, NONE, NONE) \
  X(V128_LOAD8_LANE, 3, LANE_LOAD, NONE, NONE, NONE) \
  X(V128_LOAD16_LANE, 3, LANE_LOAD, NONE, NONE, NONE) \
  X(V128_LOAD32_LANE, 3, LANE_LOAD, NONE, NONE, NONE) \
  X(V128_LOAD64_LANE, 3, LANE_LOAD, NONE, NONE, NONE) \
  X(V128_STORE8_LANE, 3, LANE_STORE, NONE, NONE, NONE) \
  X(V128_STORE16_LANE, 3, LANE_STORE, NONE, NONE, NONE) \
  X(V128_STORE32_LANE, 3, LANE_STORE, NONE, NONE, NONE) \
  X(V128_STORE64_LANE, 3, LANE_STORE, NONE, NONE, NONE)

/* One 16-byte immediate: 4 cells. */
#define LULLI_SIMD_OPS_4(X) \
  X(I8X16_SHUFFLE, 4, C128, I8X16_SHUFFLE_I, NONE, NONE) \
  X(V128_BITSELECT_I, 4, C128, NONE, NONE, NONE) \
  X(V128_STORE_I, 4, C128, NONE, NONE, NONE) \
  X(I8X16_SHUFFLE_SSSE3, 4, C128, NONE, NONE, NONE) \
  X(I8X16_SWIZZLE_I_SSSE3, 4, C128, NONE, NONE, NONE) \
  LULLI_SIMD_BINOPS(X, LULLI_SIMD_IMM_)

/* Two 16-byte immediates: 6 cells. */
#define LULLI_SIMD_OPS_6(X) \
  X(I16X8_ADD_SHR_U_AND_I, 6, C256, NONE, NONE, NONE) \
  X(I8X16_SHUFFLE_I, 6, C256, NONE, NONE, NONE) \
  X(I8X16_SHUFFLE_I_SSSE3, 6, C256, NONE, NONE, NONE)

#define LULLI_OPS_SIMD(X) \
  LULLI_SIMD_OPS_2(X) LULLI_SIMD_OPS_3(X) LULLI_SIMD_OPS_4(X) \
  LULLI_SIMD_OPS_6(X)

#endif
