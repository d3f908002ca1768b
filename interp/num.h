/*
 * num.h -- numeric semantics the C operators do not give directly: float
 * bits, min/max with NaN and signed zeros, nearest, checked and saturating
 * truncation, rotations and bit counts. Pure functions, no state.
 */
#ifndef LULL_INTERP_NUM_H
#define LULL_INTERP_NUM_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline float lulli_f32(uint32_t bits) {
  float f;
  memcpy(&f, &bits, 4);
  return f;
}
static inline uint32_t lulli_f32_bits(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}
static inline double lulli_f64(uint64_t bits) {
  double d;
  memcpy(&d, &bits, 8);
  return d;
}
static inline uint64_t lulli_f64_bits(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  return b;
}

static inline uint32_t lulli_rotl32(uint32_t x, uint32_t k) {
  k &= 31;
  return k ? (x << k) | (x >> (32 - k)) : x;
}
static inline uint32_t lulli_rotr32(uint32_t x, uint32_t k) {
  k &= 31;
  return k ? (x >> k) | (x << (32 - k)) : x;
}
/* Written out so any compiler takes it; GCC and clang make it one bswap. */
static inline uint32_t lulli_bswap32(uint32_t x) {
  return x << 24 | (x << 8 & 0xff0000u) | (x >> 8 & 0xff00u) | x >> 24;
}
static inline uint64_t lulli_rotl64(uint64_t x, uint64_t k) {
  k &= 63;
  return k ? (x << k) | (x >> (64 - k)) : x;
}
static inline uint64_t lulli_rotr64(uint64_t x, uint64_t k) {
  k &= 63;
  return k ? (x >> k) | (x << (64 - k)) : x;
}
static inline uint32_t lulli_clz32(uint32_t x) {
  return x ? (uint32_t)__builtin_clz(x) : 32;
}
static inline uint32_t lulli_ctz32(uint32_t x) {
  return x ? (uint32_t)__builtin_ctz(x) : 32;
}
static inline uint64_t lulli_clz64(uint64_t x) {
  return x ? (uint64_t)__builtin_clzll(x) : 64;
}
static inline uint64_t lulli_ctz64(uint64_t x) {
  return x ? (uint64_t)__builtin_ctzll(x) : 64;
}

/* min and max: a NaN operand gives a NaN (the sum propagates it as an
 * arithmetic NaN), and -0 is less than +0. */
static inline float lulli_fminf(float a, float b) {
  if (a != a || b != b)
    return a + b;
  if (a == b)
    return lulli_f32(lulli_f32_bits(a) | lulli_f32_bits(b));
  return a < b ? a : b;
}
static inline float lulli_fmaxf(float a, float b) {
  if (a != a || b != b)
    return a + b;
  if (a == b)
    return lulli_f32(lulli_f32_bits(a) & lulli_f32_bits(b));
  return a > b ? a : b;
}
static inline double lulli_fmin(double a, double b) {
  if (a != a || b != b)
    return a + b;
  if (a == b)
    return lulli_f64(lulli_f64_bits(a) | lulli_f64_bits(b));
  return a < b ? a : b;
}
static inline double lulli_fmax(double a, double b) {
  if (a != a || b != b)
    return a + b;
  if (a == b)
    return lulli_f64(lulli_f64_bits(a) & lulli_f64_bits(b));
  return a > b ? a : b;
}

/* Rounding to integers. A NaN must come out quiet (an arithmetic NaN):
 * gcc inlines floorf and friends at -O2 with a sequence that hands a
 * signalling NaN back unchanged, so NaNs take the sum instead. */
#define LULLI_ROUND(name, T, fn)                                             \
  static inline T name(T x) { return x != x ? x + x : fn(x); }
LULLI_ROUND(lulli_ceilf, float, ceilf)
LULLI_ROUND(lulli_floorf, float, floorf)
LULLI_ROUND(lulli_truncf, float, truncf)
LULLI_ROUND(lulli_nearestf, float, nearbyintf)
LULLI_ROUND(lulli_ceil, double, ceil)
LULLI_ROUND(lulli_floor, double, floor)
LULLI_ROUND(lulli_trunc, double, trunc)
LULLI_ROUND(lulli_nearest, double, nearbyint)
#undef LULLI_ROUND

