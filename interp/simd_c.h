/*
 * simd_c.h -- every v128 lane operation in portable C: GNU vector
 * extensions where they express the operation directly (compilers turn
 * those into the target's vector instructions), lane loops where they do
 * not. Exact Wasm semantics; included by simd.h only.
 *
 * Conventions: every function takes and returns lulli_v128 and works on
 * the shape its name says. Integer arithmetic runs on unsigned lanes, so
 * wrapping is defined; signed lanes are used only to compare and for
 * arithmetic right shifts. A comparison of vectors gives a vector whose
 * lanes are all ones or all zeros (the Wasm result), called a mask below.
 */
#ifndef LULL_INTERP_SIMD_C_H
#define LULL_INTERP_SIMD_C_H

/* Lanes of `m` all ones take `a`, all zeros take `b`. */
static inline lulli_v128 lulli_c_select(lulli_v128 m, lulli_v128 a,
                                        lulli_v128 b) {
  return (a & m) | (b & ~m);
}

/* ---------------------------------------------------------------------
 * Memory: building a v128 from the bytes of a load
 * ------------------------------------------------------------------- */
/* The n <= 8 bytes at p as a little-endian number. */
static inline uint64_t lulli_c_bytes(const uint8_t *p, size_t n) {
  uint64_t x = 0;
  memcpy(&x, p, n);
  return x;
}
/* An 8-byte load widened lane by lane (the load8x8 family). */
#define LULLI_C_LOAD_EXTEND(name, HALF, WIDE)                                 \
  static inline lulli_v128 name(const uint8_t *p) {                          \
    HALF h;                                                                   \
    memcpy(&h, p, sizeof h);                                                  \
    return (lulli_v128)__builtin_convertvector(h, WIDE);                      \
  }
LULLI_C_LOAD_EXTEND(lulli_c_load8x8_s, lulli_i8x8, lulli_i16x8)
LULLI_C_LOAD_EXTEND(lulli_c_load8x8_u, lulli_u8x8, lulli_u16x8)
LULLI_C_LOAD_EXTEND(lulli_c_load16x4_s, lulli_i16x4, lulli_i32x4)
LULLI_C_LOAD_EXTEND(lulli_c_load16x4_u, lulli_u16x4, lulli_u32x4)
LULLI_C_LOAD_EXTEND(lulli_c_load32x2_s, lulli_i32x2, lulli_i64x2)
LULLI_C_LOAD_EXTEND(lulli_c_load32x2_u, lulli_u32x2, lulli_u64x2)
#undef LULLI_C_LOAD_EXTEND

/* Splats: the lane repeated through a 64-bit half. */
static inline lulli_v128 lulli_c_splat8(uint64_t x) {
  uint64_t h = (uint8_t)x * 0x0101010101010101ull;
  return (lulli_v128){h, h};
}
static inline lulli_v128 lulli_c_splat16(uint64_t x) {
  uint64_t h = (uint16_t)x * 0x0001000100010001ull;
  return (lulli_v128){h, h};
}
static inline lulli_v128 lulli_c_splat32(uint64_t x) {
  uint64_t h = (uint32_t)x * 0x0000000100000001ull;
  return (lulli_v128){h, h};
}
static inline lulli_v128 lulli_c_splat64(uint64_t x) {
  return (lulli_v128){x, x};
}

/* ---------------------------------------------------------------------
 * Bitwise
 * ------------------------------------------------------------------- */
static inline lulli_v128 lulli_c_v128_and(lulli_v128 a, lulli_v128 b) {
  return a & b;
}
static inline lulli_v128 lulli_c_v128_andnot(lulli_v128 a, lulli_v128 b) {
  return a & ~b;
}
static inline lulli_v128 lulli_c_v128_or(lulli_v128 a, lulli_v128 b) {
  return a | b;
}
static inline lulli_v128 lulli_c_v128_xor(lulli_v128 a, lulli_v128 b) {
  return a ^ b;
}
static inline lulli_v128 lulli_c_v128_not(lulli_v128 a) { return ~a; }
static inline uint32_t lulli_c_v128_any_true(lulli_v128 a) {
  return (a[0] | a[1]) != 0;
}

/* ---------------------------------------------------------------------
 * Comparisons: one function per Wasm comparison, T the lane type
 * ------------------------------------------------------------------- */
#define LULLI_C_CMP(name, T, OP)                                              \
  static inline lulli_v128 name(lulli_v128 a, lulli_v128 b) {                 \
    return (lulli_v128)((T)a OP (T)b);                                        \
  }
