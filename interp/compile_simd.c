/*
 * compile_simd.c -- compiling the 0xFD (v128) instructions. One table row
 * per sub-opcode chooses the register form (ops_simd.h), as compile_ops.c
 * does for the scalar ones: operands are read where they are (locals
 * directly), results go to their home or straight into a local, and a
 * v128.const operand becomes the immediate of the op that uses it (the _I
 * forms, shuffles with a constant side, bitselect with a constant mask)
 * or, where an op has no such form, one CONST128. Splats, lane
 * extractions and shuffles of constants are folded into constants.
 */
#include "compile_internal.h"
#include "simd_cpu.h"

enum {
  K_NONE = 0,
  K_LOAD,       /* [h][d addr off32] */
  K_STORE,      /* [h][addr v off32] */
  K_LOAD_LANE,  /* [h][d addr off32][v lane] */
  K_STORE_LANE, /* [h][addr v off32][lane] */
  K_CONST,
  K_SHUFFLE,
  K_SPLAT,      /* `width`: lane bytes */
  K_EXTRACT,    /* `width`: lane bytes; `flags` F_SIGNED */
  K_REPLACE,    /* `width`: lane bytes */
  K_BIN,        /* v128 op v128, with an _I form */
  K_UN,         /* v128 -> v128 or i32 */
  K_SHIFT,      /* v128 by i32, with an _I form */
  K_BITSELECT,
  K_TERNARY     /* [h][d a b c], no constant form */
};
enum {
  F_COMM = 1,   /* commutative: a constant left operand may swap */
  F_SIGNED = 2, /* extract_lane_s */
  F_INDEX = 4   /* swizzle: the immediate holds lane indices */
};

typedef struct simdmap {
  uint8_t kind;
  uint8_t flags;
  uint8_t width;
  uint8_t swap;   /* comparisons: sub-opcode of the one with operands
                     swapped (a < b is b > a); 0 when there is none */
  uint16_t op;    /* lulli_op */
  uint16_t op_i;  /* K_BIN and K_SHIFT: the _I form */
} simdmap;

#define SUB(W) (LULLD_OP_##W & 0xFF)
#define LD(W) [SUB(W)] = {K_LOAD, 0, 0, 0, LULLI_OP_##W, 0}
#define LDL(W) [SUB(W)] = {K_LOAD_LANE, 0, 0, 0, LULLI_OP_##W, 0}
#define STL(W) [SUB(W)] = {K_STORE_LANE, 0, 0, 0, LULLI_OP_##W, 0}
#define SPL(W, O, n) [SUB(W)] = {K_SPLAT, 0, n, 0, LULLI_OP_##O, 0}
#define EXT(W, O, n, fl) [SUB(W)] = {K_EXTRACT, fl, n, 0, LULLI_OP_##O, 0}
#define REP(W, O, n) [SUB(W)] = {K_REPLACE, 0, n, 0, LULLI_OP_##O, 0}
#define BIN(W, fl) [SUB(W)] = {K_BIN, fl, 0, 0, LULLI_OP_##W, LULLI_OP_##W##_I}
#define CMP(W, S) [SUB(W)] = {K_BIN, 0, 0, SUB(S), LULLI_OP_##W, LULLI_OP_##W##_I}
#define UN(W) [SUB(W)] = {K_UN, 0, 0, 0, LULLI_OP_##W, 0}
#define SH(W) [SUB(W)] = {K_SHIFT, 0, 0, 0, LULLI_OP_##W, LULLI_OP_##W##_I}

