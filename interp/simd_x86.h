/*
 * simd_x86.h -- lulli_x86_*: the v128 operations that SSE does much
 * better than compilers do with simd_c.h's portable code (saturation,
 * averages, packing, byte shuffles, bit masks, dot products, rounding).
 * Included by simd.h when the target has SSE2 (every x86-64 does) and the
 * build does not ask for portable SIMD.
 *
 * lull's default build targets plain x86-64, so the plain handlers use
 * SSE2 only; building with -mssse3, -msse4.1 or -march=native (through
 * CMAKE_C_FLAGS) inlines the SSSE3 and SSE4.1 forms below into them, each
 * chosen per function. Where a level has no form of its own, the name
 * falls back to the one below it or to the portable function. The forms
 * that matter most (byte shuffles, rounding) are also reachable from a
 * plain x86-64 build on a CPU that has them: see the end of this file.
 */
#ifndef LULL_INTERP_SIMD_X86_H
#define LULL_INTERP_SIMD_X86_H

#include <emmintrin.h>
#include <smmintrin.h>
#include <tmmintrin.h>

#define LULLI_M(v) ((__m128i)(v))
#define LULLI_V(m) ((lulli_v128)(m))

/* One SSE2 instruction each, with exactly the Wasm semantics. */
#define LULLI_X86_BIN(name, INTRIN)                                           \
  static inline lulli_v128 name(lulli_v128 a, lulli_v128 b) {                 \
    return LULLI_V(INTRIN(LULLI_M(a), LULLI_M(b)));                           \
  }
LULLI_X86_BIN(lulli_x86_i8x16_add_sat_s, _mm_adds_epi8)
LULLI_X86_BIN(lulli_x86_i8x16_add_sat_u, _mm_adds_epu8)
LULLI_X86_BIN(lulli_x86_i8x16_sub_sat_s, _mm_subs_epi8)
LULLI_X86_BIN(lulli_x86_i8x16_sub_sat_u, _mm_subs_epu8)
LULLI_X86_BIN(lulli_x86_i16x8_add_sat_s, _mm_adds_epi16)
LULLI_X86_BIN(lulli_x86_i16x8_add_sat_u, _mm_adds_epu16)
LULLI_X86_BIN(lulli_x86_i16x8_sub_sat_s, _mm_subs_epi16)
LULLI_X86_BIN(lulli_x86_i16x8_sub_sat_u, _mm_subs_epu16)
LULLI_X86_BIN(lulli_x86_i8x16_min_u, _mm_min_epu8)
LULLI_X86_BIN(lulli_x86_i8x16_max_u, _mm_max_epu8)
LULLI_X86_BIN(lulli_x86_i16x8_min_s, _mm_min_epi16)
LULLI_X86_BIN(lulli_x86_i16x8_max_s, _mm_max_epi16)
LULLI_X86_BIN(lulli_x86_i8x16_avgr_u, _mm_avg_epu8)
LULLI_X86_BIN(lulli_x86_i16x8_avgr_u, _mm_avg_epu16)
LULLI_X86_BIN(lulli_x86_i8x16_narrow_i16x8_s, _mm_packs_epi16)
LULLI_X86_BIN(lulli_x86_i8x16_narrow_i16x8_u, _mm_packus_epi16)
LULLI_X86_BIN(lulli_x86_i16x8_narrow_i32x4_s, _mm_packs_epi32)
/* pmaddwd wraps the one overflowing sum as Wasm does. */
LULLI_X86_BIN(lulli_x86_i32x4_dot_i16x8_s, _mm_madd_epi16)

/* Unsigned widening interleaves a half with zeros (what GCC makes of the
 * portable conversion takes three more shuffles). */
#define LULLI_X86_ZEXT(name, UNPACK)                                          \
  static inline lulli_v128 name(lulli_v128 a) {                               \
    return LULLI_V(UNPACK(LULLI_M(a), _mm_setzero_si128()));                  \
  }