LULLI_C_CMP(lulli_c_i8x16_eq, lulli_u8x16, ==)
LULLI_C_CMP(lulli_c_i8x16_ne, lulli_u8x16, !=)
LULLI_C_CMP(lulli_c_i8x16_lt_s, lulli_i8x16, <)
LULLI_C_CMP(lulli_c_i8x16_lt_u, lulli_u8x16, <)
LULLI_C_CMP(lulli_c_i8x16_gt_s, lulli_i8x16, >)
LULLI_C_CMP(lulli_c_i8x16_gt_u, lulli_u8x16, >)
LULLI_C_CMP(lulli_c_i8x16_le_s, lulli_i8x16, <=)
LULLI_C_CMP(lulli_c_i8x16_le_u, lulli_u8x16, <=)
LULLI_C_CMP(lulli_c_i8x16_ge_s, lulli_i8x16, >=)
LULLI_C_CMP(lulli_c_i8x16_ge_u, lulli_u8x16, >=)
LULLI_C_CMP(lulli_c_i16x8_eq, lulli_u16x8, ==)
LULLI_C_CMP(lulli_c_i16x8_ne, lulli_u16x8, !=)
LULLI_C_CMP(lulli_c_i16x8_lt_s, lulli_i16x8, <)
LULLI_C_CMP(lulli_c_i16x8_lt_u, lulli_u16x8, <)
LULLI_C_CMP(lulli_c_i16x8_gt_s, lulli_i16x8, >)
LULLI_C_CMP(lulli_c_i16x8_gt_u, lulli_u16x8, >)
LULLI_C_CMP(lulli_c_i16x8_le_s, lulli_i16x8, <=)
LULLI_C_CMP(lulli_c_i16x8_le_u, lulli_u16x8, <=)
LULLI_C_CMP(lulli_c_i16x8_ge_s, lulli_i16x8, >=)
LULLI_C_CMP(lulli_c_i16x8_ge_u, lulli_u16x8, >=)
LULLI_C_CMP(lulli_c_i32x4_eq, lulli_u32x4, ==)
LULLI_C_CMP(lulli_c_i32x4_ne, lulli_u32x4, !=)
LULLI_C_CMP(lulli_c_i32x4_lt_s, lulli_i32x4, <)
LULLI_C_CMP(lulli_c_i32x4_lt_u, lulli_u32x4, <)
LULLI_C_CMP(lulli_c_i32x4_gt_s, lulli_i32x4, >)
LULLI_C_CMP(lulli_c_i32x4_gt_u, lulli_u32x4, >)
LULLI_C_CMP(lulli_c_i32x4_le_s, lulli_i32x4, <=)
LULLI_C_CMP(lulli_c_i32x4_le_u, lulli_u32x4, <=)
LULLI_C_CMP(lulli_c_i32x4_ge_s, lulli_i32x4, >=)
LULLI_C_CMP(lulli_c_i32x4_ge_u, lulli_u32x4, >=)
LULLI_C_CMP(lulli_c_i64x2_eq, lulli_u64x2, ==)
LULLI_C_CMP(lulli_c_i64x2_ne, lulli_u64x2, !=)
LULLI_C_CMP(lulli_c_i64x2_lt_s, lulli_i64x2, <)
LULLI_C_CMP(lulli_c_i64x2_gt_s, lulli_i64x2, >)
LULLI_C_CMP(lulli_c_i64x2_le_s, lulli_i64x2, <=)
LULLI_C_CMP(lulli_c_i64x2_ge_s, lulli_i64x2, >=)
/* Float comparisons are IEEE: false (zero lanes) when a NaN is involved,
 * except ne. */
LULLI_C_CMP(lulli_c_f32x4_eq, lulli_f32x4, ==)
LULLI_C_CMP(lulli_c_f32x4_ne, lulli_f32x4, !=)
LULLI_C_CMP(lulli_c_f32x4_lt, lulli_f32x4, <)
LULLI_C_CMP(lulli_c_f32x4_gt, lulli_f32x4, >)
LULLI_C_CMP(lulli_c_f32x4_le, lulli_f32x4, <=)
LULLI_C_CMP(lulli_c_f32x4_ge, lulli_f32x4, >=)
LULLI_C_CMP(lulli_c_f64x2_eq, lulli_f64x2, ==)
LULLI_C_CMP(lulli_c_f64x2_ne, lulli_f64x2, !=)
LULLI_C_CMP(lulli_c_f64x2_lt, lulli_f64x2, <)
LULLI_C_CMP(lulli_c_f64x2_gt, lulli_f64x2, >)
LULLI_C_CMP(lulli_c_f64x2_le, lulli_f64x2, <=)
LULLI_C_CMP(lulli_c_f64x2_ge, lulli_f64x2, >=)
#undef LULLI_C_CMP

/* ---------------------------------------------------------------------
 * Integer arithmetic
 * ------------------------------------------------------------------- */
/* a OP b lane-wise on unsigned lanes U (add, sub, mul: wrapping). */
#define LULLI_C_ARITH(name, U, OP)                                            \
  static inline lulli_v128 name(lulli_v128 a, lulli_v128 b) {                 \
    return (lulli_v128)((U)a OP (U)b);                                        \
  }
LULLI_C_ARITH(lulli_c_i8x16_add, lulli_u8x16, +)
LULLI_C_ARITH(lulli_c_i8x16_sub, lulli_u8x16, -)
LULLI_C_ARITH(lulli_c_i16x8_add, lulli_u16x8, +)
LULLI_C_ARITH(lulli_c_i16x8_sub, lulli_u16x8, -)
LULLI_C_ARITH(lulli_c_i16x8_mul, lulli_u16x8, *)
LULLI_C_ARITH(lulli_c_i32x4_add, lulli_u32x4, +)
LULLI_C_ARITH(lulli_c_i32x4_sub, lulli_u32x4, -)
LULLI_C_ARITH(lulli_c_i32x4_mul, lulli_u32x4, *)
LULLI_C_ARITH(lulli_c_i64x2_add, lulli_u64x2, +)
LULLI_C_ARITH(lulli_c_i64x2_sub, lulli_u64x2, -)
LULLI_C_ARITH(lulli_c_i64x2_mul, lulli_u64x2, *)
#undef LULLI_C_ARITH

/* Negation wraps (the most negative lane stays as it is); so does abs:
 * with m all ones in the negative lanes, (a ^ m) - m is -a there. */
