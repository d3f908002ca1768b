/*
 * types.c -- the engine's registry of function types. Structurally equal
 * types get one id, so call_indirect checks a type with one comparison
 * even across modules.
 *
 * A registered type is keyed by its value types with every type index
 * made an engine id, so that (ref $t) of two modules is the same key when
 * their $t are equal. A reference of a type to itself (allowed: each
 * type is its own recursion group) cannot be keyed by an id not yet
 * known: it is keyed as LULLI_TYPE_SELF, and the API's view (`vtypes`)
 * holds the type's own id there. GC's recursion groups extend the same
 * idea to references within a group.
 */
#include "interp_internal.h"

static uint32_t hash_type(const lull_valtype *t, uint32_t np, uint32_t nr) {
  uint32_t h = 2166136261u ^ np ^ (nr << 16);
  for (uint32_t i = 0; i < np + nr; i++)
    for (int k = 0; k < 32; k += 8)
      h = (h ^ ((t[i] >> k) & 0xFF)) * 16777619u;
  return h;
}

static int same(const lulli_type *t, const lull_valtype *key, uint32_t np,
                uint32_t nr) {
  return t->nparams == np && t->nresults == nr &&
         (np + nr == 0 || memcmp(t->types, key, (np + nr) * sizeof *key) == 0);
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

static void type_free(lull_engine *e, lulli_type *t) {
  size_t n = (size_t)t->nparams + t->nresults;
  lulld_free(&e->alloc, t->types, n * sizeof *t->types);
  lulld_free(&e->alloc, t->vtypes, n * sizeof *t->vtypes);
  lulld_free(&e->alloc, t, sizeof *t);
}

/* Registers the type keyed by key[0..np+nr) (parameters, then results). */
static uint32_t intern_key(lull_engine *e, const lull_valtype *key,
                           uint32_t np, uint32_t nr) {
  uint32_t hash = hash_type(key, np, nr);
  if (e->cap_hash) {
    for (size_t i = hash & (e->cap_hash - 1); e->type_hash[i];
         i = (i + 1) & (e->cap_hash - 1)) {
      const lulli_type *t = e->types[e->type_hash[i] - 1];
      if (t->hash == hash && same(t, key, np, nr))
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
  uint32_t id = (uint32_t)e->ntypes;
  size_t n = (size_t)np + nr;
  t->nparams = np;
  t->nresults = nr;
  if (n) {
    t->types = lulld_malloc(&e->alloc, n * sizeof *t->types);
    t->vtypes = lulld_malloc(&e->alloc, n * sizeof *t->vtypes);
    if (!t->types || !t->vtypes) {
      type_free(e, t);
      return UINT32_MAX;
    }
    memcpy(t->types, key, n * sizeof *key);
    for (size_t i = 0; i < n; i++)
      t->vtypes[i] = LULL_VT_IS_INDEXED(key[i]) &&
                             LULL_VT_INDEX(key[i]) == LULLI_TYPE_SELF
                         ? lulli_vt_reindex(key[i], id)
                         : key[i];
  }
  for (uint32_t i = 0; i < np; i++)
    t->param_slots += lulld_slots_of(key[i]);
  for (uint32_t i = np; i < np + nr; i++)
    t->result_slots += lulld_slots_of(key[i]);
  t->hash = hash;
  e->types[e->ntypes++] = t;
  size_t i = hash & (e->cap_hash - 1);
  while (e->type_hash[i])
    i = (i + 1) & (e->cap_hash - 1);
  e->type_hash[i] = id + 1;
  return id;
}

uint32_t lulli_type_intern(lull_engine *e, const lull_valtype *params,
                           uint32_t np, const lull_valtype *results,
                           uint32_t nr) {
  lull_valtype key[LULLD_MAX_PARAMS + LULLD_MAX_RESULTS];
  if (np > LULLD_MAX_PARAMS || nr > LULLD_MAX_RESULTS)
    return UINT32_MAX;
  if (np)
    memcpy(key, params, np * sizeof *key);
  if (nr)
    memcpy(key + np, results, nr * sizeof *key);
  return intern_key(e, key, np, nr);
}

lull_valtype lulli_vt_to_engine(const uint32_t *type_ids, uint32_t self,
                                lull_valtype t) {
  if (!LULL_VT_IS_INDEXED(t))
    return t;
  uint32_t x = LULL_VT_INDEX(t);
  return lulli_vt_reindex(t, x == self ? LULLI_TYPE_SELF : type_ids[x]);
}

uint32_t lulli_type_intern_module(lull_engine *e, const lulld_module *m,
                                  const uint32_t *type_ids, uint32_t i) {
  const lulld_functype *ft = &m->types[i];
  uint32_t n = ft->nparams + ft->nresults;
  lull_valtype key[LULLD_MAX_PARAMS + LULLD_MAX_RESULTS];
  if (ft->nparams > LULLD_MAX_PARAMS || ft->nresults > LULLD_MAX_RESULTS)
    return UINT32_MAX;
  for (uint32_t k = 0; k < n; k++)
    key[k] = lulli_vt_to_engine(type_ids, i, ft->types[k]);
  return intern_key(e, key, ft->nparams, ft->nresults);
}

int lulli_vt_valid(const lull_engine *e, lull_valtype t) {
  if (!lulld_vt_is_ref(t))
    return t >= LULL_V128 && t <= LULL_I32;
  if (t & ~(LULL_VT_NONNULL | LULL_VT_INDEXED | 0xFFu |
            ((lull_valtype)LULL_VT_MAX_INDEX << LULL_VT_INDEX_SHIFT)))
    return 0;
  if (LULL_VT_IS_INDEXED(t))
    return LULL_VT_CODE(t) == LULL_HT_FUNC && LULL_VT_INDEX(t) < e->ntypes;
  /* Only the heap types of the features lull has are values it holds. */
  uint32_t c = LULL_VT_CODE(t);
  return c == LULL_HT_FUNC || c == LULL_HT_EXTERN ||
         (LULL_VT_IS_NULLABLE(t) &&
          (c == LULL_HT_NOFUNC || c == LULL_HT_NOEXTERN));
}

int lulli_vt_match(const lull_engine *e, lull_valtype a, lull_valtype b) {
  (void)e;
  /* Engine ids are canonical: equal types have equal ids, so the
   * decoder's rules apply with no module to look types up in. */
  return lulld_vt_match(NULL, a, b);
}

lull_status lull_engine_functype(const lull_engine *e, uint32_t index,
                                 lull_functype *out) {
  if (!e || !out || index >= e->ntypes)
    return LULL_BADARG;
  const lulli_type *t = e->types[index];
  out->nparams = t->nparams;
  out->nresults = t->nresults;
  out->params = t->vtypes;
  out->results = t->vtypes + t->nparams;
  return LULL_OK;
}

void lulli_types_free(lull_engine *e) {
  for (size_t i = 0; i < e->ntypes; i++)
    type_free(e, e->types[i]);
  lulld_free(&e->alloc, e->types, e->cap_types * sizeof *e->types);
  lulld_free(&e->alloc, e->type_hash, e->cap_hash * sizeof *e->type_hash);
  e->types = NULL;
  e->type_hash = NULL;
  e->ntypes = e->cap_types = e->cap_hash = 0;
}