LULLI_X86_ZEXT(lulli_x86_i16x8_extend_low_i8x16_u, _mm_unpacklo_epi8)
LULLI_X86_ZEXT(lulli_x86_i16x8_extend_high_i8x16_u, _mm_unpackhi_epi8)
LULLI_X86_ZEXT(lulli_x86_i32x4_extend_low_i16x8_u, _mm_unpacklo_epi16)
LULLI_X86_ZEXT(lulli_x86_i32x4_extend_high_i16x8_u, _mm_unpackhi_epi16)
LULLI_X86_ZEXT(lulli_x86_i64x2_extend_low_i32x4_u, _mm_unpacklo_epi32)
LULLI_X86_ZEXT(lulli_x86_i64x2_extend_high_i32x4_u, _mm_unpackhi_epi32)
#undef LULLI_X86_ZEXT

static inline lulli_v128 lulli_x86_f32x4_sqrt(lulli_v128 a) {
  return LULLI_V(_mm_sqrt_ps((__m128)a));
}
static inline lulli_v128 lulli_x86_f64x2_sqrt(lulli_v128 a) {
  return LULLI_V(_mm_sqrt_pd((__m128d)a));
}

/* Bit masks: movemask reads the top bit of each byte, f32 or f64 lane;
 * for i16 lanes, a saturating pack to bytes keeps the signs. */
static inline uint32_t lulli_x86_i8x16_bitmask(lulli_v128 a) {
  return (uint32_t)_mm_movemask_epi8(LULLI_M(a));
}
static inline uint32_t lulli_x86_i16x8_bitmask(lulli_v128 a) {
  __m128i p = _mm_packs_epi16(LULLI_M(a), _mm_setzero_si128());
  return (uint32_t)_mm_movemask_epi8(p);
}
static inline uint32_t lulli_x86_i32x4_bitmask(lulli_v128 a) {
  return (uint32_t)_mm_movemask_ps((__m128)a);
}
static inline uint32_t lulli_x86_i64x2_bitmask(lulli_v128 a) {
  return (uint32_t)_mm_movemask_pd((__m128d)a);
}

/* all_true: no lane compares equal to zero. */
#define LULLI_X86_ALL_TRUE(name, CMPEQ)                                       \
  static inline uint32_t name(lulli_v128 a) {                                 \
    __m128i z = CMPEQ(LULLI_M(a), _mm_setzero_si128());                       \
    return _mm_movemask_epi8(z) == 0;                                         \
  }
LULLI_X86_ALL_TRUE(lulli_x86_i8x16_all_true, _mm_cmpeq_epi8)
LULLI_X86_ALL_TRUE(lulli_x86_i16x8_all_true, _mm_cmpeq_epi16)
LULLI_X86_ALL_TRUE(lulli_x86_i32x4_all_true, _mm_cmpeq_epi32)
#undef LULLI_X86_ALL_TRUE

/* Saturating f32 -> i32: cvttps2dq gives 0x80000000 for NaN and for
 * every lane out of range. Lanes at or above 2^31 become 0x7FFFFFFF by
 * flipping those bits, NaN lanes are cleared. */
static inline lulli_v128 lulli_x86_i32x4_trunc_sat_f32x4_s(lulli_v128 a) {
  __m128 x = (__m128)a;
  __m128i r = _mm_cvttps_epi32(x);
  __m128i big = _mm_castps_si128(_mm_cmpge_ps(x, _mm_set1_ps(2147483648.0f)));
  __m128i ord = _mm_castps_si128(_mm_cmpord_ps(x, x));
  return LULLI_V(_mm_and_si128(_mm_xor_si128(r, big), ord));
}

/* Q15 multiply: the 32-bit products (from the low and high halves of
 * each 16-bit product), rounded and shifted, packed back with signed
 * saturation, which also takes care of -32768 * -32768. */
static inline lulli_v128 lulli_x86_i16x8_q15mulr_sat_s_sse2(lulli_v128 a,
                                                            lulli_v128 b) {
  __m128i lo = _mm_mullo_epi16(LULLI_M(a), LULLI_M(b));
  __m128i hi = _mm_mulhi_epi16(LULLI_M(a), LULLI_M(b));
  __m128i round = _mm_set1_epi32(0x4000);
  __m128i p0 = _mm_srai_epi32(_mm_add_epi32(_mm_unpacklo_epi16(lo, hi), round), 15);
  __m128i p1 = _mm_srai_epi32(_mm_add_epi32(_mm_unpackhi_epi16(lo, hi), round), 15);
  return LULLI_V(_mm_packs_epi32(p0, p1));
}