static const simdmap ops[256] = {
    LD(V128_LOAD), LD(V128_LOAD8X8_S), LD(V128_LOAD8X8_U),
    LD(V128_LOAD16X4_S), LD(V128_LOAD16X4_U), LD(V128_LOAD32X2_S),
    LD(V128_LOAD32X2_U), LD(V128_LOAD8_SPLAT), LD(V128_LOAD16_SPLAT),
    LD(V128_LOAD32_SPLAT), LD(V128_LOAD64_SPLAT), LD(V128_LOAD32_ZERO),
    LD(V128_LOAD64_ZERO),
    [SUB(V128_STORE)] = {K_STORE, 0, 0, 0, LULLI_OP_V128_STORE, 0},
    LDL(V128_LOAD8_LANE), LDL(V128_LOAD16_LANE), LDL(V128_LOAD32_LANE),
    LDL(V128_LOAD64_LANE), STL(V128_STORE8_LANE), STL(V128_STORE16_LANE),
    STL(V128_STORE32_LANE), STL(V128_STORE64_LANE),
    [SUB(V128_CONST)] = {K_CONST, 0, 0, 0, 0, 0},
    [SUB(I8X16_SHUFFLE)] = {K_SHUFFLE, 0, 0, 0, LULLI_OP_I8X16_SHUFFLE, 0},
    BIN(I8X16_SWIZZLE, F_INDEX),

    SPL(I8X16_SPLAT, I8X16_SPLAT, 1), SPL(I16X8_SPLAT, I16X8_SPLAT, 2),
    SPL(I32X4_SPLAT, I32X4_SPLAT, 4), SPL(I64X2_SPLAT, I64X2_SPLAT, 8),
    SPL(F32X4_SPLAT, I32X4_SPLAT, 4), SPL(F64X2_SPLAT, I64X2_SPLAT, 8),
    EXT(I8X16_EXTRACT_LANE_S, I8X16_EXTRACT_LANE_S, 1, F_SIGNED),
    EXT(I8X16_EXTRACT_LANE_U, I8X16_EXTRACT_LANE_U, 1, 0),
    EXT(I16X8_EXTRACT_LANE_S, I16X8_EXTRACT_LANE_S, 2, F_SIGNED),
    EXT(I16X8_EXTRACT_LANE_U, I16X8_EXTRACT_LANE_U, 2, 0),
    EXT(I32X4_EXTRACT_LANE, I32X4_EXTRACT_LANE, 4, 0),
    EXT(I64X2_EXTRACT_LANE, I64X2_EXTRACT_LANE, 8, 0),
    EXT(F32X4_EXTRACT_LANE, I32X4_EXTRACT_LANE, 4, 0),
    EXT(F64X2_EXTRACT_LANE, I64X2_EXTRACT_LANE, 8, 0),
    REP(I8X16_REPLACE_LANE, I8X16_REPLACE_LANE, 1),
    REP(I16X8_REPLACE_LANE, I16X8_REPLACE_LANE, 2),
    REP(I32X4_REPLACE_LANE, I32X4_REPLACE_LANE, 4),
    REP(I64X2_REPLACE_LANE, I64X2_REPLACE_LANE, 8),
    REP(F32X4_REPLACE_LANE, I32X4_REPLACE_LANE, 4),
    REP(F64X2_REPLACE_LANE, I64X2_REPLACE_LANE, 8),

    BIN(I8X16_EQ, F_COMM), BIN(I8X16_NE, F_COMM),
    CMP(I8X16_LT_S, I8X16_GT_S), CMP(I8X16_LT_U, I8X16_GT_U),
    CMP(I8X16_GT_S, I8X16_LT_S), CMP(I8X16_GT_U, I8X16_LT_U),
    CMP(I8X16_LE_S, I8X16_GE_S), CMP(I8X16_LE_U, I8X16_GE_U),
    CMP(I8X16_GE_S, I8X16_LE_S), CMP(I8X16_GE_U, I8X16_LE_U),
    BIN(I16X8_EQ, F_COMM), BIN(I16X8_NE, F_COMM),
    CMP(I16X8_LT_S, I16X8_GT_S), CMP(I16X8_LT_U, I16X8_GT_U),
    CMP(I16X8_GT_S, I16X8_LT_S), CMP(I16X8_GT_U, I16X8_LT_U),
    CMP(I16X8_LE_S, I16X8_GE_S), CMP(I16X8_LE_U, I16X8_GE_U),
    CMP(I16X8_GE_S, I16X8_LE_S), CMP(I16X8_GE_U, I16X8_LE_U),
    BIN(I32X4_EQ, F_COMM), BIN(I32X4_NE, F_COMM),
    CMP(I32X4_LT_S, I32X4_GT_S), CMP(I32X4_LT_U, I32X4_GT_U),
    CMP(I32X4_GT_S, I32X4_LT_S), CMP(I32X4_GT_U, I32X4_LT_U),
    CMP(I32X4_LE_S, I32X4_GE_S), CMP(I32X4_LE_U, I32X4_GE_U),
    CMP(I32X4_GE_S, I32X4_LE_S), CMP(I32X4_GE_U, I32X4_LE_U),
    BIN(I64X2_EQ, F_COMM), BIN(I64X2_NE, F_COMM),
    CMP(I64X2_LT_S, I64X2_GT_S), CMP(I64X2_GT_S, I64X2_LT_S),
    CMP(I64X2_LE_S, I64X2_GE_S), CMP(I64X2_GE_S, I64X2_LE_S),
    BIN(F32X4_EQ, F_COMM), BIN(F32X4_NE, F_COMM),
    CMP(F32X4_LT, F32X4_GT), CMP(F32X4_GT, F32X4_LT),
    CMP(F32X4_LE, F32X4_GE), CMP(F32X4_GE, F32X4_LE),
    BIN(F64X2_EQ, F_COMM), BIN(F64X2_NE, F_COMM),
    CMP(F64X2_LT, F64X2_GT), CMP(F64X2_GT, F64X2_LT),
    CMP(F64X2_LE, F64X2_GE), CMP(F64X2_GE, F64X2_LE),

    UN(V128_NOT), BIN(V128_AND, F_COMM), BIN(V128_ANDNOT, 0),
    BIN(V128_OR, F_COMM), BIN(V128_XOR, F_COMM),
    [SUB(V128_BITSELECT)] = {K_BITSELECT, 0, 0, 0, LULLI_OP_V128_BITSELECT, 0},
    UN(V128_ANY_TRUE),

    UN(I8X16_ABS), UN(I8X16_NEG), UN(I8X16_POPCNT), UN(I8X16_ALL_TRUE),
    UN(I8X16_BITMASK), BIN(I8X16_NARROW_I16X8_S, 0),
    BIN(I8X16_NARROW_I16X8_U, 0), SH(I8X16_SHL), SH(I8X16_SHR_S),
    SH(I8X16_SHR_U), BIN(I8X16_ADD, F_COMM), BIN(I8X16_ADD_SAT_S, F_COMM),
    BIN(I8X16_ADD_SAT_U, F_COMM), BIN(I8X16_SUB, 0), BIN(I8X16_SUB_SAT_S, 0),
    BIN(I8X16_SUB_SAT_U, 0), BIN(I8X16_MIN_S, F_COMM),
    BIN(I8X16_MIN_U, F_COMM), BIN(I8X16_MAX_S, F_COMM),
    BIN(I8X16_MAX_U, F_COMM), BIN(I8X16_AVGR_U, F_COMM),

    UN(I16X8_EXTADD_PAIRWISE_I8X16_S), UN(I16X8_EXTADD_PAIRWISE_I8X16_U),
    UN(I16X8_ABS), UN(I16X8_NEG), BIN(I16X8_Q15MULR_SAT_S, F_COMM),
    UN(I16X8_ALL_TRUE), UN(I16X8_BITMASK), BIN(I16X8_NARROW_I32X4_S, 0),
    BIN(I16X8_NARROW_I32X4_U, 0), UN(I16X8_EXTEND_LOW_I8X16_S),
    UN(I16X8_EXTEND_HIGH_I8X16_S), UN(I16X8_EXTEND_LOW_I8X16_U),
    UN(I16X8_EXTEND_HIGH_I8X16_U), SH(I16X8_SHL), SH(I16X8_SHR_S),
    SH(I16X8_SHR_U), BIN(I16X8_ADD, F_COMM), BIN(I16X8_ADD_SAT_S, F_COMM),
    BIN(I16X8_ADD_SAT_U, F_COMM), BIN(I16X8_SUB, 0), BIN(I16X8_SUB_SAT_S, 0),
    BIN(I16X8_SUB_SAT_U, 0), BIN(I16X8_MUL, F_COMM), BIN(I16X8_MIN_S, F_COMM),
    BIN(I16X8_MIN_U, F_COMM), BIN(I16X8_MAX_S, F_COMM),
    BIN(I16X8_MAX_U, F_COMM), BIN(I16X8_AVGR_U, F_COMM),
    BIN(I16X8_EXTMUL_LOW_I8X16_S, F_COMM),
    BIN(I16X8_EXTMUL_HIGH_I8X16_S, F_COMM),
    BIN(I16X8_EXTMUL_LOW_I8X16_U, F_COMM),
    BIN(I16X8_EXTMUL_HIGH_I8X16_U, F_COMM),

    UN(I32X4_EXTADD_PAIRWISE_I16X8_S), UN(I32X4_EXTADD_PAIRWISE_I16X8_U),
    UN(I32X4_ABS), UN(I32X4_NEG), UN(I32X4_ALL_TRUE), UN(I32X4_BITMASK),
    UN(I32X4_EXTEND_LOW_I16X8_S), UN(I32X4_EXTEND_HIGH_I16X8_S),
    UN(I32X4_EXTEND_LOW_I16X8_U), UN(I32X4_EXTEND_HIGH_I16X8_U),
    SH(I32X4_SHL), SH(I32X4_SHR_S), SH(I32X4_SHR_U), BIN(I32X4_ADD, F_COMM),
    BIN(I32X4_SUB, 0), BIN(I32X4_MUL, F_COMM), BIN(I32X4_MIN_S, F_COMM),
    BIN(I32X4_MIN_U, F_COMM), BIN(I32X4_MAX_S, F_COMM),
    BIN(I32X4_MAX_U, F_COMM), BIN(I32X4_DOT_I16X8_S, F_COMM),
    BIN(I32X4_EXTMUL_LOW_I16X8_S, F_COMM),
    BIN(I32X4_EXTMUL_HIGH_I16X8_S, F_COMM),
    BIN(I32X4_EXTMUL_LOW_I16X8_U, F_COMM),
    BIN(I32X4_EXTMUL_HIGH_I16X8_U, F_COMM),

    UN(I64X2_ABS), UN(I64X2_NEG), UN(I64X2_ALL_TRUE), UN(I64X2_BITMASK),
    UN(I64X2_EXTEND_LOW_I32X4_S), UN(I64X2_EXTEND_HIGH_I32X4_S),
    UN(I64X2_EXTEND_LOW_I32X4_U), UN(I64X2_EXTEND_HIGH_I32X4_U),
    SH(I64X2_SHL), SH(I64X2_SHR_S), SH(I64X2_SHR_U), BIN(I64X2_ADD, F_COMM),
    BIN(I64X2_SUB, 0), BIN(I64X2_MUL, F_COMM),
    BIN(I64X2_EXTMUL_LOW_I32X4_S, F_COMM),
    BIN(I64X2_EXTMUL_HIGH_I32X4_S, F_COMM),
    BIN(I64X2_EXTMUL_LOW_I32X4_U, F_COMM),
    BIN(I64X2_EXTMUL_HIGH_I32X4_U, F_COMM),

    /* Float add, mul, min and max commute: when a NaN is involved the
     * spec lets the result be any NaN of the right kind. */
    UN(F32X4_ABS), UN(F32X4_NEG), UN(F32X4_SQRT), UN(F32X4_CEIL),
    UN(F32X4_FLOOR), UN(F32X4_TRUNC), UN(F32X4_NEAREST),
    BIN(F32X4_ADD, F_COMM), BIN(F32X4_SUB, 0), BIN(F32X4_MUL, F_COMM),
    BIN(F32X4_DIV, 0), BIN(F32X4_MIN, F_COMM), BIN(F32X4_MAX, F_COMM),
    BIN(F32X4_PMIN, 0), BIN(F32X4_PMAX, 0),
    UN(F64X2_ABS), UN(F64X2_NEG), UN(F64X2_SQRT), UN(F64X2_CEIL),
    UN(F64X2_FLOOR), UN(F64X2_TRUNC), UN(F64X2_NEAREST),
    BIN(F64X2_ADD, F_COMM), BIN(F64X2_SUB, 0), BIN(F64X2_MUL, F_COMM),
    BIN(F64X2_DIV, 0), BIN(F64X2_MIN, F_COMM), BIN(F64X2_MAX, F_COMM),
    BIN(F64X2_PMIN, 0), BIN(F64X2_PMAX, 0),

    UN(I32X4_TRUNC_SAT_F32X4_S), UN(I32X4_TRUNC_SAT_F32X4_U),
    UN(F32X4_CONVERT_I32X4_S), UN(F32X4_CONVERT_I32X4_U),
    UN(I32X4_TRUNC_SAT_F64X2_S_ZERO), UN(I32X4_TRUNC_SAT_F64X2_U_ZERO),
    UN(F64X2_CONVERT_LOW_I32X4_S), UN(F64X2_CONVERT_LOW_I32X4_U),
    UN(F32X4_DEMOTE_F64X2_ZERO), UN(F64X2_PROMOTE_LOW_F32X4),
};

