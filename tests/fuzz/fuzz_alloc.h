/*
 * fuzz_alloc.h -- what the fuzz targets share: an allocator that refuses
 * every allocation after a budget, and the hash that picks the budget from
 * the input, so out-of-memory paths are fuzzed too.
 */
#ifndef LULL_FUZZ_ALLOC_H
#define LULL_FUZZ_ALLOC_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct failing {
  uint32_t left;  /* allocations still allowed */
  int failed;     /* one was refused */
} failing;

/* A lull_alloc_fn whose `ud` is a `failing`. */
static inline void *failing_alloc(void *ud, void *ptr, size_t old_size,
                                  size_t new_size) {
  failing *f = ud;
  (void)old_size;
  if (new_size == 0) {
    free(ptr);
    return NULL;
  }
  if (f->left == 0) {
    f->failed = 1;
    return NULL;
  }
  f->left--;
  return realloc(ptr, new_size);
}

/* FNV-1a: picks the failing allocation from the input. */
static inline uint32_t fuzz_hash(const uint8_t *d, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ d[i]) * 16777619u;
  return h;
}

#endif