#define LULLI_C_NEG_ABS(neg, abs, S, U)                                       \
  static inline lulli_v128 neg(lulli_v128 a) {                                \
    return (lulli_v128)(-(U)a);                                               \
  }                                                                           \
  static inline lulli_v128 abs(lulli_v128 a) {                                \
    U m = (U)((S)a < 0);                                                      \
    return (lulli_v128)(((U)a ^ m) - m);                                      \
  }
LULLI_C_NEG_ABS(lulli_c_i8x16_neg, lulli_c_i8x16_abs, lulli_i8x16,
                lulli_u8x16)
LULLI_C_NEG_ABS(lulli_c_i16x8_neg, lulli_c_i16x8_abs, lulli_i16x8,
                lulli_u16x8)
LULLI_C_NEG_ABS(lulli_c_i32x4_neg, lulli_c_i32x4_abs, lulli_i32x4,
                lulli_u32x4)
LULLI_C_NEG_ABS(lulli_c_i64x2_neg, lulli_c_i64x2_abs, lulli_i64x2,
                lulli_u64x2)
#undef LULLI_C_NEG_ABS

/* min and max: T is the lane type whose order counts. */
#define LULLI_C_MINMAX(min, max, T)                                           \
  static inline lulli_v128 min(lulli_v128 a, lulli_v128 b) {                  \
    return lulli_c_select((lulli_v128)((T)a < (T)b), a, b);                   \
  }                                                                           \
  static inline lulli_v128 max(lulli_v128 a, lulli_v128 b) {                  \
    return lulli_c_select((lulli_v128)((T)a > (T)b), a, b);                   \
  }
LULLI_C_MINMAX(lulli_c_i8x16_min_s, lulli_c_i8x16_max_s, lulli_i8x16)
LULLI_C_MINMAX(lulli_c_i8x16_min_u, lulli_c_i8x16_max_u, lulli_u8x16)
LULLI_C_MINMAX(lulli_c_i16x8_min_s, lulli_c_i16x8_max_s, lulli_i16x8)
LULLI_C_MINMAX(lulli_c_i16x8_min_u, lulli_c_i16x8_max_u, lulli_u16x8)
LULLI_C_MINMAX(lulli_c_i32x4_min_s, lulli_c_i32x4_max_s, lulli_i32x4)
LULLI_C_MINMAX(lulli_c_i32x4_min_u, lulli_c_i32x4_max_u, lulli_u32x4)
#undef LULLI_C_MINMAX

/* Saturating arithmetic. Unsigned: a carry (the sum is below a) gives all
 * ones, a borrow (a below b) gives zero. Signed: the wrapped result
 * overflowed when its sign differs from what the operands allow; it then
 * saturates toward a's sign: MAX ^ (a < 0 mask) is MAX or MIN. */
#define LULLI_C_SAT(add_u, sub_u, add_s, sub_s, S, U, MAX)                    \
  static inline lulli_v128 add_u(lulli_v128 a, lulli_v128 b) {                \
    U r = (U)a + (U)b;                                                        \
    return (lulli_v128)(r | (U)(r < (U)a));                                   \
  }                                                                           \
  static inline lulli_v128 sub_u(lulli_v128 a, lulli_v128 b) {                \
    U r = (U)a - (U)b;                                                        \
    return (lulli_v128)(r & (U)((U)a >= (U)b));                               \
  }                                                                           \
  static inline lulli_v128 add_s(lulli_v128 a, lulli_v128 b) {                \
    U x = (U)a, y = (U)b, r = x + y;                                          \
    lulli_v128 ov = (lulli_v128)((S)((r ^ x) & (r ^ y)) < 0);                 \
    U sat = (U)((S)x < 0) ^ (MAX);                                            \
    return lulli_c_select(ov, (lulli_v128)sat, (lulli_v128)r);                \
  }                                                                           \
  static inline lulli_v128 sub_s(lulli_v128 a, lulli_v128 b) {                \
    U x = (U)a, y = (U)b, r = x - y;                                          \
    lulli_v128 ov = (lulli_v128)((S)((x ^ y) & (x ^ r)) < 0);                 \
    U sat = (U)((S)x < 0) ^ (MAX);                                            \
    return lulli_c_select(ov, (lulli_v128)sat, (lulli_v128)r);                \
  }
LULLI_C_SAT(lulli_c_i8x16_add_sat_u, lulli_c_i8x16_sub_sat_u,
            lulli_c_i8x16_add_sat_s, lulli_c_i8x16_sub_sat_s, lulli_i8x16,
            lulli_u8x16, 0x7F)
LULLI_C_SAT(lulli_c_i16x8_add_sat_u, lulli_c_i16x8_sub_sat_u,
            lulli_c_i16x8_add_sat_s, lulli_c_i16x8_sub_sat_s, lulli_i16x8,
            lulli_u16x8, 0x7FFF)
#undef LULLI_C_SAT

/* Rounding average (a + b + 1) >> 1 without a wider type. */
static inline lulli_v128 lulli_c_i8x16_avgr_u(lulli_v128 a, lulli_v128 b) {
  lulli_u8x16 x = (lulli_u8x16)a, y = (lulli_u8x16)b;
  return (lulli_v128)((x | y) - ((x ^ y) >> 1));
}
static inline lulli_v128 lulli_c_i16x8_avgr_u(lulli_v128 a, lulli_v128 b) {
  lulli_u16x8 x = (lulli_u16x8)a, y = (lulli_u16x8)b;
  return (lulli_v128)((x | y) - ((x ^ y) >> 1));
}

