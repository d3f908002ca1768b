/*
 * util.c -- allocator wrapper, growable arrays and error formatting.
 */
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

void *lulld_default_alloc(void *ud, void *ptr, size_t old_size,
                          size_t new_size) {
  (void)ud;
  (void)old_size;
  if (new_size == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, new_size);
}

void *lulld_malloc(const lulld_alloc *a, size_t n) {
  if (n == 0)
    return NULL;
  return a->fn(a->ud, NULL, 0, n);
}

void *lulld_calloc(const lulld_alloc *a, size_t count, size_t size) {
  if (count == 0 || size == 0 || count > SIZE_MAX / size)
    return NULL;
  void *p = a->fn(a->ud, NULL, 0, count * size);
  if (p)
    memset(p, 0, count * size);
  return p;
}

void *lulld_realloc(const lulld_alloc *a, void *p, size_t old_n,
                    size_t new_n) {
  if (new_n == 0) {
    lulld_free(a, p, old_n);
    return NULL;
  }
  return a->fn(a->ud, p, p ? old_n : 0, new_n);
}

void lulld_free(const lulld_alloc *a, void *p, size_t n) {
  if (p)
    a->fn(a->ud, p, n, 0);
}

char *lulld_strndup(const lulld_alloc *a, const char *s, size_t len) {
  char *d = lulld_malloc(a, len + 1);
  if (!d)
    return NULL;
  if (len)
    memcpy(d, s, len);
  d[len] = '\0';
  return d;
}

int lulld_grow(const lulld_alloc *a, void **arr, size_t elem_size,
               size_t *cap, size_t need) {
  if (need <= *cap)
    return 0;
  size_t ncap = *cap ? *cap : 8;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2 / elem_size)
      return -1;
    ncap *= 2;
  }
  if (ncap > SIZE_MAX / elem_size)
    return -1;
  void *p = lulld_realloc(a, *arr, *cap * elem_size, ncap * elem_size);
  if (!p)
    return -1;
  *arr = p;
  *cap = ncap;
  return 0;
}

lull_status lulld_verror(lull_error *err, lull_status status, uint64_t offset,
                         const char *fmt, va_list ap) {
  if (err) {
    err->status = status;
    err->offset = offset;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
  }
  return status;
}

lull_status lulld_error(lull_error *err, lull_status status, uint64_t offset,
                        const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  lulld_verror(err, status, offset, fmt, ap);
  va_end(ap);
  return status;
}
