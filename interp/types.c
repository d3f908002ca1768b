/*
 * types.c -- the engine's registry of function types. Structurally equal
 * types get one id, so call_indirect checks a type with one comparison
 * even across modules.
 *
 * A registered type is keyed by its value types with every type index
 * made an engine id, so that (ref $t) of two modules is the same key when
 * their $t are equal. A reference into the type's own recursion group
 * cannot be keyed by an id not yet known: it is keyed by its position in
 * the group (LULLI_TYPE_SELF - p), the whole group is interned as one, and
 * the API's view (`vtypes`) holds real ids. Equal groups of two modules
 * so get the same ids: GC's iso-recursive type equivalence.
 */
#include "interp_internal.h"

/* One type of a recursion group as the registry compares it: references
 * into the group are LULLI_TYPE_SELF - position, others engine ids. */
typedef struct tkey {
  uint8_t kind, final;
  uint32_t super_key;
  uint32_t np, nr, nfields;
  const uint8_t *muts;
  const lull_valtype *types;
} tkey;

static uint32_t key_len(const tkey *k) {
  return k->kind == LULLD_COMP_FUNC ? k->np + k->nr : k->nfields;
}

static uint32_t mix(uint32_t h, uint32_t v) {
  for (int k = 0; k < 32; k += 8)
    h = (h ^ ((v >> k) & 0xFF)) * 16777619u;
  return h;
}

static uint32_t hash_group(const tkey *keys, uint32_t n) {
  uint32_t h = mix(2166136261u, n);
  for (uint32_t i = 0; i < n; i++) {
    const tkey *k = &keys[i];
    h = mix(h, k->kind | (uint32_t)k->final << 8);
    h = mix(mix(mix(mix(h, k->super_key), k->np), k->nr), k->nfields);
    for (uint32_t j = 0; j < k->nfields; j++)
      h = mix(h, k->muts[j]);
    for (uint32_t j = 0; j < key_len(k); j++)
      h = mix(h, k->types[j]);
  }
  return h;
}

static int same(const lulli_type *t, const tkey *k) {
  uint32_t n = key_len(k);
  return t->kind == k->kind && t->final == k->final &&
         t->super_key == k->super_key && t->nparams == k->np &&
         t->nresults == k->nr && t->nfields == k->nfields &&
         (k->nfields == 0 || memcmp(t->muts, k->muts, k->nfields) == 0) &&
         (n == 0 || memcmp(t->types, k->types, n * sizeof *k->types) == 0);
}

static int same_group(const lull_engine *e, uint32_t first, const tkey *keys,
                      uint32_t n) {
  if (e->types[first]->nrec != n)
    return 0;
  for (uint32_t i = 0; i < n; i++)
    if (!same(e->types[first + i], &keys[i]))
      return 0;
  return 1;
}