/* Counting bits per byte, by halves, nibbles, then bytes. */
static inline lulli_v128 lulli_c_i8x16_popcnt(lulli_v128 a) {
  lulli_u8x16 x = (lulli_u8x16)a;
  x = x - ((x >> 1) & 0x55);
  x = (x & 0x33) + ((x >> 2) & 0x33);
  return (lulli_v128)((x + (x >> 4)) & 0x0F);
}

/* Q15 multiply, rounded: (a * b + 2^14) >> 15, saturated; only
 * -32768 * -32768 overflows. */
static inline lulli_v128 lulli_c_i16x8_q15mulr_sat_s(lulli_v128 a,
                                                     lulli_v128 b) {
  int16_t x[8], y[8], r[8];
  memcpy(x, &a, 16);
  memcpy(y, &b, 16);
  for (int i = 0; i < 8; i++) {
    int32_t p = ((int32_t)x[i] * y[i] + 0x4000) >> 15;
    r[i] = (int16_t)(p > INT16_MAX ? INT16_MAX : p);
  }
  return lulli_v128_load(r);
}

/* ---------------------------------------------------------------------
 * Shifts: the count is taken modulo the lane width
 * ------------------------------------------------------------------- */
#define LULLI_C_SHIFTS(shl, shr_s, shr_u, S, U, BITS)                         \
  static inline lulli_v128 shl(lulli_v128 a, uint32_t n) {                    \
    return (lulli_v128)((U)a << (n & (BITS - 1)));                            \
  }                                                                           \
  static inline lulli_v128 shr_s(lulli_v128 a, uint32_t n) {                  \
    return (lulli_v128)((S)a >> (n & (BITS - 1)));                            \
  }                                                                           \
  static inline lulli_v128 shr_u(lulli_v128 a, uint32_t n) {                  \
    return (lulli_v128)((U)a >> (n & (BITS - 1)));                            \
  }
LULLI_C_SHIFTS(lulli_c_i8x16_shl, lulli_c_i8x16_shr_s, lulli_c_i8x16_shr_u,
               lulli_i8x16, lulli_u8x16, 8)
LULLI_C_SHIFTS(lulli_c_i16x8_shl, lulli_c_i16x8_shr_s, lulli_c_i16x8_shr_u,
               lulli_i16x8, lulli_u16x8, 16)
LULLI_C_SHIFTS(lulli_c_i32x4_shl, lulli_c_i32x4_shr_s, lulli_c_i32x4_shr_u,
               lulli_i32x4, lulli_u32x4, 32)
LULLI_C_SHIFTS(lulli_c_i64x2_shl, lulli_c_i64x2_shr_s, lulli_c_i64x2_shr_u,
               lulli_i64x2, lulli_u64x2, 64)
#undef LULLI_C_SHIFTS

/* ---------------------------------------------------------------------
 * Lane tests: all_true and bitmask
 * ------------------------------------------------------------------- */
#define LULLI_C_ALL_TRUE(name, U)                                             \
  static inline uint32_t name(lulli_v128 a) {                                 \
    lulli_v128 z = (lulli_v128)((U)a == 0);                                   \
    return (z[0] | z[1]) == 0;                                                \
  }
LULLI_C_ALL_TRUE(lulli_c_i8x16_all_true, lulli_u8x16)
LULLI_C_ALL_TRUE(lulli_c_i16x8_all_true, lulli_u16x8)
LULLI_C_ALL_TRUE(lulli_c_i32x4_all_true, lulli_u32x4)
LULLI_C_ALL_TRUE(lulli_c_i64x2_all_true, lulli_u64x2)
#undef LULLI_C_ALL_TRUE

/* The sign bits of the bytes of each half, gathered by one multiply: with
 * byte j of x holding bit j's value (0 or 1), byte 7 of x * 0x0102...80
 * is the sum of bit_j << j, and no lower byte carries into it. */
static inline uint32_t lulli_c_i8x16_bitmask(lulli_v128 a) {
  const uint64_t ones = 0x0101010101010101ull, gather = 0x0102040810204080ull;
  uint64_t lo = ((a[0] >> 7) & ones) * gather >> 56;
  uint64_t hi = ((a[1] >> 7) & ones) * gather >> 56;
  return (uint32_t)(lo | hi << 8);
}
#define LULLI_C_BITMASK(name, T, N, BITS)                                     \
  static inline uint32_t name(lulli_v128 a) {                                 \
    T x[N];                                                                   \
    uint32_t r = 0;                                                           \
    memcpy(x, &a, 16);                                                        \
    for (int i = 0; i < N; i++)                                               \
      r |= (uint32_t)(x[i] >> (BITS - 1)) << i;                               \
    return r;                                                                 \
  }
LULLI_C_BITMASK(lulli_c_i16x8_bitmask, uint16_t, 8, 16)
LULLI_C_BITMASK(lulli_c_i32x4_bitmask, uint32_t, 4, 32)
LULLI_C_BITMASK(lulli_c_i64x2_bitmask, uint64_t, 2, 64)
#undef LULLI_C_BITMASK

/* ---------------------------------------------------------------------
 * Shuffles
 * ------------------------------------------------------------------- */