/* Sign operations touch only the sign bit, NaN payloads included. */
#define LULLI_F32_SIGN 0x80000000u
#define LULLI_F64_SIGN 0x8000000000000000ull

/* Truncation to integers. The checked forms return 0 and set *trap to the
 * spec's message when the value is NaN or out of range. */
#define LULLI_TRUNC(name, FT, IT, lo_ok, hi_ok)                               \
  static inline IT name(FT x, const char **trap) {                           \
    if (x != x) {                                                             \
      *trap = "invalid conversion to integer";                                \
      return 0;                                                               \
    }                                                                         \
    if (!((lo_ok) && (hi_ok))) {                                              \
      *trap = "integer overflow";                                             \
      return 0;                                                               \
    }                                                                         \
    return (IT)x;                                                             \
  }
LULLI_TRUNC(lulli_i32_trunc_f32_s, float, int32_t, x >= -2147483648.0f,
            x < 2147483648.0f)
LULLI_TRUNC(lulli_i32_trunc_f32_u, float, uint32_t, x > -1.0f,
            x < 4294967296.0f)
LULLI_TRUNC(lulli_i32_trunc_f64_s, double, int32_t, x > -2147483649.0,
            x < 2147483648.0)
LULLI_TRUNC(lulli_i32_trunc_f64_u, double, uint32_t, x > -1.0,
            x < 4294967296.0)
LULLI_TRUNC(lulli_i64_trunc_f32_s, float, int64_t,
            x >= -9223372036854775808.0f, x < 9223372036854775808.0f)
LULLI_TRUNC(lulli_i64_trunc_f32_u, float, uint64_t, x > -1.0f,
            x < 18446744073709551616.0f)
LULLI_TRUNC(lulli_i64_trunc_f64_s, double, int64_t,
            x >= -9223372036854775808.0, x < 9223372036854775808.0)
LULLI_TRUNC(lulli_i64_trunc_f64_u, double, uint64_t, x > -1.0,
            x < 18446744073709551616.0)
#undef LULLI_TRUNC

#define LULLI_TRUNC_SAT(name, FT, IT, lo, hi, lo_ok, hi_ok)                   \
  static inline IT name(FT x) {                                              \
    if (x != x)                                                               \
      return 0;                                                               \
    if (!(lo_ok))                                                             \
      return lo;                                                              \
    if (!(hi_ok))                                                             \
      return hi;                                                              \
    return (IT)x;                                                             \
  }
LULLI_TRUNC_SAT(lulli_i32_sat_f32_s, float, int32_t, INT32_MIN, INT32_MAX,
                x >= -2147483648.0f, x < 2147483648.0f)
LULLI_TRUNC_SAT(lulli_i32_sat_f32_u, float, uint32_t, 0, UINT32_MAX,
                x > -1.0f, x < 4294967296.0f)
LULLI_TRUNC_SAT(lulli_i32_sat_f64_s, double, int32_t, INT32_MIN, INT32_MAX,
                x > -2147483649.0, x < 2147483648.0)
LULLI_TRUNC_SAT(lulli_i32_sat_f64_u, double, uint32_t, 0, UINT32_MAX,
                x > -1.0, x < 4294967296.0)
LULLI_TRUNC_SAT(lulli_i64_sat_f32_s, float, int64_t, INT64_MIN, INT64_MAX,
                x >= -9223372036854775808.0f, x < 9223372036854775808.0f)
LULLI_TRUNC_SAT(lulli_i64_sat_f32_u, float, uint64_t, 0, UINT64_MAX,
                x > -1.0f, x < 18446744073709551616.0f)
LULLI_TRUNC_SAT(lulli_i64_sat_f64_s, double, int64_t, INT64_MIN, INT64_MAX,
                x >= -9223372036854775808.0, x < 9223372036854775808.0)
LULLI_TRUNC_SAT(lulli_i64_sat_f64_u, double, uint64_t, 0, UINT64_MAX,
                x > -1.0, x < 18446744073709551616.0)
#undef LULLI_TRUNC_SAT

#endif
