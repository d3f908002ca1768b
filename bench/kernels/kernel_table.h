/*
 * kernel_table.h -- kernels.def as a C table, for the native driver and the
 * harness (host code only; guests never include it).
 */
#ifndef BENCH_KERNEL_TABLE_H
#define BENCH_KERNEL_TABLE_H

#include <stdint.h>
#include <string.h>

struct kernel_info {
  const char *name;
  uint32_t n;              /* default input */
  uint32_t small_n;        /* input for instruction counts */
  uint32_t checksum;       /* run(n) */
  uint32_t small_checksum; /* run(small_n) */
};

static const struct kernel_info kernel_table[] = {
#define K(name, n, small_n, sum, small_sum) {#name, n, small_n, sum, small_sum},
#define SIMD(name)
#include "kernels.def"
#undef K
#undef SIMD
};

#define KERNEL_COUNT (sizeof kernel_table / sizeof kernel_table[0])

/* The kernels with a SIMD build (<name>.simd.wasm), NULL-terminated. */
static const char *const kernel_simd_names[] = {
#define K(name, n, small_n, sum, small_sum)
#define SIMD(name) #name,
#include "kernels.def"
#undef K
#undef SIMD
    NULL};

/* Does kernel `name` have a SIMD build? */
static inline int kernel_has_simd(const char *name) {
  for (size_t i = 0; kernel_simd_names[i] != NULL; i++) {
    if (strcmp(kernel_simd_names[i], name) == 0)
      return 1;
  }
  return 0;
}

/* The row named `name`, or NULL. */
static inline const struct kernel_info *kernel_find(const char *name) {
  for (size_t i = 0; i < KERNEL_COUNT; i++) {
    if (strcmp(kernel_table[i].name, name) == 0)
      return &kernel_table[i];
  }
  return NULL;
}

/* The checksum run(n) must return, when kernels.def knows it. */
static inline int kernel_expected(const struct kernel_info *k, uint32_t n,
                                  uint32_t *out) {
  if (n == k->n) {
    *out = k->checksum;
    return 1;
  }
  if (n == k->small_n) {
    *out = k->small_checksum;
    return 1;
  }
  return 0;
}

#endif /* BENCH_KERNEL_TABLE_H */