/* Unsigned saturation of i32 lanes to u16 without packusdw: clamp to
 * [0, 65535] by comparisons, then shift the range down by 32768 so the
 * signed pack does not saturate, and back up by flipping the top bits. */
static inline lulli_v128 lulli_x86_i16x8_narrow_i32x4_u_sse2(lulli_v128 a,
                                                            lulli_v128 b) {
  const __m128i max = _mm_set1_epi32(65535), bias = _mm_set1_epi32(32768);
  __m128i x = LULLI_M(a), y = LULLI_M(b);
  x = _mm_and_si128(x, _mm_cmpgt_epi32(x, _mm_setzero_si128()));
  y = _mm_and_si128(y, _mm_cmpgt_epi32(y, _mm_setzero_si128()));
  __m128i bx = _mm_cmpgt_epi32(x, max), by = _mm_cmpgt_epi32(y, max);
  x = _mm_or_si128(_mm_andnot_si128(bx, x), _mm_and_si128(bx, max));
  y = _mm_or_si128(_mm_andnot_si128(by, y), _mm_and_si128(by, max));
  __m128i p = _mm_packs_epi32(_mm_sub_epi32(x, bias), _mm_sub_epi32(y, bias));
  return LULLI_V(_mm_xor_si128(p, _mm_set1_epi16((short)0x8000)));
}

/* Byte shifts through 16-bit ones. Left and logical right: shift the
 * words, then clear the bits that crossed into the neighbouring byte.
 * Arithmetic right: the high bytes shift in place; the low bytes are
 * first moved up so their own sign comes in, then back down. */
static inline lulli_v128 lulli_x86_i8x16_shl(lulli_v128 a, uint32_t n) {
  __m128i c = _mm_cvtsi32_si128((int)(n & 7));
  __m128i keep = _mm_set1_epi8((char)(0xFF << (n & 7)));
  return LULLI_V(_mm_and_si128(_mm_sll_epi16(LULLI_M(a), c), keep));
}
static inline lulli_v128 lulli_x86_i8x16_shr_u(lulli_v128 a, uint32_t n) {
  __m128i c = _mm_cvtsi32_si128((int)(n & 7));
  __m128i keep = _mm_set1_epi8((char)(0xFF >> (n & 7)));
  return LULLI_V(_mm_and_si128(_mm_srl_epi16(LULLI_M(a), c), keep));
}
static inline lulli_v128 lulli_x86_i8x16_shr_s(lulli_v128 a, uint32_t n) {
  __m128i x = LULLI_M(a);
  __m128i hi = _mm_sra_epi16(x, _mm_cvtsi32_si128((int)(n & 7)));
  __m128i lo = _mm_sra_epi16(_mm_slli_epi16(x, 8),
                             _mm_cvtsi32_si128((int)(n & 7) + 8));
  const __m128i low_bytes = _mm_set1_epi16(0x00FF);
  return LULLI_V(_mm_or_si128(_mm_andnot_si128(low_bytes, hi),
                              _mm_and_si128(low_bytes, lo)));
}

/* ---------------------------------------------------------------------
 * SSSE3 and SSE4.1 forms of shuffles, swizzles and rounding. A build
 * that targets these features inlines them into the plain handlers. A
 * build for plain x86-64 compiles them for the feature alone, out of
 * line, and only the handlers of the *_SSSE3 and *_SSE41 ops call them;
 * the compiler emits those ops only on a CPU with the feature
 * (simd_cpu.h). The intrinsic headers declare every intrinsic whatever
 * the build targets.
 * ------------------------------------------------------------------- */
#ifdef __SSSE3__
#define LULLI_SSSE3_FN static inline
#else
#define LULLI_SSSE3_FN static __attribute__((target("ssse3"), noinline))
#endif
#ifdef __SSE4_1__
#define LULLI_SSE41_FN static inline
#else
#define LULLI_SSE41_FN static __attribute__((target("sse4.1"), noinline))
#endif

/* pshufb zeroes a byte whose index has its top bit set and otherwise
 * uses the low four bits; adding 0x70 with unsigned saturation sets the
 * top bit of every index >= 16 and keeps the low bits of the rest. */