/* The hash table holds the first id of each group. */
static int rehash(lull_engine *e, size_t cap) {
  uint32_t *h = lulld_calloc(&e->alloc, cap, sizeof *h);
  if (!h)
    return -1;
  for (size_t id = 0; id < e->ntypes; id++) {
    if (e->types[id]->rec != id)
      continue;
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

static size_t type_len(const lulli_type *t) {
  return t->kind == LULLD_COMP_FUNC ? (size_t)t->nparams + t->nresults
                                    : t->nfields;
}

static void type_free(lull_engine *e, lulli_type *t) {
  size_t n = type_len(t);
  lulld_free(&e->alloc, t->types, n * sizeof *t->types);
  lulld_free(&e->alloc, t->vtypes, n * sizeof *t->vtypes);
  lulld_free(&e->alloc, t->muts, t->nfields);
  lulld_free(&e->alloc, t, sizeof *t);
}

/* Is x (a key's type index) a reference into a group of n types? */
static int in_group(uint32_t x, uint32_t n) {
  return x <= LULLI_TYPE_SELF && x > LULLI_TYPE_SELF - n;
}

/* Makes the registry entry of key k, the type `id` of the group that
 * starts at `first`. */
static lulli_type *new_type(lull_engine *e, const tkey *k, uint32_t first,
                            uint32_t n, uint32_t hash) {
  lulli_type *t = lulld_calloc(&e->alloc, 1, sizeof *t);
  if (!t)
    return NULL;
  size_t len = key_len(k);
  t->kind = k->kind;
  t->final = k->final;
  t->nparams = k->np;
  t->nresults = k->nr;
  t->nfields = k->nfields;
  t->super_key = k->super_key;
  t->super = in_group(k->super_key, n)
                 ? first + (LULLI_TYPE_SELF - k->super_key)
                 : k->super_key;
  t->rec = first;
  t->nrec = n;
  t->hash = hash;
  if (len) {
    t->types = lulld_malloc(&e->alloc, len * sizeof *t->types);
    t->vtypes = lulld_malloc(&e->alloc, len * sizeof *t->vtypes);
  }
  if (k->nfields)
    t->muts = lulld_malloc(&e->alloc, k->nfields);
  if ((len && (!t->types || !t->vtypes)) || (k->nfields && !t->muts)) {
    type_free(e, t);
    return NULL;
  }
  if (len)
    memcpy(t->types, k->types, len * sizeof *k->types);
  if (k->nfields)
    memcpy(t->muts, k->muts, k->nfields);
  for (size_t i = 0; i < len; i++) {
    lull_valtype v = k->types[i];
    t->vtypes[i] = LULL_VT_IS_INDEXED(v) && in_group(LULL_VT_INDEX(v), n)
                       ? lulli_vt_reindex(v, first + (LULLI_TYPE_SELF -
                                                      LULL_VT_INDEX(v)))
                       : v;
  }
  if (k->kind == LULLD_COMP_FUNC) {
    for (uint32_t i = 0; i < k->np; i++)
      t->param_slots += lulld_slots_of(k->types[i]);
    for (uint32_t i = k->np; i < k->np + k->nr; i++)
      t->result_slots += lulld_slots_of(k->types[i]);
  }
  return t;
}

/* Registers the group keys[0..n). Returns the id of its first type, or
 * UINT32_MAX when out of memory. */
static uint32_t intern_keys(lull_engine *e, const tkey *keys, uint32_t n) {
  uint32_t hash = hash_group(keys, n);
  if (e->cap_hash) {
    for (size_t i = hash & (e->cap_hash - 1); e->type_hash[i];
         i = (i + 1) & (e->cap_hash - 1)) {
      uint32_t first = e->type_hash[i] - 1;
      if (e->types[first]->hash == hash && same_group(e, first, keys, n))
        return first;
    }
  }
  /* Real ids stay below the group-relative ones. */
  if (n == 0 || e->ntypes + 2 * (size_t)n >= LULLI_TYPE_SELF)
    return n == 0 ? 0 : UINT32_MAX;
  if ((e->ntypes + n) * 2 > e->cap_hash) {
    size_t cap = e->cap_hash ? e->cap_hash : 64;
    while ((e->ntypes + n) * 2 > cap)
      cap *= 2;
    if (rehash(e, cap) != 0)
      return UINT32_MAX;
  }
  if (LULLD_GROW(&e->alloc, e->types, &e->cap_types, e->ntypes + n))
    return UINT32_MAX;
  uint32_t first = (uint32_t)e->ntypes;
  for (uint32_t i = 0; i < n; i++) {
    lulli_type *t = new_type(e, &keys[i], first, n, hash);
    if (!t) {
      while (e->ntypes > first)
        type_free(e, e->types[--e->ntypes]);
      return UINT32_MAX;
    }
    e->types[e->ntypes++] = t;
  }
  size_t i = hash & (e->cap_hash - 1);
  while (e->type_hash[i])
    i = (i + 1) & (e->cap_hash - 1);
  e->type_hash[i] = first + 1;
  return first;
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
  tkey k = {LULLD_COMP_FUNC, 1, LULLD_NO_SUPER, np, nr, 0, NULL, key};
  return intern_keys(e, &k, 1);
}

lull_valtype lulli_vt_to_engine(const uint32_t *type_ids, lull_valtype t) {
  if (!LULL_VT_IS_INDEXED(t))
    return t;
  return lulli_vt_reindex(t, type_ids[LULL_VT_INDEX(t)]);
}

/* A module's type index in the key of the group [g, g + n). */
static uint32_t key_index(const uint32_t *type_ids, uint32_t g, uint32_t n,
                          uint32_t x) {
  return x >= g && x - g < n ? LULLI_TYPE_SELF - (x - g) : type_ids[x];
}

int lulli_type_intern_group(lull_engine *e, const lulld_module *m,
                            uint32_t *type_ids, uint32_t g) {
  uint32_t n = m->types[g].nrec;
  size_t total = 0;
  for (uint32_t i = g; i < g + n; i++) {
    const lulld_functype *ft = &m->types[i];
    total += ft->kind == LULLD_COMP_FUNC
                 ? (size_t)ft->nparams + ft->nresults
                 : ft->nfields;
  }
  tkey *keys = lulld_calloc(&e->alloc, n, sizeof *keys);
  lull_valtype *vts =
      total ? lulld_malloc(&e->alloc, total * sizeof *vts) : NULL;
  int rc = -1;
  if (!keys || (total && !vts))
    goto done;
  lull_valtype *at = vts;
  for (uint32_t i = 0; i < n; i++) {
    const lulld_functype *ft = &m->types[g + i];
    tkey *k = &keys[i];
    k->kind = ft->kind;
    k->final = ft->final;
    k->super_key = ft->super == LULLD_NO_SUPER
                       ? LULLD_NO_SUPER
                       : key_index(type_ids, g, n, ft->super);
    k->np = ft->nparams;
    k->nr = ft->nresults;
    k->nfields = ft->nfields;
    k->muts = ft->muts;
    k->types = at;
    for (uint32_t j = 0; j < key_len(k); j++) {
      lull_valtype v = ft->types[j];
      *at++ = LULL_VT_IS_INDEXED(v)
                  ? lulli_vt_reindex(
                        v, key_index(type_ids, g, n, LULL_VT_INDEX(v)))
                  : v;
    }
  }
  uint32_t first = intern_keys(e, keys, n);
  if (first != UINT32_MAX) {
    for (uint32_t i = 0; i < n; i++)
      type_ids[g + i] = first + i;
    rc = 0;
  }
done:
  lulld_free(&e->alloc, vts, vts ? total * sizeof *vts : 0);
  lulld_free(&e->alloc, keys, keys ? n * sizeof *keys : 0);
  return rc;
}

int lulli_type_sub(const lull_engine *e, uint32_t a, uint32_t b) {
  /* Declared supertypes come earlier, so the walk ends. */
  for (; a < e->ntypes; a = e->types[a]->super)
    if (a == b)
      return 1;
  return 0;
}

static int top_is_any(uint32_t c) {
  return c == LULL_HT_ANY || c == LULL_HT_EQ || c == LULL_HT_I31 ||
         c == LULL_HT_STRUCT || c == LULL_HT_ARRAY || c == LULL_HT_NONE;
}

int lulli_vt_valid(const lull_engine *e, lull_valtype t) {
  if (!lulld_vt_is_ref(t))
    return t >= LULL_V128 && t <= LULL_I32;
  if (t & ~(LULL_VT_NONNULL | LULL_VT_INDEXED | 0xFFu |
            ((lull_valtype)LULL_VT_MAX_INDEX << LULL_VT_INDEX_SHIFT)))
    return 0;
  int gc = (e->cfg.features & LULL_FEATURE_GC) != 0;
  if (LULL_VT_IS_INDEXED(t))
    return LULL_VT_INDEX(t) < e->ntypes &&
           LULL_VT_CODE(t) ==
               lulld_kind_code(e->types[LULL_VT_INDEX(t)]->kind);
  /* Only the heap types of the features lull has are values it holds. */
  uint32_t c = LULL_VT_CODE(t);
  if (gc && top_is_any(c))
    return 1;
  return c == LULL_HT_FUNC || c == LULL_HT_EXTERN ||
         (LULL_VT_IS_NULLABLE(t) &&
          (c == LULL_HT_NOFUNC || c == LULL_HT_NOEXTERN));
}

int lulli_vt_match(const lull_engine *e, lull_valtype a, lull_valtype b) {
  /* Engine ids are canonical: equal types have equal ids, so the
   * decoder's rules apply with no module to look types up in, but for
   * declared supertypes. */
  if (lulld_vt_is_ref(a) && lulld_vt_is_ref(b) && LULL_VT_IS_INDEXED(a) &&
      LULL_VT_IS_INDEXED(b))
    return (LULL_VT_IS_NULLABLE(b) || !LULL_VT_IS_NULLABLE(a)) &&
           lulli_type_sub(e, LULL_VT_INDEX(a), LULL_VT_INDEX(b));
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
  out->results = LULLD_PAST(t->vtypes, t->nparams);
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