/* d[i] = a[idx[i]], or 0 when idx[i] >= 16. */
static inline lulli_v128 lulli_c_i8x16_swizzle(lulli_v128 a, lulli_v128 idx) {
  uint8_t x[16], k[16], r[16];
  memcpy(x, &a, 16);
  memcpy(k, &idx, 16);
  for (int i = 0; i < 16; i++)
    r[i] = k[i] < 16 ? x[k[i]] : 0;
  return lulli_v128_load(r);
}
/* d[i] = (a ++ b)[lanes[i]], every lane below 32. */
static inline lulli_v128 lulli_c_i8x16_shuffle(lulli_v128 a, lulli_v128 b,
                                               lulli_v128 lanes) {
  uint8_t x[32], k[16], r[16];
  memcpy(x, &a, 16);
  memcpy(x + 16, &b, 16);
  memcpy(k, &lanes, 16);
  for (int i = 0; i < 16; i++)
    r[i] = x[k[i] & 31];
  return lulli_v128_load(r);
}

/* ---------------------------------------------------------------------
 * Narrowing and widening
 * ------------------------------------------------------------------- */
/* The lanes of a then b, each clamped to [LO, HI], in half-width lanes. */
#define LULLI_C_NARROW(name, S, N, D, LO, HI)                                 \
  static inline lulli_v128 name(lulli_v128 a, lulli_v128 b) {                 \
    S x[2 * N];                                                               \
    D r[2 * N];                                                               \
    memcpy(x, &a, 16);                                                        \
    memcpy(x + N, &b, 16);                                                    \
    for (int i = 0; i < 2 * N; i++)                                           \
      r[i] = (D)(x[i] < (LO) ? (LO) : x[i] > (HI) ? (HI) : x[i]);             \
    return lulli_v128_load(r);                                                \
  }
LULLI_C_NARROW(lulli_c_i8x16_narrow_i16x8_s, int16_t, 8, int8_t, -128, 127)
LULLI_C_NARROW(lulli_c_i8x16_narrow_i16x8_u, int16_t, 8, uint8_t, 0, 255)
LULLI_C_NARROW(lulli_c_i16x8_narrow_i32x4_s, int32_t, 4, int16_t, -32768,
               32767)
LULLI_C_NARROW(lulli_c_i16x8_narrow_i32x4_u, int32_t, 4, uint16_t, 0, 65535)
#undef LULLI_C_NARROW

/* The low (byte offset 0) or high (8) half, each lane widened. */
#define LULLI_C_EXTEND(name, HALF, WIDE, OFF)                                 \
  static inline lulli_v128 name(lulli_v128 a) {                               \
    HALF h;                                                                   \
    memcpy(&h, (const uint8_t *)&a + (OFF), sizeof h);                        \
    return (lulli_v128)__builtin_convertvector(h, WIDE);                      \
  }
LULLI_C_EXTEND(lulli_c_i16x8_extend_low_i8x16_s, lulli_i8x8, lulli_i16x8, 0)
LULLI_C_EXTEND(lulli_c_i16x8_extend_high_i8x16_s, lulli_i8x8, lulli_i16x8, 8)
LULLI_C_EXTEND(lulli_c_i16x8_extend_low_i8x16_u, lulli_u8x8, lulli_u16x8, 0)
LULLI_C_EXTEND(lulli_c_i16x8_extend_high_i8x16_u, lulli_u8x8, lulli_u16x8, 8)
LULLI_C_EXTEND(lulli_c_i32x4_extend_low_i16x8_s, lulli_i16x4, lulli_i32x4, 0)
LULLI_C_EXTEND(lulli_c_i32x4_extend_high_i16x8_s, lulli_i16x4, lulli_i32x4, 8)
LULLI_C_EXTEND(lulli_c_i32x4_extend_low_i16x8_u, lulli_u16x4, lulli_u32x4, 0)
LULLI_C_EXTEND(lulli_c_i32x4_extend_high_i16x8_u, lulli_u16x4, lulli_u32x4, 8)
LULLI_C_EXTEND(lulli_c_i64x2_extend_low_i32x4_s, lulli_i32x2, lulli_i64x2, 0)
LULLI_C_EXTEND(lulli_c_i64x2_extend_high_i32x4_s, lulli_i32x2, lulli_i64x2, 8)
LULLI_C_EXTEND(lulli_c_i64x2_extend_low_i32x4_u, lulli_u32x2, lulli_u64x2, 0)
LULLI_C_EXTEND(lulli_c_i64x2_extend_high_i32x4_u, lulli_u32x2, lulli_u64x2, 8)
#undef LULLI_C_EXTEND

/* Extended multiplication: both operands widened the same way, then
 * multiplied in the wide lanes, where the product always fits. */
#define LULLI_C_EXTMUL(name, EXT, U)                                          \
  static inline lulli_v128 name(lulli_v128 a, lulli_v128 b) {                 \
    return (lulli_v128)((U)EXT(a) * (U)EXT(b));                               \
  }
LULLI_C_EXTMUL(lulli_c_i16x8_extmul_low_i8x16_s,
               lulli_c_i16x8_extend_low_i8x16_s, lulli_u16x8)
LULLI_C_EXTMUL(lulli_c_i16x8_extmul_high_i8x16_s,
               lulli_c_i16x8_extend_high_i8x16_s, lulli_u16x8)
LULLI_C_EXTMUL(lulli_c_i16x8_extmul_low_i8x16_u,
               lulli_c_i16x8_extend_low_i8x16_u, lulli_u16x8)
LULLI_C_EXTMUL(lulli_c_i16x8_extmul_high_i8x16_u,
               lulli_c_i16x8_extend_high_i8x16_u, lulli_u16x8)