LULLI_SSSE3_FN lulli_v128 lulli_ssse3_i8x16_swizzle(lulli_v128 a,
                                                    lulli_v128 idx) {
  __m128i k = _mm_adds_epu8(LULLI_M(idx), _mm_set1_epi8(0x70));
  return LULLI_V(_mm_shuffle_epi8(LULLI_M(a), k));
}
/* One swizzle per operand: lanes 0..15 pick from a (0x70 added with
 * saturation leaves 16..31 with the top bit set), lanes 16..31 from b
 * (16 subtracted with wrap-around leaves 0..15 with the top bit set). */
LULLI_SSSE3_FN lulli_v128 lulli_ssse3_i8x16_shuffle(lulli_v128 a,
                                                    lulli_v128 b,
                                                    lulli_v128 lanes) {
  __m128i k = LULLI_M(lanes);
  __m128i ka = _mm_adds_epu8(k, _mm_set1_epi8(0x70));
  __m128i kb = _mm_sub_epi8(k, _mm_set1_epi8(16));
  return LULLI_V(_mm_or_si128(_mm_shuffle_epi8(LULLI_M(a), ka),
                              _mm_shuffle_epi8(LULLI_M(b), kb)));
}

/* roundps/roundpd with exceptions suppressed; a signalling NaN comes out
 * quieted, as Wasm asks. */
#define LULLI_X86_ROUND(name, T, INTRIN, MODE)                                \
  LULLI_SSE41_FN lulli_v128 name(lulli_v128 a) {                              \
    return LULLI_V(INTRIN((T)a, (MODE) | _MM_FROUND_NO_EXC));                 \
  }
LULLI_X86_ROUND(lulli_sse41_f32x4_ceil, __m128, _mm_round_ps,
                _MM_FROUND_TO_POS_INF)
LULLI_X86_ROUND(lulli_sse41_f32x4_floor, __m128, _mm_round_ps,
                _MM_FROUND_TO_NEG_INF)
LULLI_X86_ROUND(lulli_sse41_f32x4_trunc, __m128, _mm_round_ps,
                _MM_FROUND_TO_ZERO)
LULLI_X86_ROUND(lulli_sse41_f32x4_nearest, __m128, _mm_round_ps,
                _MM_FROUND_TO_NEAREST_INT)
LULLI_X86_ROUND(lulli_sse41_f64x2_ceil, __m128d, _mm_round_pd,
                _MM_FROUND_TO_POS_INF)
LULLI_X86_ROUND(lulli_sse41_f64x2_floor, __m128d, _mm_round_pd,
                _MM_FROUND_TO_NEG_INF)
LULLI_X86_ROUND(lulli_sse41_f64x2_trunc, __m128d, _mm_round_pd,
                _MM_FROUND_TO_ZERO)
LULLI_X86_ROUND(lulli_sse41_f64x2_nearest, __m128d, _mm_round_pd,
                _MM_FROUND_TO_NEAREST_INT)
#undef LULLI_X86_ROUND

/* ---------------------------------------------------------------------
 * What the plain handlers use: the forms above when the build targets
 * their feature, SSE2 or portable code when it does not.
 * ------------------------------------------------------------------- */
#ifdef __SSSE3__
#define lulli_x86_i8x16_swizzle lulli_ssse3_i8x16_swizzle
#define lulli_x86_i8x16_shuffle lulli_ssse3_i8x16_shuffle
/* pmulhrsw computes (a * b + 2^14) >> 15 but gives -32768 where the
 * result should saturate to 32767: flip those lanes. */