/* Relaxed SIMD (simd_c.h gives the choices): most rows are those of the
 * instruction chosen, the others have ops of their own. */
#define RSUB(W) (LULLD_OP_##W & 0xFF)
#define AS_BIN(R, W, fl) [RSUB(R)] = {K_BIN, fl, 0, 0, LULLI_OP_##W, LULLI_OP_##W##_I}
#define AS_UN(R, W) [RSUB(R)] = {K_UN, 0, 0, 0, LULLI_OP_##W, 0}
#define TERN(R) [RSUB(R)] = {K_TERNARY, 0, 0, 0, LULLI_OP_##R, 0}
static const simdmap relaxed_ops[LULLD_RELAXED_COUNT] = {
    AS_BIN(I8X16_RELAXED_SWIZZLE, I8X16_SWIZZLE, F_INDEX),
    AS_UN(I32X4_RELAXED_TRUNC_F32X4_S, I32X4_TRUNC_SAT_F32X4_S),
    AS_UN(I32X4_RELAXED_TRUNC_F32X4_U, I32X4_TRUNC_SAT_F32X4_U),
    AS_UN(I32X4_RELAXED_TRUNC_F64X2_S_ZERO, I32X4_TRUNC_SAT_F64X2_S_ZERO),
    AS_UN(I32X4_RELAXED_TRUNC_F64X2_U_ZERO, I32X4_TRUNC_SAT_F64X2_U_ZERO),
    TERN(F32X4_RELAXED_MADD), TERN(F32X4_RELAXED_NMADD),
    TERN(F64X2_RELAXED_MADD), TERN(F64X2_RELAXED_NMADD),
    [RSUB(I8X16_RELAXED_LANESELECT)] = {K_BITSELECT, 0, 0, 0, 0, 0},
    [RSUB(I16X8_RELAXED_LANESELECT)] = {K_BITSELECT, 0, 0, 0, 0, 0},
    [RSUB(I32X4_RELAXED_LANESELECT)] = {K_BITSELECT, 0, 0, 0, 0, 0},
    [RSUB(I64X2_RELAXED_LANESELECT)] = {K_BITSELECT, 0, 0, 0, 0, 0},
    AS_BIN(F32X4_RELAXED_MIN, F32X4_MIN, F_COMM),
    AS_BIN(F32X4_RELAXED_MAX, F32X4_MAX, F_COMM),
    AS_BIN(F64X2_RELAXED_MIN, F64X2_MIN, F_COMM),
    AS_BIN(F64X2_RELAXED_MAX, F64X2_MAX, F_COMM),
    AS_BIN(I16X8_RELAXED_Q15MULR_S, I16X8_Q15MULR_SAT_S, F_COMM),
    AS_BIN(I16X8_RELAXED_DOT_I8X16_I7X16_S, I16X8_RELAXED_DOT_I8X16_I7X16_S, 0),
    TERN(I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S),
};
#undef TERN
#undef AS_UN
#undef AS_BIN
#undef RSUB

