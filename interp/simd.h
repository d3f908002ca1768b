/*
 * simd.h -- v128 values for the handlers of exec_simd*.inc: GNU C vector
 * types for every lane shape, moving a v128 between slots, code and
 * memory, and the lane operations.
 *
 * The operations come in two sets with the same signatures:
 *   simd_c.h    lulli_c_*: portable C (vector extensions and lane loops),
 *               every operation, exact Wasm semantics on any target
 *   simd_x86.h  lulli_x86_*: SSE2 (which every x86-64 has), with SSSE3
 *               and SSE4.1 variants when the compiler targets them, for
 *               the operations where intrinsics do much better than
 *               what compilers make of the portable code
 * Handlers name the second kind through LULLI_SIMD_FAST(name), which is
 * the x86 version on x86 and the portable one elsewhere or when the build
 * asks for portable SIMD (LULL_SIMD_PORTABLE, which CI also tests), and
 * forms for CPU features the build does not assume through
 * LULLI_SIMD_SSSE3 and LULLI_SIMD_SSE41 (simd_cpu.h).
 *
 * A v128 is two 64-bit slots, low half first, lanes little-endian: on a
 * little-endian host (the only kind lull supports; memory accesses use
 * host order too) lane i of any shape is at byte offset i * lane size.
 */
#ifndef LULL_INTERP_SIMD_H
#define LULL_INTERP_SIMD_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "num.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "lull's v128 lanes assume a little-endian host"
#endif

#define LULLI_VEC(n) __attribute__((vector_size(n)))
typedef uint64_t lulli_v128 LULLI_VEC(16); /* the neutral shape */
typedef int8_t lulli_i8x16 LULLI_VEC(16);
typedef uint8_t lulli_u8x16 LULLI_VEC(16);
typedef int16_t lulli_i16x8 LULLI_VEC(16);
typedef uint16_t lulli_u16x8 LULLI_VEC(16);
typedef int32_t lulli_i32x4 LULLI_VEC(16);
typedef uint32_t lulli_u32x4 LULLI_VEC(16);
typedef int64_t lulli_i64x2 LULLI_VEC(16);
typedef uint64_t lulli_u64x2 LULLI_VEC(16);
typedef float lulli_f32x4 LULLI_VEC(16);
typedef double lulli_f64x2 LULLI_VEC(16);
/* Halves, for widening. */
typedef int8_t lulli_i8x8 LULLI_VEC(8);
typedef uint8_t lulli_u8x8 LULLI_VEC(8);
typedef int16_t lulli_i16x4 LULLI_VEC(8);
typedef uint16_t lulli_u16x4 LULLI_VEC(8);
typedef int32_t lulli_i32x2 LULLI_VEC(8);
typedef uint32_t lulli_u32x2 LULLI_VEC(8);

/* 16 bytes at `p` (a slot pair, code cells or guest memory; any
 * alignment). */
static inline lulli_v128 lulli_v128_load(const void *p) {
  lulli_v128 v;
  memcpy(&v, p, sizeof v);
  return v;
}
static inline void lulli_v128_store(void *p, lulli_v128 v) {
  memcpy(p, &v, sizeof v);
}

#include "simd_c.h"

/* LULLI_SIMD_SSSE3 and LULLI_SIMD_SSE41 name the forms the handlers of the
 * *_SSSE3 and *_SSE41 ops call (see simd_cpu.h); where there is no such
 * form the compiler never emits those ops, and they run portable code. */
#if defined(__SSE2__) && !defined(LULL_SIMD_PORTABLE)
#include "simd_x86.h"
#define LULLI_SIMD_FAST(name) lulli_x86_##name
#define LULLI_SIMD_SSSE3(name) lulli_ssse3_##name
#define LULLI_SIMD_SSE41(name) lulli_sse41_##name
#else
#define LULLI_SIMD_FAST(name) lulli_c_##name
#define LULLI_SIMD_SSSE3(name) lulli_c_##name
#define LULLI_SIMD_SSE41(name) lulli_c_##name
#endif

#endif
