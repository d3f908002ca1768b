/*
 * util.h -- small pieces every layer of the core shares: the allocator
 * wrapper, growable arrays and error formatting. Internal to liblull;
 * prefix lulld_ (the decoder is the lowest layer, so these live here).
 */
#ifndef LULL_DECODER_UTIL_H
#define LULL_DECODER_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lull.h"

#if defined(__GNUC__)
#define LULL_HIDDEN __attribute__((visibility("hidden")))
#define LULL_LIKELY(x) __builtin_expect(!!(x), 1)
#define LULL_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define LULL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define LULL_HIDDEN
#define LULL_LIKELY(x) (x)
#define LULL_UNLIKELY(x) (x)
#define LULL_PRINTF(f, a)
#endif

/* The allocator every internal allocation goes through (see lull_alloc_fn).
 * Sizes must be passed back exactly on realloc and free. */
typedef struct lulld_alloc {
  lull_alloc_fn fn;
  void *ud;
} lulld_alloc;

/* The default allocator: malloc/realloc/free. */
LULL_HIDDEN void *lulld_default_alloc(void *ud, void *ptr, size_t old_size,
                                      size_t new_size);

/* NULL when out of memory (or n == 0). */
LULL_HIDDEN void *lulld_malloc(const lulld_alloc *a, size_t n);
/* Zero-filled; NULL when out of memory or the product overflows. */
LULL_HIDDEN void *lulld_calloc(const lulld_alloc *a, size_t count, size_t size);
/* On failure returns NULL and leaves `p` untouched. */
LULL_HIDDEN void *lulld_realloc(const lulld_alloc *a, void *p, size_t old_n,
                                size_t new_n);
LULL_HIDDEN void lulld_free(const lulld_alloc *a, void *p, size_t n);
/* A copy of `len` bytes followed by a NUL byte; NULL when out of memory. */
LULL_HIDDEN char *lulld_strndup(const lulld_alloc *a, const char *s,
                                size_t len);

/* Grows a typed array `*arr` of `*cap` elements so it holds at least
 * `need`; doubles the capacity. Returns 0 on success, -1 when out of memory
 * (the array is untouched). */
LULL_HIDDEN int lulld_grow(const lulld_alloc *a, void **arr, size_t elem_size,
                           size_t *cap, size_t need);
/* p + n for an array that may be NULL when empty: NULL + 0 is undefined
 * in C, and a function type with no parameters has no array at all. */
#define LULLD_PAST(p, n) ((n) ? (p) + (n) : (p))

#define LULLD_GROW(a, arr, cap, need)                                         \
  lulld_grow((a), (void **)&(arr), sizeof(*(arr)), (cap), (need))

/* Fills `err` (may be NULL) and returns `status`. The message is printf
 * formatted and truncated to fit. */
LULL_HIDDEN lull_status lulld_error(lull_error *err, lull_status status,
                                    uint64_t offset, const char *fmt, ...)
    LULL_PRINTF(4, 5);
LULL_HIDDEN lull_status lulld_verror(lull_error *err, lull_status status,
                                     uint64_t offset, const char *fmt,
                                     va_list ap);

/* Slot width of a value type on the Wasm stack (v128 takes two). */
static inline uint32_t lulld_slots_of(lull_valtype valtype) {
  return valtype == LULL_V128 ? 2u : 1u;
}

#endif