/* ---------------------------------------------------------------------
 * Emitting
 * ------------------------------------------------------------------- */

/* Writes the 16 bytes `v` into cells at and at + 1. */
static void put_v128(lullc *c, uint32_t at, const uint8_t v[16]) {
  memcpy(&c->code[at].u64, v, 8);
  memcpy(&c->code[at + 1].u64, v + 8, 8);
}

/* Ops with a variant for an x86 feature the build does not assume, used
 * when the CPU has it (simd_cpu.h). */
static const struct {
  uint16_t op, variant;
  uint8_t cpu;
} variants[] = {
    {LULLI_OP_I8X16_SHUFFLE, LULLI_OP_I8X16_SHUFFLE_SSSE3, LULLI_CPU_SSSE3},
    {LULLI_OP_I8X16_SHUFFLE_I, LULLI_OP_I8X16_SHUFFLE_I_SSSE3,
     LULLI_CPU_SSSE3},
    {LULLI_OP_I8X16_SWIZZLE, LULLI_OP_I8X16_SWIZZLE_SSSE3, LULLI_CPU_SSSE3},
    {LULLI_OP_I8X16_SWIZZLE_I, LULLI_OP_I8X16_SWIZZLE_I_SSSE3,
     LULLI_CPU_SSSE3},
    {LULLI_OP_F32X4_CEIL, LULLI_OP_F32X4_CEIL_SSE41, LULLI_CPU_SSE41},
    {LULLI_OP_F32X4_FLOOR, LULLI_OP_F32X4_FLOOR_SSE41, LULLI_CPU_SSE41},
    {LULLI_OP_F32X4_TRUNC, LULLI_OP_F32X4_TRUNC_SSE41, LULLI_CPU_SSE41},
    {LULLI_OP_F32X4_NEAREST, LULLI_OP_F32X4_NEAREST_SSE41, LULLI_CPU_SSE41},
    {LULLI_OP_F64X2_CEIL, LULLI_OP_F64X2_CEIL_SSE41, LULLI_CPU_SSE41},
    {LULLI_OP_F64X2_FLOOR, LULLI_OP_F64X2_FLOOR_SSE41, LULLI_CPU_SSE41},
    {LULLI_OP_F64X2_TRUNC, LULLI_OP_F64X2_TRUNC_SSE41, LULLI_CPU_SSE41},
    {LULLI_OP_F64X2_NEAREST, LULLI_OP_F64X2_NEAREST_SSE41, LULLI_CPU_SSE41},
};