LULLI_C_EXTMUL(lulli_c_i32x4_extmul_low_i16x8_s,
               lulli_c_i32x4_extend_low_i16x8_s, lulli_u32x4)
LULLI_C_EXTMUL(lulli_c_i32x4_extmul_high_i16x8_s,
               lulli_c_i32x4_extend_high_i16x8_s, lulli_u32x4)
LULLI_C_EXTMUL(lulli_c_i32x4_extmul_low_i16x8_u,
               lulli_c_i32x4_extend_low_i16x8_u, lulli_u32x4)
LULLI_C_EXTMUL(lulli_c_i32x4_extmul_high_i16x8_u,
               lulli_c_i32x4_extend_high_i16x8_u, lulli_u32x4)
LULLI_C_EXTMUL(lulli_c_i64x2_extmul_low_i32x4_s,
               lulli_c_i64x2_extend_low_i32x4_s, lulli_u64x2)
LULLI_C_EXTMUL(lulli_c_i64x2_extmul_high_i32x4_s,
               lulli_c_i64x2_extend_high_i32x4_s, lulli_u64x2)
LULLI_C_EXTMUL(lulli_c_i64x2_extmul_low_i32x4_u,
               lulli_c_i64x2_extend_low_i32x4_u, lulli_u64x2)
LULLI_C_EXTMUL(lulli_c_i64x2_extmul_high_i32x4_u,
               lulli_c_i64x2_extend_high_i32x4_u, lulli_u64x2)
#undef LULLI_C_EXTMUL

/* Pairwise sums: in a wide lane W, the even narrow lane is the low half
 * (sign- or zero-extended by shifting up and back), the odd one the high
 * half. */
#define LULLI_C_EXTADD(name_s, name_u, S, U, HALF)                            \
  static inline lulli_v128 name_s(lulli_v128 a) {                             \
    S even = (S)((U)a << HALF) >> HALF, odd = (S)a >> HALF;                   \
    return (lulli_v128)((U)even + (U)odd);                                    \
  }                                                                           \
  static inline lulli_v128 name_u(lulli_v128 a) {                             \
    U x = (U)a;                                                               \
    return (lulli_v128)((x & ((1u << HALF) - 1)) + (x >> HALF));              \
  }
LULLI_C_EXTADD(lulli_c_i16x8_extadd_pairwise_i8x16_s,
               lulli_c_i16x8_extadd_pairwise_i8x16_u, lulli_i16x8,
               lulli_u16x8, 8)
LULLI_C_EXTADD(lulli_c_i32x4_extadd_pairwise_i16x8_s,
               lulli_c_i32x4_extadd_pairwise_i16x8_u, lulli_i32x4,
               lulli_u32x4, 16)
#undef LULLI_C_EXTADD

/* Dot product of i16 pairs into i32 lanes; the one overflowing case
 * (-32768^2 * 2) wraps, computed on unsigned lanes. */
static inline lulli_v128 lulli_c_i32x4_dot_i16x8_s(lulli_v128 a,
                                                   lulli_v128 b) {
  lulli_i32x4 ae = (lulli_i32x4)((lulli_u32x4)a << 16) >> 16;
  lulli_i32x4 be = (lulli_i32x4)((lulli_u32x4)b << 16) >> 16;
  lulli_i32x4 ao = (lulli_i32x4)a >> 16, bo = (lulli_i32x4)b >> 16;
  return (lulli_v128)((lulli_u32x4)(ae * be) + (lulli_u32x4)(ao * bo));
}

/* ---------------------------------------------------------------------
 * Relaxed SIMD. The proposal lets these instructions differ between
 * machines; lull makes one choice for each, the same on every build (and
 * so in a snapshot moved between machines):
 *   relaxed_swizzle        i8x16.swizzle (an index >= 16 gives 0)
 *   relaxed_trunc_*        the trunc_sat instruction (NaN 0, saturating)
 *   relaxed_laneselect     v128.bitselect (every bit of the mask counts)
 *   relaxed_min, _max      f32x4/f64x2.min, max (NaN and -0 as there)
 *   relaxed_q15mulr_s      i16x8.q15mulr_sat_s
 *   relaxed_madd, _nmadd   a * b + c and -(a * b) + c, each rounded
 *                          (not fused: the build turns off contraction)
 *   relaxed_dot_*          i8 lanes of both operands signed; the i16
 *                          form wraps its pair sums, the i32 one adds
 *                          four exact products, then c, wrapping
 * The compiler sends the first five to the ops named; the rest are here.
 * ------------------------------------------------------------------- */
#define LULLI_C_MADD(madd, nmadd, F)                                          \
  static inline lulli_v128 madd(lulli_v128 a, lulli_v128 b, lulli_v128 c) {   \
    F p = (F)a * (F)b;                                                        \
    return (lulli_v128)(p + (F)c);                                            \
  }                                                                           \
  static inline lulli_v128 nmadd(lulli_v128 a, lulli_v128 b, lulli_v128 c) {  \
    F p = (F)a * (F)b;                                                        \
    return (lulli_v128)((F)c - p);                                            \
  }
LULLI_C_MADD(lulli_c_f32x4_relaxed_madd, lulli_c_f32x4_relaxed_nmadd,
             lulli_f32x4)
LULLI_C_MADD(lulli_c_f64x2_relaxed_madd, lulli_c_f64x2_relaxed_nmadd,
             lulli_f64x2)
#undef LULLI_C_MADD

