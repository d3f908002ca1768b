/*
 * types.c -- the engine's registry of function types. Structurally equal
 * types get one id, so call_indirect checks a type with one comparison
 * even across modules.
 */
#include "interp_internal.h"

static uint32_t hash_type(const uint8_t *p, uint32_t np, const uint8_t *r,
                          uint32_t nr) {
  uint32_t h = 2166136261u ^ np ^ (nr << 16);
  for (uint32_t i = 0; i < np; i++)
    h = (h ^ p[i]) * 16777619u;
  h = (h ^ 0xFF) * 16777619u;
  for (uint32_t i = 0; i < nr; i++)
    h = (h ^ r[i]) * 16777619u;
  return h;
}

static int same(const lulli_type *t, const uint8_t *p, uint32_t np,
                const uint8_t *r, uint32_t nr) {
  return t->nparams == np && t->nresults == nr &&
         (np == 0 || memcmp(t->types, p, np) == 0) &&
         (nr == 0 || memcmp(t->types + np, r, nr) == 0);
}

static int rehash(lull_engine *e, size_t cap) {
  uint32_t *h = lulld_calloc(&e->alloc, cap, sizeof *h);
  if (!h)
    return -1;
  for (size_t id = 0; id < e->ntypes; id++) {
    size_t i = e->types[id]->hash & (cap - 1);
    while (h[i])
      i = (i + 1) & (cap - 1);
    h[i] = (uint32_t)id + 1;
  }
  lulld_free(&e->alloc, e->type_hash, e->cap_hash * sizeof *h);
  e->type_hash = h;
  e->cap_hash = cap;
  return 0;
}

uint32_t lulli_type_intern(lull_engine *e, const uint8_t *params, uint32_t np,
                           const uint8_t *results, uint32_t nr) {
  uint32_t hash = hash_type(params, np, results, nr);
  if (e->cap_hash) {
    for (size_t i = hash & (e->cap_hash - 1); e->type_hash[i];
         i = (i + 1) & (e->cap_hash - 1)) {
      const lulli_type *t = e->types[e->type_hash[i] - 1];
      if (t->hash == hash && same(t, params, np, results, nr))
        return e->type_hash[i] - 1;
    }
  }
  if ((e->ntypes + 1) * 2 > e->cap_hash &&
      rehash(e, e->cap_hash ? e->cap_hash * 2 : 64) != 0)
    return UINT32_MAX;
  if (LULLD_GROW(&e->alloc, e->types, &e->cap_types, e->ntypes + 1))
    return UINT32_MAX;
  lulli_type *t = lulld_calloc(&e->alloc, 1, sizeof *t);
  if (!t)
    return UINT32_MAX;
  if (np + nr) {
    t->types = lulld_malloc(&e->alloc, np + nr);
    if (!t->types) {
      lulld_free(&e->alloc, t, sizeof *t);
      return UINT32_MAX;
    }
    t->vtypes = lulld_malloc(&e->alloc, (np + nr) * sizeof *t->vtypes);
    if (!t->vtypes) {
      lulld_free(&e->alloc, t->types, np + nr);
      lulld_free(&e->alloc, t, sizeof *t);
      return UINT32_MAX;
    }
    if (np)
      memcpy(t->types, params, np);
    if (nr)
      memcpy(t->types + np, results, nr);
    for (uint32_t i = 0; i < np + nr; i++)
      t->vtypes[i] = (lull_valtype)t->types[i];
  }
  t->nparams = np;
  t->nresults = nr;
  for (uint32_t i = 0; i < np; i++)
    t->param_slots += lulld_slots_of(params[i]);
  for (uint32_t i = 0; i < nr; i++)
    t->result_slots += lulld_slots_of(results[i]);
  t->hash = hash;
  e->types[e->ntypes] = t;
  uint32_t id = (uint32_t)e->ntypes++;
  size_t i = hash & (e->cap_hash - 1);
  while (e->type_hash[i])
    i = (i + 1) & (e->cap_hash - 1);
  e->type_hash[i] = id + 1;
  return id;
}

void lulli_types_free(lull_engine *e) {
  for (size_t i = 0; i < e->ntypes; i++) {
    size_t n = e->types[i]->nparams + e->types[i]->nresults;
    lulld_free(&e->alloc, e->types[i]->types, n);
    lulld_free(&e->alloc, e->types[i]->vtypes, n * sizeof(lull_valtype));
    lulld_free(&e->alloc, e->types[i], sizeof *e->types[i]);
  }
  lulld_free(&e->alloc, e->types, e->cap_types * sizeof *e->types);
  lulld_free(&e->alloc, e->type_hash, e->cap_hash * sizeof *e->type_hash);
  e->types = NULL;
  e->type_hash = NULL;
  e->ntypes = e->cap_types = e->cap_hash = 0;
}
