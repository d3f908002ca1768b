/*
 * simd_cpu.h -- which optional x86 features the register-code compiler may
 * use for v128 ops on this CPU.
 *
 * lull's default build targets plain x86-64 (SSE2), so it runs on every
 * x86-64. A few v128 ops are much faster with SSSE3 (pshufb: shuffles and
 * swizzles) or SSE4.1 (roundps: ceil, floor, trunc, nearest), which almost
 * every x86-64 in use has. Those ops have variants (*_SSSE3, *_SSE41 in
 * ops_simd.h) whose handlers call functions compiled for the feature
 * alone (simd_x86.h); compile_simd.c emits a variant only when
 * lulli_simd_cpu() reports its feature. A variant has the size of its
 * base op, so code has the same layout on every machine.
 *
 * A build that already targets a feature (-mssse3, -msse4.1,
 * -march=native) inlines it everywhere and reports nothing extra, as do
 * portable builds (LULL_SIMD_PORTABLE) and other targets. Defining
 * LULLI_SIMD_NO_CPU_DISPATCH turns the variants off, to test the plain
 * SSE2 handlers on a machine that has the features.
 */
#ifndef LULL_INTERP_SIMD_CPU_H
#define LULL_INTERP_SIMD_CPU_H

enum { LULLI_CPU_SSSE3 = 1, LULLI_CPU_SSE41 = 2 };

#if defined(__SSE2__) && !defined(LULL_SIMD_PORTABLE) &&                      \
    !defined(LULLI_SIMD_NO_CPU_DISPATCH) &&                                   \
    (defined(__x86_64__) || defined(__i386__))

#ifdef __SSSE3__
#define LULLI_BUILD_SSSE3 1
#else
#define LULLI_BUILD_SSSE3 0
#endif
#ifdef __SSE4_1__
#define LULLI_BUILD_SSE41 1
#else
#define LULLI_BUILD_SSE41 0
#endif

/* LULLI_CPU_* bits: features this CPU has beyond what the build assumes.
 * __builtin_cpu_supports reads what the C runtime found at start-up. */
static inline unsigned lulli_simd_cpu(void) {
  unsigned f = 0;
  if (!LULLI_BUILD_SSSE3 && __builtin_cpu_supports("ssse3"))
    f |= LULLI_CPU_SSSE3;
  if (!LULLI_BUILD_SSE41 && __builtin_cpu_supports("sse4.1"))
    f |= LULLI_CPU_SSE41;
  return f;
}

#else
static inline unsigned lulli_simd_cpu(void) { return 0; }
#endif

#endif