static lulli_op best_variant(lulli_op op) {
  unsigned cpu = lulli_simd_cpu();
  for (size_t i = 0; cpu && i < sizeof variants / sizeof variants[0]; i++)
    if (variants[i].op == op && (cpu & variants[i].cpu))
      return (lulli_op)variants[i].variant;
  return op;
}

/* [h][s0 s1 s2 s3] and the op's other cells zero; returns the
 * instruction's cell. */
static uint32_t emit4(lullc *c, lulli_op op, uint16_t s0,
                      uint16_t s1, uint16_t s2, uint16_t s3) {
  uint32_t at = lullc_emit(c, best_variant(op));
  c->code[at + 1].u16[0] = s0;
  c->code[at + 1].u16[1] = s1;
  c->code[at + 1].u16[2] = s2;
  c->code[at + 1].u16[3] = s3;
  return at;
}

/* The bytes of a constant entry. */
static void const_bytes(const lullc_entry *e, uint8_t out[16]) {
  memcpy(out, &e->c[0], 8);
  memcpy(out + 8, &e->c[1], 8);
}

static void push_v128(lullc *c, const uint8_t v[16]) {
  uint64_t lo, hi;
  memcpy(&lo, v, 8);
  memcpy(&hi, v + 8, 8);
  lullc_push_const(c, LULL_V128, lo, hi);
}

/* Swizzle indices as the SWIZZLE_I and SHUFFLE_I handlers take them:
 * 0..15, or 0x80 for "zero". */
static void clean_indices(uint8_t idx[16]) {
  for (int i = 0; i < 16; i++)
    if (idx[i] >= 16)
      idx[i] = 0x80;
}

/* ---------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------- */

static void load(lullc *c, const lulld_instr *in, const simdmap *o) {
  uint16_t addr = lullc_operand(c, c->sp - 1);
  c->sp--;
  uint16_t d = lullc_result(c, LULL_V128);
  uint32_t at = emit4(c, (lulli_op)o->op, d, addr, 0, 0);
  c->code[at + 1].u32[1] = in->u.mem.offset;
  lullc_trapsite(c, at);
}

/* A constant value goes into the code (V128_STORE_I). */
static void store(lullc *c, const lulld_instr *in, const simdmap *o) {
  lullc_entry *ev = &c->stack[c->sp - 1];
  uint32_t at;
  if (ev->kind == E_CONST) {
    uint8_t k[16];
    const_bytes(ev, k);
    uint16_t addr = lullc_operand(c, c->sp - 2);
    c->sp -= 2;
    at = emit4(c, LULLI_OP_V128_STORE_I, addr, 0, 0, 0);
    put_v128(c, at + 2, k);
  } else {
    uint16_t v = lullc_operand(c, c->sp - 1);
    uint16_t addr = lullc_operand(c, c->sp - 2);
    c->sp -= 2;
    at = emit4(c, (lulli_op)o->op, addr, v, 0, 0);
  }
  c->code[at + 1].u32[1] = in->u.mem.offset;
  lullc_trapsite(c, at);
}

static void load_lane(lullc *c, const lulld_instr *in, const simdmap *o) {
  uint16_t v = lullc_operand(c, c->sp - 1);
  uint16_t addr = lullc_operand(c, c->sp - 2);
  c->sp -= 2;
  uint16_t d = lullc_result(c, LULL_V128);
  uint32_t at = emit4(c, (lulli_op)o->op, d, addr, 0, 0);
  c->code[at + 1].u32[1] = in->u.mem.offset;
  c->code[at + 2].u16[0] = v;
  c->code[at + 2].u16[1] = in->u.mem.lane;
  lullc_trapsite(c, at);
}

static void store_lane(lullc *c, const lulld_instr *in, const simdmap *o) {
  uint16_t v = lullc_operand(c, c->sp - 1);
  uint16_t addr = lullc_operand(c, c->sp - 2);
  c->sp -= 2;
  uint32_t at = emit4(c, (lulli_op)o->op, addr, v, 0, 0);
  c->code[at + 1].u32[1] = in->u.mem.offset;
  c->code[at + 2].u16[0] = in->u.mem.lane;
  lullc_trapsite(c, at);
}

/* ---------------------------------------------------------------------
 * Lanes
 * ------------------------------------------------------------------- */