static inline lulli_v128 lulli_x86_i16x8_q15mulr_sat_s(lulli_v128 a,
                                                       lulli_v128 b) {
  __m128i r = _mm_mulhrs_epi16(LULLI_M(a), LULLI_M(b));
  __m128i bad = _mm_cmpeq_epi16(r, _mm_set1_epi16((short)0x8000));
  return LULLI_V(_mm_xor_si128(r, bad));
}
/* Bits of each nibble from a table. */
static inline lulli_v128 lulli_x86_i8x16_popcnt(lulli_v128 a) {
  const __m128i table = _mm_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2,
                                      3, 3, 4);
  const __m128i low = _mm_set1_epi8(0x0F);
  __m128i x = LULLI_M(a);
  __m128i lo = _mm_shuffle_epi8(table, _mm_and_si128(x, low));
  __m128i hi = _mm_shuffle_epi8(table,
                                _mm_and_si128(_mm_srli_epi16(x, 4), low));
  return LULLI_V(_mm_add_epi8(lo, hi));
}
#else
#define lulli_x86_i8x16_swizzle lulli_c_i8x16_swizzle
#define lulli_x86_i8x16_shuffle lulli_c_i8x16_shuffle
#define lulli_x86_i16x8_q15mulr_sat_s lulli_x86_i16x8_q15mulr_sat_s_sse2
#define lulli_x86_i8x16_popcnt lulli_c_i8x16_popcnt
#endif

#ifdef __SSE4_1__
#define lulli_x86_f32x4_ceil lulli_sse41_f32x4_ceil
#define lulli_x86_f32x4_floor lulli_sse41_f32x4_floor
#define lulli_x86_f32x4_trunc lulli_sse41_f32x4_trunc
#define lulli_x86_f32x4_nearest lulli_sse41_f32x4_nearest
#define lulli_x86_f64x2_ceil lulli_sse41_f64x2_ceil
#define lulli_x86_f64x2_floor lulli_sse41_f64x2_floor
#define lulli_x86_f64x2_trunc lulli_sse41_f64x2_trunc
#define lulli_x86_f64x2_nearest lulli_sse41_f64x2_nearest
LULLI_X86_BIN(lulli_x86_i8x16_min_s, _mm_min_epi8)
LULLI_X86_BIN(lulli_x86_i8x16_max_s, _mm_max_epi8)
LULLI_X86_BIN(lulli_x86_i16x8_min_u, _mm_min_epu16)
LULLI_X86_BIN(lulli_x86_i16x8_max_u, _mm_max_epu16)
LULLI_X86_BIN(lulli_x86_i32x4_min_s, _mm_min_epi32)
LULLI_X86_BIN(lulli_x86_i32x4_max_s, _mm_max_epi32)
LULLI_X86_BIN(lulli_x86_i32x4_min_u, _mm_min_epu32)
LULLI_X86_BIN(lulli_x86_i32x4_max_u, _mm_max_epu32)
LULLI_X86_BIN(lulli_x86_i16x8_narrow_i32x4_u, _mm_packus_epi32)
LULLI_X86_BIN(lulli_x86_i32x4_mul, _mm_mullo_epi32)
#else
#define lulli_x86_f32x4_ceil lulli_c_f32x4_ceil
#define lulli_x86_f32x4_floor lulli_c_f32x4_floor
#define lulli_x86_f32x4_trunc lulli_c_f32x4_trunc
#define lulli_x86_f32x4_nearest lulli_c_f32x4_nearest
#define lulli_x86_f64x2_ceil lulli_c_f64x2_ceil
#define lulli_x86_f64x2_floor lulli_c_f64x2_floor
#define lulli_x86_f64x2_trunc lulli_c_f64x2_trunc
#define lulli_x86_f64x2_nearest lulli_c_f64x2_nearest
#define lulli_x86_i8x16_min_s lulli_c_i8x16_min_s
#define lulli_x86_i8x16_max_s lulli_c_i8x16_max_s
#define lulli_x86_i16x8_min_u lulli_c_i16x8_min_u
#define lulli_x86_i16x8_max_u lulli_c_i16x8_max_u
#define lulli_x86_i32x4_min_s lulli_c_i32x4_min_s
#define lulli_x86_i32x4_max_s lulli_c_i32x4_max_s
#define lulli_x86_i32x4_min_u lulli_c_i32x4_min_u
#define lulli_x86_i32x4_max_u lulli_c_i32x4_max_u
#define lulli_x86_i16x8_narrow_i32x4_u lulli_x86_i16x8_narrow_i32x4_u_sse2
#define lulli_x86_i32x4_mul lulli_c_i32x4_mul
#endif

#undef LULLI_X86_BIN
#undef LULLI_SSSE3_FN
#undef LULLI_SSE41_FN
#undef LULLI_M
#undef LULLI_V

#endif
