/*
 * engine_alloc.c -- malloc's interface on the engine's allocator, for the
 * layers built on the core (WASI, the scheduler) and for embedders: the
 * size each block needs for lull_config.alloc is kept in a header in
 * front of it, so callers free without remembering it.
 */
#include <string.h>

#include "interp_internal.h"

/* The header keeps the block's size and the alignment malloc gives. */
#define HEADER 16u

void *lull_malloc(lull_engine *e, size_t size) {
  if (!e || size == 0 || size > SIZE_MAX - HEADER)
    return NULL;
  uint8_t *p = lulld_malloc(&e->alloc, size + HEADER);
  if (!p)
    return NULL;
  memcpy(p, &size, sizeof size);
  return p + HEADER;
}

void *lull_calloc(lull_engine *e, size_t count, size_t size) {
  if (size && count > SIZE_MAX / size)
    return NULL;
  void *p = lull_malloc(e, count * size);
  if (p)
    memset(p, 0, count * size);
  return p;
}

static size_t size_of(const void *ptr) {
  size_t n;
  memcpy(&n, (const uint8_t *)ptr - HEADER, sizeof n);
  return n;
}

void lull_free(lull_engine *e, void *ptr) {
  if (e && ptr)
    lulld_free(&e->alloc, (uint8_t *)ptr - HEADER, size_of(ptr) + HEADER);
}

void *lull_realloc(lull_engine *e, void *ptr, size_t size) {
  if (!ptr)
    return lull_malloc(e, size);
  if (!e || size == 0 || size > SIZE_MAX - HEADER)
    return NULL;
  uint8_t *p = lulld_realloc(&e->alloc, (uint8_t *)ptr - HEADER,
                             size_of(ptr) + HEADER, size + HEADER);
  if (!p)
    return NULL;
  memcpy(p, &size, sizeof size);
  return p + HEADER;
}

char *lull_strdup(lull_engine *e, const char *s) {
  if (!s)
    return NULL;
  size_t n = strlen(s) + 1;
  char *p = lull_malloc(e, n);
  if (p)
    memcpy(p, s, n);
  return p;
}