static void splat(lullc *c, const simdmap *o) {
  lullc_entry *e = &c->stack[c->sp - 1];
  if (e->kind == E_CONST) {
    uint8_t v[16];
    for (unsigned i = 0; i < 16; i += o->width)
      memcpy(v + i, &e->c[0], o->width);
    c->sp--;
    push_v128(c, v);
    return;
  }
  uint16_t a = lullc_operand(c, c->sp - 1);
  c->sp--;
  uint16_t d = lullc_result(c, LULL_V128);
  emit4(c, (lulli_op)o->op, d, a, 0, 0);
}

static void extract(lullc *c, const lulld_instr *in, const simdmap *o) {
  uint8_t rtype = lulld_opinfo_of(in->op)->r;
  lullc_entry *e = &c->stack[c->sp - 1];
  if (e->kind == E_CONST) {
    uint8_t v[16];
    uint64_t x = 0;
    const_bytes(e, v);
    memcpy(&x, v + in->u.lane * o->width, o->width);
    if ((o->flags & F_SIGNED) && (x >> (o->width * 8 - 1)) != 0)
      x |= ~0ull << (o->width * 8); /* sign-extend */
    if (rtype == LULL_I32 || rtype == LULL_F32)
      x = (uint32_t)x;
    c->sp--;
    lullc_push_const(c, rtype, x, 0);
    return;
  }
  uint16_t a = lullc_operand(c, c->sp - 1);
  c->sp--;
  uint16_t d = lullc_result(c, rtype);
  emit4(c, (lulli_op)o->op, d, a, in->u.lane, 0);
}

static void replace(lullc *c, const lulld_instr *in, const simdmap *o) {
  lullc_entry *ev = &c->stack[c->sp - 2], *ex = &c->stack[c->sp - 1];
  if (ev->kind == E_CONST && ex->kind == E_CONST) {
    uint8_t v[16];
    const_bytes(ev, v);
    memcpy(v + in->u.lane * o->width, &ex->c[0], o->width);
    c->sp -= 2;
    push_v128(c, v);
    return;
  }
  uint16_t a = lullc_operand(c, c->sp - 2);
  uint16_t b = lullc_operand(c, c->sp - 1);
  c->sp -= 2;
  uint16_t d = lullc_result(c, LULL_V128);
  emit4(c, (lulli_op)o->op, d, a, b, in->u.lane);
}

/* The unsigned extend op that a shuffle of a (lanes 0..15) with zeros
 * (16..31) does, or 0: lanes of w bytes from the low or high half of a,
 * each followed by w zero bytes (clang widens bytes so). */
static unsigned widening(const uint8_t lanes[16]) {
  static const uint16_t ops[3][2] = {
      {LULLI_OP_I16X8_EXTEND_LOW_I8X16_U, LULLI_OP_I16X8_EXTEND_HIGH_I8X16_U},
      {LULLI_OP_I32X4_EXTEND_LOW_I16X8_U, LULLI_OP_I32X4_EXTEND_HIGH_I16X8_U},
      {LULLI_OP_I64X2_EXTEND_LOW_I32X4_U, LULLI_OP_I64X2_EXTEND_HIGH_I32X4_U},
  };
  for (unsigned s = 0; s < 3; s++)
    for (unsigned h = 0; h < 2; h++) {
      unsigned w = 1u << s, ok = 1;
      for (unsigned i = 0; i < 16 && ok; i++) {
        unsigned lane = i / (2 * w), byte = i % (2 * w);
        ok = byte < w ? lanes[i] == h * 8 + lane * w + byte : lanes[i] >= 16;
      }
      if (ok)
        return ops[s][h];
    }
  return 0;
}

/* Shuffles: a constant operand goes into the code. The lanes taken from
 * a constant make a constant `k` OR-ed into a swizzle of the other
 * operand (SHUFFLE_I), or nothing when no lane comes from it (SWIZZLE_I);
 * two constants fold. */