static inline lulli_v128 lulli_c_i16x8_relaxed_dot_i8x16_i7x16_s(
    lulli_v128 a, lulli_v128 b) {
  lulli_i16x8 ae = (lulli_i16x8)((lulli_u16x8)a << 8) >> 8;
  lulli_i16x8 be = (lulli_i16x8)((lulli_u16x8)b << 8) >> 8;
  lulli_i16x8 ao = (lulli_i16x8)a >> 8, bo = (lulli_i16x8)b >> 8;
  return (lulli_v128)((lulli_u16x8)(ae * be) + (lulli_u16x8)(ao * bo));
}

static inline lulli_v128 lulli_c_i32x4_relaxed_dot_i8x16_i7x16_add_s(
    lulli_v128 a, lulli_v128 b, lulli_v128 c) {
  lulli_u32x4 x = (lulli_u32x4)a, y = (lulli_u32x4)b;
  lulli_u32x4 sum = (lulli_u32x4)c;
  for (int byte = 0; byte < 4; byte++) {
    int up = 24 - 8 * byte;
    lulli_i32x4 xs = (lulli_i32x4)(x << up) >> 24;
    lulli_i32x4 ys = (lulli_i32x4)(y << up) >> 24;
    sum += (lulli_u32x4)(xs * ys);
  }
  return (lulli_v128)sum;
}

/* ---------------------------------------------------------------------
 * Float arithmetic. C's operators are IEEE-754 with round to nearest; a
 * NaN they produce is the quieted input NaN or the default NaN, both of
 * which the spec accepts. Sign operations touch only the sign bits.
 * ------------------------------------------------------------------- */
#define LULLI_C_FARITH(name, F, OP)                                           \
  static inline lulli_v128 name(lulli_v128 a, lulli_v128 b) {                 \
    return (lulli_v128)((F)a OP (F)b);                                        \
  }
LULLI_C_FARITH(lulli_c_f32x4_add, lulli_f32x4, +)
LULLI_C_FARITH(lulli_c_f32x4_sub, lulli_f32x4, -)
LULLI_C_FARITH(lulli_c_f32x4_mul, lulli_f32x4, *)
LULLI_C_FARITH(lulli_c_f32x4_div, lulli_f32x4, /)
LULLI_C_FARITH(lulli_c_f64x2_add, lulli_f64x2, +)
LULLI_C_FARITH(lulli_c_f64x2_sub, lulli_f64x2, -)
LULLI_C_FARITH(lulli_c_f64x2_mul, lulli_f64x2, *)
LULLI_C_FARITH(lulli_c_f64x2_div, lulli_f64x2, /)
#undef LULLI_C_FARITH

static inline lulli_v128 lulli_c_f32x4_abs(lulli_v128 a) {
  return (lulli_v128)((lulli_u32x4)a & ~LULLI_F32_SIGN);
}
static inline lulli_v128 lulli_c_f32x4_neg(lulli_v128 a) {
  return (lulli_v128)((lulli_u32x4)a ^ LULLI_F32_SIGN);
}
static inline lulli_v128 lulli_c_f64x2_abs(lulli_v128 a) {
  return a & ~LULLI_F64_SIGN;
}
static inline lulli_v128 lulli_c_f64x2_neg(lulli_v128 a) {
  return a ^ LULLI_F64_SIGN;
}

/* min and max: ordered lanes by comparison, equal lanes by their bits
 * (so -0 < +0: OR for min, AND for max), and unordered lanes by a + b,
 * which is a NaN made from the NaN operand, as the scalar ops do. */
#define LULLI_C_FMINMAX(min, max, F)                                          \
  static inline lulli_v128 min(lulli_v128 a, lulli_v128 b) {                  \
    F x = (F)a, y = (F)b;                                                     \
    lulli_v128 r = lulli_c_select((lulli_v128)(x == y), a | b,                \
                                  (lulli_v128)(x + y));                       \
    r = lulli_c_select((lulli_v128)(y < x), b, r);                            \
    return lulli_c_select((lulli_v128)(x < y), a, r);                         \
  }                                                                           \
  static inline lulli_v128 max(lulli_v128 a, lulli_v128 b) {                  \
    F x = (F)a, y = (F)b;                                                     \
    lulli_v128 r = lulli_c_select((lulli_v128)(x == y), a & b,                \
                                  (lulli_v128)(x + y));                       \
    r = lulli_c_select((lulli_v128)(x < y), b, r);                            \
    return lulli_c_select((lulli_v128)(y < x), a, r);                         \
  }
LULLI_C_FMINMAX(lulli_c_f32x4_min, lulli_c_f32x4_max, lulli_f32x4)
LULLI_C_FMINMAX(lulli_c_f64x2_min, lulli_c_f64x2_max, lulli_f64x2)
#undef LULLI_C_FMINMAX

/* Pseudo-min and -max: the plain comparisons b < a ? b : a and
 * a < b ? b : a (a NaN in a comparison picks a). */
#define LULLI_C_PMINMAX(pmin, pmax, F)                                        \
  static inline lulli_v128 pmin(lulli_v128 a, lulli_v128 b) {                 \
    return lulli_c_select((lulli_v128)((F)b < (F)a), b, a);                   \
  }                                                                           \
  static inline lulli_v128 pmax(lulli_v128 a, lulli_v128 b) {                 \
    return lulli_c_select((lulli_v128)((F)a < (F)b), b, a);                   \
  }
