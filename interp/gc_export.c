/*
 * gc_export.c -- the set of GC objects lull gave out as externrefs. An
 * extern slot holds either one of them or a value the host chose, which
 * lull never reads through; membership here is how the collector and
 * any.convert_extern tell the two apart without looking at the host's
 * value. Open addressing with linear probing, deleted by shifting back.
 */
#include "interp_internal.h"

static size_t slot_of(const void *p, size_t cap) {
  uintptr_t x = (uintptr_t)p >> 4;
  x ^= x >> 17;
  x *= 0x9E3779B97F4A7C15ull;
  return (size_t)(x >> 20) & (cap - 1);
}

int lulli_gc_owns(const lull_engine *e, const void *p) {
  const lulli_gcheap *h = &e->gc;
  if (!p || ((uintptr_t)p & 1u) || !h->nexp)
    return 0;
  for (size_t i = slot_of(p, h->cap_exp);; i = (i + 1) & (h->cap_exp - 1)) {
    if (h->exp[i] == p)
      return 1;
    if (!h->exp[i])
      return 0;
  }
}

static void insert(lulli_gcobj **tab, size_t cap, lulli_gcobj *o) {
  size_t i = slot_of(o, cap);
  while (tab[i])
    i = (i + 1) & (cap - 1);
  tab[i] = o;
}

int lulli_gc_export(lull_engine *e, lulli_gcobj *o, int *fail) {
  lulli_gcheap *h = &e->gc;
  if (o->exported)
    return 0;
  if ((h->nexp + 1) * 2 > h->cap_exp) {
    size_t cap = h->cap_exp ? h->cap_exp * 2 : 16;
    lulli_gcobj **tab = lulld_calloc(&e->alloc, cap, sizeof *tab);
    if (!tab) {
      *fail = 1;
      return -1;
    }
    for (size_t i = 0; i < h->cap_exp; i++)
      if (h->exp[i])
        insert(tab, cap, h->exp[i]);
    lulld_free(&e->alloc, h->exp, h->cap_exp * sizeof *h->exp);
    h->exp = tab;
    h->cap_exp = cap;
  }
  insert(h->exp, h->cap_exp, o);
  h->nexp++;
  o->exported = 1;
  return 0;
}

void lulli_gc_unexport(lull_engine *e, lulli_gcobj *o) {
  lulli_gcheap *h = &e->gc;
  size_t mask = h->cap_exp - 1, i = slot_of(o, h->cap_exp);
  while (h->exp[i] != o)
    i = (i + 1) & mask;
  h->exp[i] = NULL;
  h->nexp--;
  /* Entries after the hole that probed past it move back into it. */
  for (size_t j = (i + 1) & mask; h->exp[j]; j = (j + 1) & mask) {
    size_t home = slot_of(h->exp[j], h->cap_exp);
    if (((j - home) & mask) >= ((j - i) & mask)) {
      h->exp[i] = h->exp[j];
      h->exp[j] = NULL;
      i = j;
    }
  }
  o->exported = 0;
}

void lulli_gc_exports_free(lull_engine *e) {
  lulli_gcheap *h = &e->gc;
  lulld_free(&e->alloc, h->exp, h->cap_exp * sizeof *h->exp);
  h->exp = NULL;
  h->nexp = h->cap_exp = 0;
}