static void shuffle(lullc *c, const lulld_instr *in) {
  lullc_entry *ea = &c->stack[c->sp - 2], *eb = &c->stack[c->sp - 1];
  uint8_t lanes[16], x[32], k[16], idx[16];
  int from_a = 0, from_b = 0;
  memcpy(lanes, in->u.v128, 16);
  for (int i = 0; i < 16; i++) {
    lanes[i] &= 31; /* validated: every lane is below 32 */
    from_a |= lanes[i] < 16;
    from_b |= lanes[i] >= 16;
  }
  if (ea->kind == E_CONST && eb->kind == E_CONST) {
    const_bytes(ea, x);
    const_bytes(eb, x + 16);
    for (int i = 0; i < 16; i++)
      k[i] = x[lanes[i]];
    c->sp -= 2;
    push_v128(c, k);
    return;
  }
  /* Make the constant, if any, the right operand: lanes ^ 16 swaps. */
  uint32_t ia = c->sp - 2, ib = c->sp - 1;
  if (ea->kind == E_CONST) {
    ia = c->sp - 1;
    ib = c->sp - 2;
    for (int i = 0; i < 16; i++)
      lanes[i] ^= 16;
    int t = from_a;
    from_a = from_b;
    from_b = t;
  }
  lullc_entry *econst = c->stack[ib].kind == E_CONST ? &c->stack[ib] : NULL;
  uint16_t a, b = 0, d;
  uint32_t at;
  if (econst && !from_a) {
    /* Every lane from the constant. */
    const_bytes(econst, x);
    for (int i = 0; i < 16; i++)
      k[i] = x[lanes[i] - 16];
    c->sp -= 2;
    push_v128(c, k);
    return;
  }
  if (!from_b || (!from_a && !econst)) {
    /* One operand only: a swizzle with constant indices. */
    uint32_t src = from_b ? ib : ia;
    for (int i = 0; i < 16; i++)
      idx[i] = lanes[i] & 15;
    a = lullc_operand(c, src);
    c->sp -= 2;
    d = lullc_result(c, LULL_V128);
    at = emit4(c, LULLI_OP_I8X16_SWIZZLE_I, d, a, 0, 0);
    put_v128(c, at + 2, idx);
    return;
  }
  if (econst) {
    int zero = 1;
    const_bytes(econst, x);
    for (int i = 0; i < 16; i++) {
      idx[i] = lanes[i] < 16 ? lanes[i] : 0x80;
      k[i] = lanes[i] < 16 ? 0 : x[lanes[i] - 16];
      zero &= k[i] == 0;
    }
    a = lullc_operand(c, ia);
    c->sp -= 2;
    d = lullc_result(c, LULL_V128);
    unsigned ext = zero ? widening(lanes) : 0;
    if (ext) {
      emit4(c, (lulli_op)ext, d, a, 0, 0);
      return;
    }
    /* Lanes from a zero constant (zero-extension, as clang writes it)
     * need no OR. */
    at = emit4(c, zero ? LULLI_OP_I8X16_SWIZZLE_I : LULLI_OP_I8X16_SHUFFLE_I, d, a, 0, 0);
    put_v128(c, at + 2, idx);
    if (!zero)
      put_v128(c, at + 4, k);
    return;
  }
  a = lullc_operand(c, ia);
  b = lullc_operand(c, ib);
  c->sp -= 2;
  d = lullc_result(c, LULL_V128);
  at = emit4(c, LULLI_OP_I8X16_SHUFFLE, d, a, b, 0);
  put_v128(c, at + 2, lanes);
}

/* ---------------------------------------------------------------------
 * Lane-wise operations
 * ------------------------------------------------------------------- */

/* d = a op b, the _I form when b is a constant, or when a is and the
 * operation commutes or has a swapped twin. */
static void binary(lullc *c, const simdmap *o) {
  lullc_entry *ea = &c->stack[c->sp - 2], *eb = &c->stack[c->sp - 1];
  uint16_t op = o->op, a, b = 0;
  uint8_t k[16];
  int imm = 1;
  if (eb->kind == E_CONST) {
    const_bytes(eb, k);
    op = o->op_i;
    a = lullc_operand(c, c->sp - 2);
  } else if (ea->kind == E_CONST && ((o->flags & F_COMM) || o->swap)) {
    const_bytes(ea, k);
    op = o->swap ? ops[o->swap].op_i : o->op_i;
    a = lullc_operand(c, c->sp - 1);
  } else {
    imm = 0;
    a = lullc_operand(c, c->sp - 2);
    b = lullc_operand(c, c->sp - 1);
  }
  c->sp -= 2;
  uint16_t d = lullc_result(c, LULL_V128);
  uint32_t at = emit4(c, (lulli_op)op, d, a, b, 0);
  if (imm) {
    if (o->flags & F_INDEX)
      clean_indices(k);
    put_v128(c, at + 2, k);
  }
}

static void unary(lullc *c, const lulld_instr *in, const simdmap *o) {
  uint16_t a = lullc_operand(c, c->sp - 1);
  c->sp--;
  uint16_t d = lullc_result(c, lulld_opinfo_of(in->op)->r);
  emit4(c, (lulli_op)o->op, d, a, 0, 0);
}

static void shift(lullc *c, const simdmap *o) {
  lullc_entry *en = &c->stack[c->sp - 1];
  if (en->kind == E_CONST) {
    uint32_t n = (uint32_t)en->c[0];
    uint16_t a = lullc_operand(c, c->sp - 2);
    c->sp -= 2;
    uint16_t d = lullc_result(c, LULL_V128);
    uint32_t at = emit4(c, (lulli_op)o->op_i, d, a, 0, 0);
    c->code[at + 1].u32[1] = n;
    return;
  }
  uint16_t a = lullc_operand(c, c->sp - 2);
  uint16_t b = lullc_operand(c, c->sp - 1);
  c->sp -= 2;
  uint16_t d = lullc_result(c, LULL_V128);
  emit4(c, (lulli_op)o->op, d, a, b, 0);
}

/* bitselect(a, b, mask); a constant mask goes into the code. */
static void bitselect(lullc *c) {
  lullc_entry *em = &c->stack[c->sp - 1];
  uint16_t a = lullc_operand(c, c->sp - 3);
  uint16_t b = lullc_operand(c, c->sp - 2);
  if (em->kind == E_CONST) {
    uint8_t k[16];
    const_bytes(em, k);
    c->sp -= 3;
    uint16_t d = lullc_result(c, LULL_V128);
    uint32_t at = emit4(c, LULLI_OP_V128_BITSELECT_I, d, a, b, 0);
    put_v128(c, at + 2, k);
    return;
  }
  uint16_t m = lullc_operand(c, c->sp - 1);
  c->sp -= 3;
  uint16_t d = lullc_result(c, LULL_V128);
  emit4(c, LULLI_OP_V128_BITSELECT, d, a, b, m);
}

