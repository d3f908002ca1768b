/*
 * suspend_util.h -- what the suspend and out-of-memory tests share: an
 * allocator that counts the bytes it has handed out and not got back, so a
 * test can check that freeing a parked or trapped thread returns every
 * byte it took (not only that the engine cleans up at the end, which ASan
 * would see), and one that also fails from the n-th allocation on.
 */
#ifndef LULL_SUSPEND_UTIL_H
#define LULL_SUSPEND_UTIL_H

#include <stdlib.h>

#include "lull.h"

typedef struct counting {
  long live;    /* bytes handed out and not freed */
  int bad_size; /* a free or realloc named a size it was not given */
} counting;

/* lull_alloc_fn: keeps each block's size in front of it to check the
 * sizes the engine gives back. */
static inline void *counting_alloc(void *ud, void *ptr, size_t old,
                                   size_t n) {
  counting *c = ud;
  size_t *p = ptr ? (size_t *)ptr - 1 : NULL;
  if (p && *p != old)
    c->bad_size = 1;
  if (n == 0) {
    if (p)
      c->live -= (long)*p;
    free(p);
    return NULL;
  }
  size_t *q = realloc(p, n + sizeof(size_t));
  if (!q)
    return NULL;
  c->live += (long)n - (p ? (long)old : 0);
  *q = n;
  return q + 1;
}

/* Counts like counting_alloc, and refuses every allocation once
 * `countdown` have been made (never when it starts below 0). */
typedef struct failing {
  counting c;
  long countdown;
} failing;

static inline void *failing_alloc(void *ud, void *ptr, size_t old, size_t n) {
  failing *f = ud;
  if (n != 0) {
    if (f->countdown == 0)
      return NULL;
    if (f->countdown > 0)
      f->countdown--;
  }
  return counting_alloc(&f->c, ptr, old, n);
}

/* An engine whose allocator is `f` (NULL when even that fails). */
static inline lull_engine *failing_engine(failing *f) {
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.alloc = failing_alloc;
  cfg.alloc_ud = f;
  return lull_engine_new(&cfg);
}

#endif
