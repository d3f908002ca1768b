/*
 * kernel.h -- what every compute kernel shares.
 *
 * Each kernel is one C file compiled twice from the same source: by clang
 * for freestanding wasm32 (no libc; rt.c supplies the few helpers clang
 * emits calls to) and by gcc for the native driver (native_main.c, linked
 * with the host libc). Both builds must return the same checksum, so
 * kernels use only fixed-width types (`long` and `size_t` differ between
 * wasm32 and x86-64), integer wrap-around on unsigned types, and IEEE
 * double operations in source order (no -ffast-math anywhere).
 *
 * Every kernel re-initialises its static data at the start of `run`, so a
 * harness may call it many times on one instance and get the same result.
 */
#ifndef BENCH_KERNEL_H
#define BENCH_KERNEL_H

#include <stddef.h>
#include <stdint.h>

/* The one export of every guest: does `n` units of work (the unit is the
 * kernel's own: a recursion depth, a count of rounds, a matrix size...)
 * and returns a checksum of everything it computed. */
uint32_t run(uint32_t n);

/* The libc functions clang may call even in freestanding code (for struct
 * copies and loops it recognises). Declared here rather than taken from
 * <string.h>, which the wasm32 build does not have; the prototypes match
 * libc's, so the native build links them from libc. */
void *memcpy(void *dst, const void *src, size_t len);
void *memmove(void *dst, const void *src, size_t len);
void *memset(void *dst, int c, size_t len);
int memcmp(const void *a, const void *b, size_t len);

/* Marsaglia's xorshift32: generates the kernels' input data the same way
 * in both builds. The state must never be 0. */
static inline uint32_t rng_next(uint32_t *state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

/* Folds `v` into the running checksum `h` (an FNV-1a style step over the
 * whole word, then a rotate so that order matters). */
static inline uint32_t mix32(uint32_t h, uint32_t v) {
  h = (h ^ v) * 16777619u;
  return (h << 7) | (h >> 25);
}

/* A double's bit pattern folded to 32 bits: floating-point kernels check
 * bit-exact agreement, not closeness. */
static inline uint32_t mix_double(uint32_t h, double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  h = mix32(h, (uint32_t)bits);
  return mix32(h, (uint32_t)(bits >> 32));
}

#endif /* BENCH_KERNEL_H */