/* d = op(a, b, c) */
static void ternary(lullc *c, const simdmap *o) {
  uint16_t a = lullc_operand(c, c->sp - 3);
  uint16_t b = lullc_operand(c, c->sp - 2);
  uint16_t m = lullc_operand(c, c->sp - 1);
  c->sp -= 3;
  uint16_t d = lullc_result(c, LULL_V128);
  emit4(c, (lulli_op)o->op, d, a, b, m);
}

/* ---------------------------------------------------------------------
 * v128 locals that hold a constant
 * ------------------------------------------------------------------- */

/* Whether instruction `op` may start or end a straight run of code: a
 * label, a branch's target, a call (where a thread may park and resume
 * from a snapshot), a throw. Only drop, select and nop among the control
 * opcodes (below 0x20) are not. */
static int cuts_run(uint32_t op) {
  return op < 0x20 && op != LULLD_OP_NOP && op != LULLD_OP_DROP &&
         op != LULLD_OP_SELECT && op != LULLD_OP_SELECT_T;
}

/* clang keeps constant vectors in v128 locals: a zero it never writes
 * (the default value), and masks and addends it writes with v128.const
 * and local.tee on every iteration before reading them. Such a local is
 * compiled as the constant itself (local.get pushes it, local.set and
 * local.tee write nothing), which turns its uses into the _I forms and
 * drops the per-iteration CONST128. A declared v128 local qualifies when
 * it is never written, or when every write stores the same v128.const
 * and every read comes after such a write in the same straight run of
 * code (cuts_run): then no read can see another value, nor a value a
 * snapshot restored. Parameters never qualify. */
int lullc_v128_locals(lullc *c) {
  uint32_t first = c->type->nparams, n = c->nlocals;
  c->vconsts = 0;
  for (uint32_t x = first; x < n; x++)
    c->vconsts |= c->local_type[x] == LULL_V128;
  if (!c->vconsts)
    return 0;
  c->vconsts = 0;
  if (LULLD_GROW(c->a, c->vlocals, &c->cap_vlocals, n))
    return -1;
  uint32_t *run = lulld_calloc(c->a, n, sizeof *run);
  if (!run)
    return -1;
  enum { WRITTEN = 1, BAD = 2, READ_OUT = 4 };
  lullc_vlocal *v = c->vlocals;
  memset(v, 0, n * sizeof *v);
  uint32_t region = 1;
  int after_const = 0; /* the instruction before was v128.const k */
  uint8_t k[16] = {0};
  lulld_instr in;
  lulld_reader r;
  lulld_reader_init(&r, c->m->bytes, c->body->body, c->body->end);
  while (!lulld_reader_eof(&r)) {
    if (lulld_read_instr(&r, c->m->features, &in) != 0)
      break; /* the compiler reports it */
    uint32_t x = in.u.index;
    int local = (in.op == LULLD_OP_LOCAL_GET || in.op == LULLD_OP_LOCAL_SET ||
                 in.op == LULLD_OP_LOCAL_TEE) &&
                x >= first && x < n && c->local_type[x] == LULL_V128;
    if (local && in.op == LULLD_OP_LOCAL_GET) {
      if (run[x] != region)
        v[x].is |= READ_OUT;
    } else if (local) {
      if (!after_const || ((v[x].is & WRITTEN) && memcmp(v[x].k, k, 16)))
        v[x].is |= BAD;
      memcpy(v[x].k, k, 16);
      v[x].is |= WRITTEN;
      run[x] = region;
    } else if (cuts_run(in.op)) {
      region++;
    }
    after_const = in.op == LULLD_OP_V128_CONST;
    if (after_const)
      memcpy(k, in.u.v128, 16);
  }
  lulld_free(c->a, run, n * sizeof *run);
  for (uint32_t x = 0; x < n; x++) {
    uint8_t f = v[x].is;
    v[x].is = x >= first && c->local_type[x] == LULL_V128 && !(f & BAD) &&
              (f & (WRITTEN | READ_OUT)) != (WRITTEN | READ_OUT);
    if (!(f & WRITTEN))
      memset(v[x].k, 0, 16);
    c->vconsts |= v[x].is;
  }
  return 0;
}

int lullc_simd_op(lullc *c, const lulld_instr *in) {
  const simdmap *o;
  if (in->op >> 8 == LULLD_OP_PREFIX_FD)
    o = &ops[in->op & 0xFF];
  else if (in->op >> 8 == LULLD_OP_FD_RELAXED &&
           (in->op & 0xFF) < LULLD_RELAXED_COUNT)
    o = &relaxed_ops[in->op & 0xFF];
  else
    return -1;
  switch (o->kind) {
  case K_LOAD:
    load(c, in, o);
    return 0;
  case K_STORE:
    store(c, in, o);
    return 0;
  case K_LOAD_LANE:
    load_lane(c, in, o);
    return 0;
  case K_STORE_LANE:
    store_lane(c, in, o);
    return 0;
  case K_CONST:
    push_v128(c, in->u.v128);
    return 0;
  case K_SHUFFLE:
    shuffle(c, in);
    return 0;
  case K_SPLAT:
    splat(c, o);
    return 0;
  case K_EXTRACT:
    extract(c, in, o);
    return 0;
  case K_REPLACE:
    replace(c, in, o);
    return 0;
  case K_BIN:
    binary(c, o);
    return 0;
  case K_UN:
    unary(c, in, o);
    return 0;
  case K_SHIFT:
    shift(c, o);
    return 0;
  case K_BITSELECT:
    bitselect(c);
    return 0;
  case K_TERNARY:
    ternary(c, o);
    return 0;
  default:
    return -1;
  }
}