LULLI_C_PMINMAX(lulli_c_f32x4_pmin, lulli_c_f32x4_pmax, lulli_f32x4)
LULLI_C_PMINMAX(lulli_c_f64x2_pmin, lulli_c_f64x2_pmax, lulli_f64x2)
#undef LULLI_C_PMINMAX

/* Lane by lane through the scalar functions (num.h rounds exactly, ties
 * of nearest to even, and hands NaNs back quiet as Wasm asks). */
#define LULLI_C_FMAP(name, T, N, FN)                                          \
  static inline lulli_v128 name(lulli_v128 a) {                               \
    T x[N];                                                                   \
    memcpy(x, &a, 16);                                                        \
    for (int i = 0; i < N; i++)                                               \
      x[i] = FN(x[i]);                                                        \
    return lulli_v128_load(x);                                                \
  }
LULLI_C_FMAP(lulli_c_f32x4_sqrt, float, 4, sqrtf)
LULLI_C_FMAP(lulli_c_f32x4_ceil, float, 4, lulli_ceilf)
LULLI_C_FMAP(lulli_c_f32x4_floor, float, 4, lulli_floorf)
LULLI_C_FMAP(lulli_c_f32x4_trunc, float, 4, lulli_truncf)
LULLI_C_FMAP(lulli_c_f32x4_nearest, float, 4, lulli_nearestf)
LULLI_C_FMAP(lulli_c_f64x2_sqrt, double, 2, sqrt)
LULLI_C_FMAP(lulli_c_f64x2_ceil, double, 2, lulli_ceil)
LULLI_C_FMAP(lulli_c_f64x2_floor, double, 2, lulli_floor)
LULLI_C_FMAP(lulli_c_f64x2_trunc, double, 2, lulli_trunc)
LULLI_C_FMAP(lulli_c_f64x2_nearest, double, 2, lulli_nearest)
#undef LULLI_C_FMAP

/* ---------------------------------------------------------------------
 * Conversions
 * ------------------------------------------------------------------- */
/* f32 lanes to i32 lanes, saturating (NaN gives 0), as num.h does. */
#define LULLI_C_TRUNC_SAT_F32(name, IT, FN)                                   \
  static inline lulli_v128 name(lulli_v128 a) {                               \
    float x[4];                                                               \
    IT r[4];                                                                  \
    memcpy(x, &a, 16);                                                        \
    for (int i = 0; i < 4; i++)                                               \
      r[i] = FN(x[i]);                                                        \
    return lulli_v128_load(r);                                                \
  }
LULLI_C_TRUNC_SAT_F32(lulli_c_i32x4_trunc_sat_f32x4_s, int32_t,
                      lulli_i32_sat_f32_s)
LULLI_C_TRUNC_SAT_F32(lulli_c_i32x4_trunc_sat_f32x4_u, uint32_t,
                      lulli_i32_sat_f32_u)
#undef LULLI_C_TRUNC_SAT_F32

/* f64 lanes to the two low i32 lanes; the high two are zero. */
#define LULLI_C_TRUNC_SAT_F64(name, IT, FN)                                   \
  static inline lulli_v128 name(lulli_v128 a) {                               \
    double x[2];                                                              \
    IT r[4] = {0, 0, 0, 0};                                                   \
    memcpy(x, &a, 16);                                                        \
    r[0] = FN(x[0]);                                                          \
    r[1] = FN(x[1]);                                                          \
    return lulli_v128_load(r);                                                \
  }
LULLI_C_TRUNC_SAT_F64(lulli_c_i32x4_trunc_sat_f64x2_s_zero, int32_t,
                      lulli_i32_sat_f64_s)
LULLI_C_TRUNC_SAT_F64(lulli_c_i32x4_trunc_sat_f64x2_u_zero, uint32_t,
                      lulli_i32_sat_f64_u)
#undef LULLI_C_TRUNC_SAT_F64

static inline lulli_v128 lulli_c_f32x4_convert_i32x4_s(lulli_v128 a) {
  return (lulli_v128)__builtin_convertvector((lulli_i32x4)a, lulli_f32x4);
}
/* Unsigned, lane by lane: the scalar conversion rounds exactly. */
static inline lulli_v128 lulli_c_f32x4_convert_i32x4_u(lulli_v128 a) {
  uint32_t x[4];
  float r[4];
  memcpy(x, &a, 16);
  for (int i = 0; i < 4; i++)
    r[i] = (float)x[i];
  return lulli_v128_load(r);
}
/* The two low i32 lanes to f64 (exact). */
static inline lulli_v128 lulli_c_f64x2_convert_low_i32x4_s(lulli_v128 a) {
  int32_t x[4];
  memcpy(x, &a, 16);
  return (lulli_v128)(lulli_f64x2){(double)x[0], (double)x[1]};
}
static inline lulli_v128 lulli_c_f64x2_convert_low_i32x4_u(lulli_v128 a) {
  uint32_t x[4];
  memcpy(x, &a, 16);
  return (lulli_v128)(lulli_f64x2){(double)x[0], (double)x[1]};
}
static inline lulli_v128 lulli_c_f32x4_demote_f64x2_zero(lulli_v128 a) {
  lulli_f64x2 x = (lulli_f64x2)a;
  return (lulli_v128)(lulli_f32x4){(float)x[0], (float)x[1], 0.0f, 0.0f};
}
static inline lulli_v128 lulli_c_f64x2_promote_low_f32x4(lulli_v128 a) {
  lulli_f32x4 x = (lulli_f32x4)a;
  return (lulli_v128)(lulli_f64x2){(double)x[0], (double)x[1]};
}

#endif
